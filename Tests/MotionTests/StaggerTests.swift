import ReelCore
@testable import Motion
import Testing

@Suite("motion.stagger")
struct StaggerTests {
    /// A group of `count` children that each slide x 0 → 100 over the first second.
    static func scene(_ parameters: String, count: Int = 3, extra: String = "") throws -> Scene {
        let children = (0..<count).map { "      - { id: c\($0), rect: { size: 4 }, position: { keys: [[0s, [0, 0]], [1s, [100, 0]]] } }" }
        return try Fixture.scene("""
          - id: g
            group:
        \(children.joined(separator: "\n"))
        \(extra)
            animate: [{ stagger: { \(parameters) } }]
        """)
    }

    static func xs(_ scene: Scene, frame: Int) throws -> [String: Double] {
        let group = try Fixture.layer("g", in: scene, frame: frame)
        return Dictionary(uniqueKeysWithValues: Fixture.children(group).map { ($0.id, $0.origin.x) })
    }

    @Test func eachChildRunsItsDelayLaterThanTheOneBefore() throws {
        // 30 fps: frame 15 is 0.5 s; children at 0.5, 0.25 and 0 s of their slide.
        let xs = try Self.xs(try Self.scene("delay: 0.25"), frame: 15)
        #expect(abs((xs["c0"] ?? -1) - 50) < 1e-9 && abs((xs["c1"] ?? -1) - 25) < 1e-9 && abs((xs["c2"] ?? -1) - 0) < 1e-9, "\(xs)")
    }

    @Test func delaysCanBeWrittenInFrames() throws {
        let xs = try Self.xs(try Self.scene("delay: 3f"), frame: 15)
        #expect(abs((xs["c1"] ?? -1) - 40) < 1e-9, "3 frames at 30 fps is 0.1 s: \(xs)")
    }

    @Test func reverseStartsWithTheLastChild() throws {
        let xs = try Self.xs(try Self.scene("delay: 0.25, order: reverse"), frame: 15)
        #expect(abs((xs["c2"] ?? -1) - 50) < 1e-9 && abs((xs["c0"] ?? -1) - 0) < 1e-9, "\(xs)")
    }

    @Test func centerOutStartsInTheMiddle() throws {
        let xs = try Self.xs(try Self.scene("delay: 0.25, order: center-out", count: 5), frame: 15)
        let expected = ["c0": 0.0, "c1": 25, "c2": 50, "c3": 25, "c4": 0]
        for (id, x) in expected { #expect(abs((xs[id] ?? -1) - x) < 1e-9, "\(id): \(xs)") }
        #expect(Stagger.ranks(count: 4, order: .centerOut, random: SeededRandom(seed: 0, layer: "", frame: 0)) == [1, 0, 0, 1])
    }

    @Test func randomIsAFixedShuffleOfTheRanks() throws {
        let scene = try Self.scene("delay: 0.1, order: random, seed: 4", count: 8)
        let first = try Self.xs(scene, frame: 24), again = try Self.xs(scene, frame: 24)
        #expect(first == again)
        // Each rank once: x at 0.8 s is 100 · (0.8 - 0.1 r) for rank r.
        let ranks = first.values.map { Int(((0.8 - $0 / 100) / 0.1).rounded()) }.sorted()
        #expect(ranks == Array(0..<8), "\(first)")
        #expect(first["c0"] != 80 || first["c1"] != 70 || first["c2"] != 60, "not painter's order")
        let ordered = Stagger.ranks(count: 8, order: .random, random: SeededRandom(seed: 7, layer: "g", frame: 0, stream: 4))
        #expect(Set(ordered) == Set(0..<8) && ordered != Array(0..<8))
    }

    @Test func aChildHiddenAtItsOwnTimeIsLeftOut() throws {
        // Each child fades in over its first 0.1 s: zero opacity at its start hides it then.
        let scene = try Fixture.scene("""
          - id: g
            group:
              - { id: a, rect: { size: 4 }, opacity: { keys: [[0s, 0], [0.1s, 1]] } }
              - { id: b, rect: { size: 4 }, opacity: { keys: [[0s, 0], [0.1s, 1]] } }
            animate: [{ stagger: { delay: 1 } }]
        """)
        #expect(Fixture.children(try Fixture.layer("g", in: scene, frame: 15)).map(\.id) == ["a"])
        #expect(Fixture.children(try Fixture.layer("g", in: scene, frame: 45)).map(\.id) == ["a", "b"])
    }

    @Test func leavesOtherLayersAndTheGroupsOwnStateAlone() throws {
        let scene = try Fixture.scene("""
          - id: r
            rect: { size: 4 }
            position: [10, 10]
            animate: [{ stagger: { delay: 1 } }]
          - id: g
            position: [50, 60]
            opacity: 0.5
            group:
              - { id: a, rect: { size: 4 } }
            animate: [{ stagger: { delay: 1 } }]
        """)
        let r = try Fixture.layer("r", in: scene, frame: 3), g = try Fixture.layer("g", in: scene, frame: 3)
        #expect(r.content.kindName == "rect" && r.origin == Vec2(10, 10))
        #expect(g.origin == Vec2(50, 60) && g.opacity == 0.5)
    }
}
