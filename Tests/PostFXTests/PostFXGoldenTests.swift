import Foundation
import PostFX
import Reel
import ReelCore
import ReelGL
import ReelMedia
import ReelTestSupport
import Testing

/// Renders a small test card through PostFX passes, with the real GL renderer and the
/// standard plugin registry.
enum PostFXFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let shaper = FontShaper()
    /// `#1d1d28`, opaque.
    static let background = [29, 29, 40, 255]

    /// A dark card with a bright white disc (for bloom), saturated shapes and a hard edge.
    static let card = """
      - { id: disc, circle: { radius: 18 }, fill: "#ffffff", position: [40, 40] }
      - { id: red, rect: { size: [50, 40] }, fill: "#e63946", position: [110, 35] }
      - { id: green, star: { points: 5, radius: 24, innerRadius: 11 }, fill: "#2a9d8f", position: [45, 90] }
      - { id: blue, rect: { size: [60, 30], radius: 6 }, fill: "#457bfa", position: [115, 92] }
    """

    static func scene(layers: String = card, passes: String = "", size: (Int, Int) = (160, 120)) throws -> Scene {
        try SceneDecoder(catalog: PluginRegistry.standard.catalog).decode("""
        reel: 1
        canvas: { size: [\(size.0), \(size.1)], fps: 10, duration: 2s, background: "#1d1d28", samples: 4 }
        assets: { rotate: rotate.cube }
        layers:
        \(layers)
        \(passes.isEmpty ? "" : "passes: " + passes)
        """, baseDirectory: fixtures.path)
    }

    /// Frame `frame` of the card with `passes`, as straight-alpha-free premultiplied RGBA.
    static func render(layers: String = card, passes: String = "", frame: Int = 0,
                       scale: Double? = nil) throws -> (RGBAImage, Set<String>) {
        let scene = try scene(layers: layers, passes: passes)
        var state = Timeline.evaluate(scene, frame: frame, plugins: .standard)
        if let scale { state = state.resized(width: Int(Double(state.width) * scale), height: Int(Double(state.height) * scale)) }
        return try withGL { context in
            let renderer = try FrameRenderer(context: context, assets: MediaAssetLoader(scene: scene), text: shaper, plugins: .standard)
            defer { renderer.release() }
            return (try renderer.render(state), renderer.skippedFeatures)
        }
    }

    static func pixel(_ image: RGBAImage, _ x: Int, _ y: Int) -> [Int] {
        let i = (y * image.width + x) * 4
        return image.pixels[i..<i + 4].map { Int($0) }
    }
}

@Suite("PostFX passes against references")
struct PostFXGoldenTests {
    /// Every pass, at settings that show what it does; some at two frames of a keyframed
    /// parameter.
    static let cases: [(name: String, passes: String, frame: Int)] = [
        ("blur", "[{ blur: { radius: 4 } }]", 0),
        ("blur-large", "[{ blur: { radius: 40 } }]", 0),
        ("bloom", "[{ bloom: { threshold: 0.6, intensity: 1.5, radius: 10 } }]", 0),
        ("vignette", "[{ vignette: { strength: { keys: [[0s, 0], [1s, 1]] }, radius: 0.6 } }]", 5),
        ("vignette-full", "[{ vignette: { strength: { keys: [[0s, 0], [1s, 1]] }, radius: 0.6 } }]", 10),
        ("grade", "[{ grade: { exposure: 0.5, contrast: 1.3, saturation: 0.4, temperature: 0.6, lift: 0.05, gamma: 1.2, gain: 0.9 } }]", 0),
        ("lut", "[{ lut: { file: rotate } }]", 0),
        ("chromatic-aberration", "[{ chromatic-aberration: { amount: 6 } }]", 0),
        ("grain", "[{ grain: { amount: 0.3, size: 2 } }]", 3),
        ("pixelate", "[{ pixelate: { size: 10 } }]", 0),
        ("chain", "[{ bloom: { threshold: 0.5 } }, { grade: { saturation: 1.4 } }, { vignette: { strength: 0.6 } }]", 0),
    ]

    @Test(arguments: cases.indices)
    func passMatchesItsReference(_ index: Int) throws {
        let test = Self.cases[index]
        let (image, skipped) = try PostFXFixture.render(passes: test.passes, frame: test.frame)
        #expect(skipped.isEmpty, "\(test.name): \(skipped)")
        try GoldenImage.check(image, named: "postfx-\(test.name)")
    }

    @Test func glowAsALayerEffect() throws {
        let layers = PostFXFixture.card + """

          - { id: title, text: "Reel", font: { family: DejaVu Sans, size: 30, weight: 700 }, fill: "#ffffff", position: [80, 70],
              effects: [{ glow: { color: "#ff3fd0", radius: 5, strength: 2 } }] }
        """
        let (image, skipped) = try PostFXFixture.render(layers: layers)
        #expect(skipped.isEmpty, "\(skipped)")
        try GoldenImage.check(image, named: "postfx-glow-effect")
        // The halo is magenta-ish just above the letters, where the card was dark.
        let above = PostFXFixture.pixel(image, 80, 59)
        #expect(above[0] > 60 && above[2] > 50 && above[1] < above[0], "halo pixel \(above)")
    }

    static let transitionLayers = """
      - id: cut
        group:
          - { id: before, rect: { size: [160, 120] }, fill: "#e63946", position: [80, 60] }
          - { id: after, circle: { radius: 50 }, fill: "#2a9d8f", position: [80, 60] }
        effects: [{ transition: { style: STYLE, progress: { keys: [[0s, 0], [1s, 1]] }, angle: ANGLE } }]
    """

    static func transition(_ style: String, angle: Double = 0, frame: Int) throws -> RGBAImage {
        let layers = transitionLayers.replacingOccurrences(of: "STYLE", with: style).replacingOccurrences(of: "ANGLE", with: "\(angle)")
        let (image, skipped) = try PostFXFixture.render(layers: layers, frame: frame)
        #expect(skipped.isEmpty, "\(skipped)")
        return image
    }

    @Test(arguments: ["crossfade", "wipe", "slide"])
    func transitionsMoveFromTheFirstChildToTheSecond(_ style: String) throws {
        let start = try Self.transition(style, frame: 0), end = try Self.transition(style, frame: 10)
        // Frame 0 is the red rectangle alone, frame 10 the green disc alone on the background.
        #expect(PostFXFixture.pixel(start, 5, 5) == [230, 57, 70, 255])
        #expect(PostFXFixture.pixel(end, 5, 5) == PostFXFixture.background)
        #expect(PostFXFixture.pixel(end, 80, 60) == [42, 157, 143, 255])
        let middle = try Self.transition(style, angle: 0, frame: 5)
        try GoldenImage.check(middle, named: "postfx-transition-\(style)")
    }

    @Test func wipeAtHalfShowsTheSecondOnTheLeading() throws {
        let half = try Self.transition("wipe", frame: 5)
        // Angle 0 moves the edge rightwards: the left side already shows the disc's layer
        // (the background at its edge), the right side still the red rectangle.
        #expect(PostFXFixture.pixel(half, 2, 60) == PostFXFixture.background)
        #expect(PostFXFixture.pixel(half, 157, 60) == [230, 57, 70, 255])
    }

    @Test func transitionOutsideAGroupOfTwoIsAClearError() throws {
        let layers = "  - { id: solo, circle: { radius: 10 }, fill: \"#ffffff\", effects: [{ transition: { progress: 0.5 } }] }"
        let error = #expect(throws: ReelError.self) { try PostFXFixture.render(layers: layers) }
        #expect(error?.code == .passInput)
        #expect(error?.message.contains("two children") == true)
    }

    @Test func lutRotatesChannelsAsTheCubeFileSays() throws {
        let (image, _) = try PostFXFixture.render(layers: "  - { id: r, rect: { size: [160, 120] }, fill: \"#ff0000\", position: [80, 60] }",
                                                  passes: "[{ lut: { file: rotate } }]")
        // out = (g, b, r): red becomes blue.
        let p = PostFXFixture.pixel(image, 80, 60)
        #expect(p[0] <= 2 && p[1] <= 2 && p[2] >= 253, "\(p)")
    }

    @Test func grainIsTheSameForAFrameAndDiffersBetweenFrames() throws {
        let passes = "[{ grain: { amount: 0.3 } }]"
        let a = try PostFXFixture.render(passes: passes, frame: 3).0
        let b = try PostFXFixture.render(passes: passes, frame: 3).0
        let c = try PostFXFixture.render(passes: passes, frame: 4).0
        let same = a.pixels == b.pixels, differs = a.pixels != c.pixels
        #expect(same, "frame 3 twice")
        #expect(differs, "frames 3 and 4")
        // Grain is zero-mean: the picture's average brightness barely moves.
        let plain = try PostFXFixture.render(frame: 3).0
        let mean = { (image: RGBAImage) in Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count) }
        #expect(abs(mean(a) - mean(plain)) < 3, "mean \(mean(a)) against \(mean(plain))")
    }

    @Test func largeBlurSpreadsToTheMean() throws {
        let (image, _) = try PostFXFixture.render(layers: """
          - { id: half, rect: { size: [80, 120] }, fill: "#ffffff", position: [40, 60] }
        """, passes: "[{ blur: { radius: 200 } }]")
        // A σ far larger than the picture leaves it close to flat: the edge clamps, so the
        // two halves converge on grey rather than exactly the mean.
        let left = PostFXFixture.pixel(image, 10, 60)[0], right = PostFXFixture.pixel(image, 150, 60)[0]
        #expect(abs(left - right) < 70, "left \(left), right \(right)")
        #expect(left > right)
    }

    @Test func pixelateMakesUniformBlocks() throws {
        let (image, _) = try PostFXFixture.render(passes: "[{ pixelate: { size: 10 } }]")
        for (bx, by) in [(0, 0), (3, 2), (10, 8)] {
            let first = PostFXFixture.pixel(image, bx * 10, by * 10)
            for dy in 0..<10 { for dx in 0..<10 { #expect(PostFXFixture.pixel(image, bx * 10 + dx, by * 10 + dy) == first) } }
        }
    }

    @Test func aScaledRenderLooksLikeTheFullOneSmaller() throws {
        let passes = "[{ blur: { radius: 6 } }]"
        let full = try PostFXFixture.render(passes: passes).0
        let half = try PostFXFixture.render(passes: passes, scale: 0.5).0
        // Compare the half-size render with the full one sampled at every other pixel pair.
        var worst = 0
        for y in 0..<half.height {
            for x in 0..<half.width {
                let h = PostFXFixture.pixel(half, x, y)
                var avg = [0, 0, 0, 0]
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let f = PostFXFixture.pixel(full, 2 * x + dx, 2 * y + dy)
                    for c in 0..<4 { avg[c] += f[c] }
                }
                for c in 0..<4 { worst = max(worst, abs(avg[c] / 4 - h[c])) }
            }
        }
        #expect(worst < 24, "a blur radius is in scene units, so --scale keeps the look (worst channel difference \(worst))")
    }

    @Test func unknownPassesAreReportedNotDropped() throws {
        var scene = try PostFXFixture.scene()
        scene.passes = [PluginUse(name: "nowhere.sparkle", parameters: [:])]
        let state = Timeline.evaluate(scene, frame: 0, plugins: .standard)
        let skipped = try withGL { context in
            let renderer = try FrameRenderer(context: context, plugins: .standard)
            defer { renderer.release() }
            _ = try renderer.render(state)
            return renderer.skippedFeatures
        }
        #expect(skipped.contains { $0.contains("nowhere.sparkle") })
    }
}

@Suite("PostFX parameters in scenes")
struct PostFXParameterTests {
    @Test func aMisspeltTransitionStyleIsALocatedSceneError() throws {
        let error = #expect(throws: SceneError.self) {
            try PostFXFixture.scene(layers: PostFXGoldenTests.transitionLayers
                .replacingOccurrences(of: "STYLE", with: "wiper").replacingOccurrences(of: "ANGLE", with: "0"))
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.message.contains("crossfade") && diagnostic.message.contains("wiper"), "\(diagnostic.message)")
        #expect(diagnostic.location?.line == 9, "\(String(describing: diagnostic.location))")
    }

    @Test func outOfRangeNumbersAreRefusedWithTheRange() throws {
        let error = #expect(throws: SceneError.self) { try PostFXFixture.scene(passes: "[{ vignette: { strength: 2 } }]") }
        #expect(error?.diagnostics.first?.message.contains("1") == true)
        #expect(error?.diagnostics.first?.path.hasPrefix("passes[0]") == true, "\(error?.diagnostics.first?.path ?? "")")
    }
}
