import Foundation
import ReelCore
import Testing

@Suite("motion.follow-path")
struct FollowPathTests {
    static func layer(_ parameters: String, position: String? = nil, frame: Int = 0) throws -> LayerState {
        let scene = try Fixture.scene("""
          - id: p
            rect: { size: [10, 4] }
            \(position.map { "position: \($0)" } ?? "")
            animate: [{ follow-path: { \(parameters) } }]
        """)
        return try Fixture.layer("p", in: scene, frame: frame)
    }

    @Test(arguments: [(0.0, Vec2(0, 0)), (0.5, Vec2(150, 0)), (1.0, Vec2(300, 0))])
    func placesTheLayerOnTheLineAtItsProgress(progress: Double, expected: Vec2) throws {
        let layer = try Self.layer("path: \"M 0 0 L 300 0\", progress: \(progress)")
        #expect(close(layer.origin, expected), "\(layer.origin)")
    }

    @Test func progressIsByArcLengthNotByCurveParameter() throws {
        // Both control points on the start: by the curve's parameter the layer would crawl, then
        // rush; by length it covers 30 px per tenth.
        for k in 0...10 {
            let layer = try Self.layer("path: \"M 0 0 C 0 0 0 0 300 0\", progress: \(Double(k) / 10)")
            #expect(abs(layer.origin.x - 30 * Double(k)) < 0.5 && abs(layer.origin.y) < 1e-9, "step \(k): \(layer.origin)")
        }
    }

    @Test func arcLengthHoldsAroundACurve() throws {
        // A semicircle of radius 100 (two arcs): a quarter of the length is 45° round.
        let layer = try Self.layer("path: \"M 0 0 A 100 100 0 0 1 200 0\", progress: 0.25")
        let expected = Vec2(100 - 100 * cos(Double.pi / 4), -100 * sin(Double.pi / 4))
        #expect(close(layer.origin, expected, 0.3), "\(layer.origin) vs \(expected)")
    }

    @Test func theLayersPositionOffsetsThePath() throws {
        let layer = try Self.layer("path: \"M 0 0 L 100 0 L 100 100\", progress: 0.75", position: "[10, 20]")
        #expect(close(layer.origin, Vec2(110, 70)), "\(layer.origin)")
    }

    @Test func orientFacesAlongThePathPlusTheOffset() throws {
        let down = try Self.layer("path: \"M 0 0 L 100 0 L 100 100\", progress: 0.75, orient: true")
        let axis = down.transform.apply(Vec2(1, 0)) - down.origin
        #expect(close(axis, Vec2(0, 1), 1e-9), "the second leg goes down: \(axis)")
        let turned = try Self.layer("path: \"M 0 0 L 100 0 L 100 100\", progress: 0.25, orient: true, offset: 90")
        let turnedAxis = turned.transform.apply(Vec2(1, 0)) - turned.origin
        #expect(close(turnedAxis, Vec2(0, 1), 1e-9), "right plus 90°: \(turnedAxis)")
        let still = try Self.layer("path: \"M 0 0 L 100 0 L 100 100\", progress: 0.75")
        #expect(close(still.transform.apply(Vec2(1, 0)) - still.origin, Vec2(1, 0)), "without orient it does not turn")
    }

    @Test func aClosedPathWrapsAndAnOpenOneHolds() throws {
        let square = "M 0 0 L 100 0 L 100 100 L 0 100 Z"
        let lap = try Self.layer("path: \"\(square)\", progress: 2.25")
        #expect(close(lap.origin, Vec2(100, 0)), "\(lap.origin)")
        let behind = try Self.layer("path: \"\(square)\", progress: -0.25")
        #expect(close(behind.origin, Vec2(0, 100)), "\(behind.origin)")
        let open = try Self.layer("path: \"M 0 0 L 100 0\", progress: 1.5")
        #expect(close(open.origin, Vec2(100, 0)))
    }

    @Test func keyframedProgressMovesItOverTime() throws {
        let parameters = "path: \"M 0 0 L 300 0\", progress: { keys: [[0s, 0], [2s, 1]] }"
        // 30 fps: frame 30 is 1 s, halfway.
        #expect(close(try Self.layer(parameters, frame: 30).origin, Vec2(150, 0)))
        #expect(close(try Self.layer(parameters, frame: 90).origin, Vec2(300, 0)), "holds after the last key")
    }

    @Test func aPathOfSeveralPartsIsWalkedPartAfterPartWithoutTheJump() throws {
        // Two 100 px strokes far apart: halfway is the end of the first, not the gap.
        let layer = try Self.layer("path: \"M 0 0 L 100 0 M 500 0 L 500 100\", progress: 0.75")
        #expect(close(layer.origin, Vec2(500, 50)), "\(layer.origin)")
    }
}
