import Foundation
import ReelCore
import ReelMedia
import ReelTestSupport
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

/// Serves the counter clip of the media tests as asset "counter".
struct CounterClipLoader: AssetLoader {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ReelMediaTests/Fixtures/counter.mp4").path

    func image(named name: String) throws -> RGBAImage { throw ReelError(.imageAsset, "no image '\(name)'") }

    func videoFrame(named name: String, at time: Double, loop: Bool) throws -> RGBAImage {
        let decoder = try MediaDecoder(path: Self.path)
        let t = loop ? time.truncatingRemainder(dividingBy: decoder.duration) : time
        return try decoder.frame(at: t)
    }
}

@Suite("Video layers")
struct VideoLayerTests {
    /// Frame N of the clip is grey 16 + 6N; the layer starts 0.5 s into the clip at double
    /// speed and begins at scene time 1 s, so scene time T shows clip time 0.5 + 2 (T − 1).
    @Test(arguments: [(1.0, 5), (1.2, 9), (2.0, 25), (2.5, 5)])
    func showsTheFrameForTheSceneTime(sceneTime: Double, clipFrame: Int) throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [64, 36], fps: 10, duration: 4s, background: "#ff0000" }
        assets: { counter: counter.mp4 }
        layers:
          - { video: { asset: counter, size: [64, 36], fit: stretch, start: 0.5s, speed: 2, loop: true }, position: [32, 18], in: 1s }
        """)
        let state = Timeline.evaluate(scene, frame: Int((sceneTime * 10).rounded()))
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: CounterClipLoader())
            defer { renderer.release() }
            return try renderer.render(state)
        }
        if sceneTime == 1.2 { try GoldenImage.check(image, named: "video-layer") }
        // Within one level of 16 + 6N: the encoder rounded some frames' grey by one.
        let grey = 16 + 6 * clipFrame, (r, g, b, a) = image[32, 18]
        #expect(abs(Int(r) - grey) <= 1 && r == g && g == b && a == 255, "scene \(sceneTime) s: \(image[32, 18])")
    }

    @Test func beforeItsInTimeTheLayerIsAbsent() throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [64, 36], fps: 10, background: "#ff0000" }
        assets: { counter: counter.mp4 }
        layers: [{ video: counter, position: [32, 18], in: 1s }]
        """)
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: CounterClipLoader())
            defer { renderer.release() }
            return try renderer.render(Timeline.evaluate(scene, frame: 5))
        }
        #expect(image[32, 18] == (255, 0, 0, 255))
    }
}

/// Counts the pictures a renderer asks for.
final class CountingLoader: AssetLoader, @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func image(named name: String) throws -> RGBAImage {
        lock.withLock { counts[name, default: 0] += 1 }
        return try TestCardLoader().image(named: name)
    }
    func count(_ name: String) -> Int { lock.withLock { counts[name] ?? 0 } }
}

@Suite("Image assets are decoded once a render")
struct ImageDecodeCountTests {
    @Test func eachPictureIsDecodedOnceHoweverManyLayersAndFramesShowIt() throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [80, 60], fps: 10, duration: 3f }
        assets: { card: card.png }
        layers:
          - { image: card, position: [20, 20] }
          - { image: card, position: [60, 20], opacity: 0.5 }
          - group: [{ image: { asset: card, size: [20, 10] }, position: [40, 45] }]
        """)
        let loader = CountingLoader()
        try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: loader)
            defer { renderer.release() }
            for frame in 0..<3 { _ = try renderer.render(Timeline.evaluate(scene, frame: frame)) }
        }
        #expect(loader.count("card") == 1)
    }
}
