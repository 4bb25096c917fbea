import Foundation
import ReelCore
import ReelTestSupport
import Testing
@testable import ReelGL

/// `image: { radius }` rounds the drawn picture's corners; without it a picture draws exactly
/// as before.
@Suite("Rounded pictures")
struct ImageRadiusTests {
    func render(_ image: String) throws -> RGBAImage {
        // The 40×20 test card stretched to 120×60 at the middle: x 20…140, y 30…90.
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [160, 120], background: "#202028" }
        assets: { card: card.png }
        layers: [{ image: \(image), position: [80, 60] }]
        """)
        return try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: TestCardLoader())
            defer { renderer.release() }
            return try renderer.render(Timeline.evaluate(scene, frame: 0))
        }
    }

    @Test func aRadiusCutsTheCornersAndKeepsTheRest() throws {
        let square = try render("{ asset: card, size: [120, 60], fit: stretch }")
        let rounded = try render("{ asset: card, size: [120, 60], fit: stretch, radius: 15 }")
        #expect(square[21, 31] == (233, 69, 96, 255), "a square corner is the picture's")
        #expect(rounded[21, 31] == (32, 32, 40, 255), "a rounded corner shows the background")
        #expect(rounded[138, 88] == (32, 32, 40, 255), "every corner is rounded")
        #expect(rounded[40, 45] == (233, 69, 96, 255), "inside, the picture is unchanged")
        #expect(rounded[40, 31] == (233, 69, 96, 255), "along an edge, past the curve, too")
    }

    @Test func noRadiusDrawsExactlyAsRadiusZero() throws {
        let plain = try render("{ asset: card, size: [120, 60], fit: stretch }")
        let zero = try render("{ asset: card, size: [120, 60], fit: stretch, radius: 0 }")
        #expect(plain.pixels == zero.pixels)
    }

    @Test func theRadiusIsDeclaredCheckedAndKeyframed() throws {
        #expect(LayerKind.image.keys.contains { $0.key == "radius" })
        #expect(throws: SceneError.self) {
            try SceneDecoder().decode("reel: 1\ncanvas: { size: [16, 16] }\nassets: { card: card.png }\nlayers: [{ image: { asset: card, radius: -1 } }]")
        }
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [16, 16], fps: 10 }
        assets: { card: card.png }
        layers: [{ image: { asset: card, radius: { keys: [[0s, 0], [1s, 10]] } } }]
        """)
        guard case let .image(image) = Timeline.evaluate(scene, frame: 5).layers[0].content else {
            Issue.record("not an image")
            return
        }
        #expect(image.radius == 5)
    }
}
