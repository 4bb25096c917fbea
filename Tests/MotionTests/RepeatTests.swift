import Foundation
import ReelCore
import Testing

@Suite("motion.repeat")
struct RepeatTests {
    static func copies(_ parameters: String, position: String = "[100, 100]", extra: String = "", frame: Int = 0) throws -> [LayerState] {
        let scene = try Fixture.scene("""
          - id: r
            rect: { size: 4 }
            fill: "#ff0000"
            position: \(position)
        \(extra)
            animate: [{ repeat: { \(parameters) } }]
        """)
        let layer = try Fixture.layer("r", in: scene, frame: frame)
        #expect(layer.transform == .identity && layer.fill == nil, "the copies carry the transform and paint")
        return Fixture.children(layer)
    }

    @Test func aGridIsCentredOnTheLayerRowByRow() throws {
        let copies = try Self.copies("count: 5, columns: 3, spacing: [10, 20]")
        #expect(copies.map(\.id) == ["r#0", "r#1", "r#2", "r#3", "r#4"])
        let expected = [Vec2(90, 90), Vec2(100, 90), Vec2(110, 90), Vec2(90, 110), Vec2(100, 110)]
        for (copy, point) in zip(copies, expected) { #expect(close(copy.origin, point), "\(copy.id): \(copy.origin)") }
        #expect(copies.allSatisfy { $0.content.kindName == "rect" && $0.fill == .solid(Color(red: 1, green: 0, blue: 0)) })
    }

    @Test func radialGoesClockwiseFromTheTopAndCanFaceAlong() throws {
        let copies = try Self.copies("mode: radial, count: 4, radius: 50, orient: true")
        let expected = [Vec2(100, 50), Vec2(150, 100), Vec2(100, 150), Vec2(50, 100)]
        for (copy, point) in zip(copies, expected) { #expect(close(copy.origin, point), "\(copy.id): \(copy.origin)") }
        let right = copies[1].transform.apply(Vec2(1, 0)) - copies[1].origin
        #expect(close(right, Vec2(0, 1)), "on the right side the copy faces down the circle: \(right)")
    }

    @Test func pathSpreadsCopiesEvenlyByLength() throws {
        let open = try Self.copies("mode: path, count: 3, path: \"M 0 0 C 0 0 0 0 300 0\"", position: "[0, 0]")
        #expect(zip(open.map(\.origin.x), [0.0, 150, 300]).allSatisfy { abs($0 - $1) < 0.5 }, "\(open.map(\.origin))")
        let closed = try Self.copies("mode: path, count: 4, path: \"M 0 0 L 100 0 L 100 100 L 0 100 Z\"", position: "[0, 0]")
        #expect(zip(closed.map(\.origin), [Vec2(0, 0), Vec2(100, 0), Vec2(100, 100), Vec2(0, 100)]).allSatisfy { close($0, $1) },
                "no copy on top of the first at the end of a closed path: \(closed.map(\.origin))")
    }

    @Test func expressionsShapeEachCopy() throws {
        let copies = try Self.copies("count: 4, columns: 4, spacing: [0, 0], rotation: \"i * 15\", opacity: \"1 - i / n\", offset-x: \"sin(i + t) * 20\", scale: \"1 + i\"",
                                     frame: 15)
        for (i, copy) in copies.enumerated() {
            let x = copy.transform.apply(Vec2(1, 0)) - copy.origin
            #expect(abs(x.degrees - 15 * Double(i)) < 1e-9 && abs(x.length - Double(1 + i)) < 1e-9, "\(copy.id)")
            #expect(abs(copy.opacity - (1 - Double(i) / 4)) < 1e-12)
            #expect(abs(copy.origin.x - (100 + sin(Double(i) + 0.5) * 20)) < 1e-9)
        }
    }

    @Test func invisibleCopiesAreLeftOut() throws {
        let copies = try Self.copies("count: 6, opacity: \"i % 2\"")
        #expect(copies.map(\.id) == ["r#1", "r#3", "r#5"])
    }

    @Test func randIsFixedPerIndexAndLayer() throws {
        let a = try Self.copies("count: 3, offset-y: \"rand(i) * 100\"").map(\.origin.y)
        let b = try Self.copies("count: 3, offset-y: \"rand(i) * 100\"", frame: 40).map(\.origin.y)
        #expect(a == b && Set(a).count == 3 && a.allSatisfy { $0 >= 100 && $0 < 200 }, "\(a)")
    }

    @Test func delayPlaysEachCopysKeyframesLate() throws {
        let copies = try Self.copies("count: 3, spacing: [0, 0], delay: \"i * 0.5\"",
                                     position: "{ keys: [[0s, [0, 0]], [2s, [200, 0]]] }", frame: 45)
        // 1.5 s: copies show 1.5, 1.0 and 0.5 s of the slide.
        #expect(zip(copies.map(\.origin.x), [150.0, 100, 50]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(copies.map(\.origin))")
    }

    @Test func countZeroLeavesAnEmptyGroup() throws {
        #expect(try Self.copies("count: 0").isEmpty)
    }
}
