import Foundation
import ReelCore
import Testing

@Suite("motion.wiggle")
struct WiggleTests {
    static func scene(_ parameters: String, fps: Double = 30, id: String = "w") throws -> Scene {
        try Fixture.scene("""
          - id: \(id)
            circle: { radius: 10 }
            position: [320, 180]
            animate: [{ wiggle: { \(parameters) } }]
        """, fps: fps)
    }

    static func path(_ scene: Scene, frames: some Sequence<Int>) throws -> [Vec2] {
        try frames.map { try Fixture.layer(scene.layers[0].id, in: scene, frame: $0).origin }
    }

    @Test func staysWithinTheAmplitudeAndMoves() throws {
        let scene = try Self.scene("amplitude: [30, 10], frequency: 2, octaves: 3")
        let points = try Self.path(scene, frames: 0..<300)
        for p in points { #expect(abs(p.x - 320) <= 30 + 1e-9 && abs(p.y - 180) <= 10 + 1e-9, "\(p)") }
        let spreadX = (points.map(\.x).max() ?? 0) - (points.map(\.x).min() ?? 0)
        #expect(spreadX > 15, "it wanders over much of its range: \(spreadX)")
    }

    @Test func isAFunctionOfTimeNotOfTheFrame() throws {
        // Frame 2k at 60 fps is the same moment as frame k at 30 fps.
        let slow = try Self.path(try Self.scene("amplitude: 40, frequency: 3", fps: 30), frames: [0, 7, 31, 150])
        let fast = try Self.path(try Self.scene("amplitude: 40, frequency: 3", fps: 60), frames: [0, 14, 62, 300])
        for (a, b) in zip(slow, fast) { #expect(close(a, b, 1e-9), "\(a) vs \(b)") }
    }

    @Test func isContinuous() throws {
        // At 1000 fps, neighbouring frames are close: no jumps at lattice points.
        let points = try Self.path(try Self.scene("amplitude: 50, frequency: 4, octaves: 4", fps: 1000), frames: 0..<2000)
        let largestStep = zip(points, points.dropFirst()).map { ($1 - $0).length }.max() ?? 0
        #expect(largestStep < 2, "largest step between 1 ms frames: \(largestStep) px")
    }

    @Test func dependsOnTheLayerAndTheSeed() throws {
        let a = try Self.path(try Self.scene("amplitude: 40", id: "a"), frames: [20])
        let b = try Self.path(try Self.scene("amplitude: 40", id: "b"), frames: [20])
        let c = try Self.path(try Self.scene("amplitude: 40, seed: 3", id: "a"), frames: [20])
        #expect(!close(a[0], b[0], 1e-3) && !close(a[0], c[0], 1e-3))
        #expect(close(a[0], try Self.path(try Self.scene("amplitude: 40", id: "a"), frames: [20])[0], 0), "and on nothing else")
    }

    @Test func turnsAndScalesAboutTheLayerOrigin() throws {
        let scene = try Self.scene("amplitude: 0, rotation: 20, scale: 0.2")
        var sawTurn = false
        for frame in stride(from: 0, to: 120, by: 7) {
            let t = try Fixture.layer("w", in: scene, frame: frame).transform
            #expect(close(t.apply(.zero), Vec2(320, 180), 1e-9), "amplitude 0 keeps it in place")
            let axis = t.apply(Vec2(1, 0)) - t.apply(.zero)
            #expect(axis.length >= 0.8 - 1e-9 && axis.length <= 1.2 + 1e-9)
            #expect(abs(axis.degrees) <= 20 + 1e-9)
            if abs(axis.degrees) > 1 { sawTurn = true }
        }
        #expect(sawTurn)
    }
}

extension LayerState {
    var origin: Vec2 { transform.apply(.zero) }
}

extension Vec2 {
    var degrees: Double { atan2(y, x) * 180 / .pi }
}
