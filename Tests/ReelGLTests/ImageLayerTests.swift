import ReelCore
import Testing
@testable import ReelGL

/// A 40×20 test card: four coloured quadrants, a transparent band down the middle.
struct TestCardLoader: AssetLoader {
    func image(named name: String) throws -> RGBAImage {
        guard name == "card" else { throw ReelError(.imageAsset, "image asset '\(name)' does not exist") }
        var pixels: [UInt8] = []
        for y in 0..<20 {
            for x in 0..<40 {
                if (19...20).contains(x) { pixels += [0, 0, 0, 0]; continue }
                switch (x < 20, y < 10) {
                case (true, true): pixels += [233, 69, 96, 255]
                case (false, true): pixels += [249, 213, 110, 255]
                case (true, false): pixels += [78, 204, 163, 255]
                case (false, false): pixels += [92, 107, 214, 128]
                }
            }
        }
        return RGBAImage(width: 40, height: 20, pixels: pixels, isPremultiplied: false)
    }
}

@Suite("Image layers")
struct ImageLayerTests {
    func render(_ layers: String) throws -> RGBAImage {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [160, 120], background: "#202028" }
        assets: { card: card.png }
        layers:
        \(layers)
        """)
        let state = Timeline.evaluate(scene, frame: 0)
        return try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: TestCardLoader())
            defer { renderer.release() }
            return try renderer.render(state)
        }
    }

    @Test func fitModes() throws {
        let image = try render("""
          - { image: { asset: card, size: [60, 50], fit: contain }, position: [40, 30] }
          - { image: { asset: card, size: [60, 50], fit: cover }, position: [120, 30] }
          - { image: { asset: card, size: [60, 50], fit: stretch }, position: [40, 90] }
          - { image: card, position: [120, 90], rotation: 10 }
        """)
        try GoldenImage.check(image, named: "image-fits")
        // contain: 60×30 inside a 60×50 box, so the rows above and below stay background.
        #expect(image[40, 8] == (32, 32, 40, 255), "letterboxed area is background")
        #expect(image[25, 25] == (233, 69, 96, 255), "top-left quadrant")
        // cover: 100×50 cropped to 60 wide; the box's corner is filled.
        #expect(image[92, 7] == (233, 69, 96, 255))
    }

    @Test func missingAssetsNameTheLayerAndTheAsset() throws {
        let error = #expect(throws: ReelError.self) { try render("  - { id: poster, image: nothere.png }") }
        #expect(error?.code == .imageAsset)
        #expect(error?.message.contains("layer 'poster'") == true && error?.message.contains("nothere.png") == true, "\(error?.message ?? "")")
    }
}
