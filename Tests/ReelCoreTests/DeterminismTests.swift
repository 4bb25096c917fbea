import PropertyBased
import Testing
@testable import ReelCore

@Suite("Determinism")
struct DeterminismTests {
    static let scene = try! SceneDecoder().decode("""
    reel: 1
    canvas: { size: [320, 180], fps: 24, duration: 4s }
    seed: 7
    layers:
      - id: a
        rect: { size: [40, 20], radius: 4 }
        position: { keys: [[0s, [0, 0]], [1s, [100, 50], outBounce], [3s, [300, 20], "spring(1, 80, 6)"]] }
        rotation: { keys: [[0s, 0], [4s, 720, inOutElastic]] }
        fill: { keys: [[0s, "#ff0000"], [2s, "#0000ff", inOutSine]] }
      - id: g
        group:
          - { id: g1, circle: { radius: { keys: [[0s, 1], [4s, 40, "steps(5)"]] } } }
        in: 0.5s
        out: 3.5s
    """)

    static func fingerprint(_ state: FrameState) -> String {
        func describe(_ layers: [LayerState]) -> String {
            layers.map { l in
                var s = "\(l.id):\(l.transform):\(l.opacity):\(String(describing: l.fill))"
                if case let .group(children) = l.content { s += "[" + describe(children) + "]" }
                if case let .ellipse(r) = l.content { s += "\(r)" }
                return s
            }.joined(separator: ";")
        }
        return describe(state.layers)
    }

    @Test func framesDoNotDependOnEvaluationOrder() async {
        let inOrder = (0..<96).map { Self.fingerprint(Timeline.evaluate(Self.scene, frame: $0)) }
        await propertyCheck(input: Gen.int(in: 0...95).array(of: 1...20)) { frames in
            for frame in frames {
                #expect(Self.fingerprint(Timeline.evaluate(Self.scene, frame: frame)) == inOrder[frame])
            }
        }
    }

    @Test func seededRandomDependsOnlyOnItsKey() async {
        await propertyCheck(input: Gen.int(in: 0...100_000)) { frame in
            var a = SeededRandom(seed: 7, layer: "a", frame: frame), b = SeededRandom(seed: 7, layer: "a", frame: frame)
            #expect(a.next() == b.next())
            var other = SeededRandom(seed: 7, layer: "a", frame: frame + 1)
            var again = SeededRandom(seed: 7, layer: "a", frame: frame)
            #expect(other.next() != again.next())
            var u = SeededRandom(seed: 1, layer: "x", frame: frame)
            let value = u.unit()
            #expect(value >= 0 && value < 1)
        }
    }

    @Test func lifespansAreHalfOpen() {
        let at = { (frame: Int) in Timeline.evaluate(Self.scene, frame: frame).layers.map(\.id) }
        #expect(at(11) == ["a"], "before in (0.5 s = frame 12)")
        #expect(at(12) == ["a", "g"])
        #expect(at(83) == ["a", "g"])
        #expect(at(84) == ["a"], "out (3.5 s = frame 84) is exclusive")
    }
}
