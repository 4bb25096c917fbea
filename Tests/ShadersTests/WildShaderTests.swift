import Foundation
import Reel
import ReelCore
import ReelGL
import ReelTestSupport
import Testing

/// The constructs that shader files from the wild (Vidvox's ISF-Files, Shadertoy ports) use
/// and other hosts accept, one small file each in `Wild/`, written for these tests.
enum WildFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Wild")

    /// A 160×120 scene naming `shaders` (files in `Wild/`, each under its stem), with `body`.
    static func scene(_ body: String, shaders: [String], frames: Int = 20) throws -> Scene {
        let map = shaders.map { "\($0.split(separator: ".")[0]): \($0)" }.joined(separator: ", ")
        return try SceneDecoder(plugins: .standard).decode("""
        reel: 1
        canvas: { size: [160, 120], fps: 10, duration: \(frames)f, background: "#202028", samples: 1 }
        assets: { card: ../ISF/card.png }
        shaders: { \(map) }
        \(body)
        """, file: folder.appendingPathComponent("test.yaml").path, baseDirectory: folder.path)
    }

    static func generator(_ name: String) -> String { "layers: [{ shader: { name: \(name) }, position: [80, 60] }]" }
    static func filter(_ name: String) -> String { ShaderFixture.moving("[{ \(name): {} }]") }
}

@Suite("Shader files from the wild")
struct WildShaderTests {
    static let cases: [(file: String, body: String, frame: Int)] = [
        ("vsblur.fs", WildFixture.filter("vsblur"), 3),
        ("builtin.fs", WildFixture.generator("builtin"), 0),
        ("global.fs", WildFixture.generator("global"), 0),
        ("intfloat.fs", WildFixture.generator("intfloat"), 0),
        ("glesguard.fs", WildFixture.generator("glesguard"), 0),
        ("imagesize.fs", WildFixture.filter("imagesize"), 3),
        ("version1.fs", WildFixture.filter("version1"), 6),
        ("mixedbuffers.fs", WildFixture.filter("mixedbuffers"), 6),
        ("outofrange.fs", WildFixture.generator("outofrange"), 0),
        ("channeltime.glsl", WildFixture.generator("channeltime"), 3),
        ("globaltime.glsl", WildFixture.generator("globaltime"), 4),
        ("channelfile.glsl", WildFixture.generator("channelfile"), 0),
        ("ownmain.glsl", WildFixture.generator("ownmain"), 2),
        ("rgbonly.glsl", WildFixture.generator("rgbonly"), 0),
    ]

    @Test(arguments: cases.indices)
    func wildConstructMatchesItsReference(_ index: Int) throws {
        let test = Self.cases[index]
        let scene = try WildFixture.scene(test.body, shaders: [test.file])
        let image = try ShaderFixture.render(scene, frame: test.frame)
        try GoldenImage.check(image, named: "wild-\(test.file.split(separator: ".")[0])")
    }

    @Test func aVertexShaderCompanionIsReadAndDrawn() throws {
        let scene = try WildFixture.scene(WildFixture.filter("vsblur"), shaders: ["vsblur.fs"])
        #expect(scene.shaders.first?.vertexPath?.hasSuffix("Wild/vsblur.vs") == true)
        // The varyings it sets spread the disc's edge: a blur, not the picture unchanged.
        let plain = try ShaderFixture.render(try WildFixture.scene(ShaderFixture.moving("[]"), shaders: ["vsblur.fs"]), frame: 3)
        let blurred = try ShaderFixture.render(scene, frame: 3)
        #expect(GoldenImage.compare(plain, blurred).differingPixels > 50)
    }

    @Test func theGLESGuardStaysOffAsOnDesktopHosts() throws {
        let image = try ShaderFixture.render(try WildFixture.scene(WildFixture.generator("glesguard"), shaders: ["glesguard.fs"]))
        let pixel = ShaderFixture.pixel(image, 150, 60)
        #expect(pixel[0] < 20 && pixel[1] > 100, "\(pixel)")
    }

    @Test func aPersistentBufferKeepsItsContentBesideOneOfAnotherSize() throws {
        let scene = try WildFixture.scene(WildFixture.filter("mixedbuffers"), shaders: ["mixedbuffers.fs"])
        let later = try ShaderFixture.render(scene, frame: 8)
        // The held picture is frame 0's: the disc at its start, not where it is at frame 8.
        #expect(ShaderFixture.pixel(later, 20, 60)[0] > 200, "\(ShaderFixture.pixel(later, 20, 60))")
        #expect(ShaderFixture.pixel(later, 68, 60)[0] < 100, "\(ShaderFixture.pixel(later, 68, 60))")
    }

    @Test func version1PersistentBuffersPersist() throws {
        let scene = try WildFixture.scene(WildFixture.filter("version1"), shaders: ["version1.fs"])
        let image = try ShaderFixture.render(scene, frame: 6)
        // The disc has moved on; where it was two frames ago a fading trail remains.
        let trail = ShaderFixture.pixel(image, 32, 60)
        #expect(trail[0] > 60 && trail[0] < 250, "\(trail)")
    }

    @Test func aDefaultOutsideItsRangeIsClampedWithAWarningNamingFileAndInput() throws {
        let scene = try WildFixture.scene(WildFixture.generator("outofrange"), shaders: ["outofrange.fs"])
        let warnings = ScenePreflight.shaderWarnings(scene)
        #expect(warnings.count == 1)
        #expect(warnings.first?.location?.file.hasSuffix("Wild/outofrange.fs") == true)
        #expect(warnings.first?.location?.line == 4)
        #expect(warnings.first?.message.contains("input 'level'") == true, "\(warnings)")
        let image = try ShaderFixture.render(scene)
        #expect(abs(ShaderFixture.pixel(image, 80, 60)[0] - 128) <= 1, "level clamped to 1: \(ShaderFixture.pixel(image, 80, 60))")
    }

    @Test func anUnsupportedFeatureIsReportedOnceAtItsLine() throws {
        let error = #expect(throws: SceneError.self) {
            try WildFixture.scene(WildFixture.generator("bufferchannel"), shaders: ["bufferchannel.glsl"])
        }
        #expect(error?.diagnostics.count == 1, "\(error?.diagnostics.map(\.message) ?? [])")
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.location?.file.hasSuffix("Wild/bufferchannel.glsl") == true && diagnostic.location?.line == 1)
        #expect(diagnostic.message.contains("buf://Buffer A"), "\(diagnostic.message)")
    }

    @Test func anAudioInputReadsSilenceWithAWarning() throws {
        let scene = try WildFixture.scene(WildFixture.generator("audio"), shaders: ["audio.fs"])
        let warnings = ScenePreflight.shaderWarnings(scene)
        #expect(warnings.count == 1 && warnings.first?.location?.line == 5)
        #expect(warnings.first?.message.contains("no live audio") == true, "\(warnings)")
        let image = try ShaderFixture.render(scene)
        #expect(ShaderFixture.pixel(image, 80, 60) == [32, 32, 40, 255], "silence: the background shows")
    }

    // MARK: - A shader file alone is a scene

    @Test func aGeneratorFileIsASceneThatFillsTheCanvas() throws {
        let path = WildFixture.folder.appendingPathComponent("globaltime.glsl").path
        let scene = try ShaderFileScene.scene(shader: path, input: nil, settings: [], plugins: .standard)
        #expect(scene.canvas.width == 1280 && scene.canvas.height == 720)
        let image = try ShaderFixture.render(scene, frame: 3)
        #expect(ShaderFixture.pixel(image, 640, 360)[3] == 255)
    }

    @Test func aFilterFileIsAPassOverTheInputWithItsInputsSet() throws {
        let folder = ShaderFixture.folder
        let scene = try ShaderFileScene.scene(shader: folder.appendingPathComponent("invert.fs").path,
                                              input: folder.appendingPathComponent("card.png").path, settings: ["amount=1"], plugins: .standard)
        #expect(scene.passes.count == 1)
        let image = try ShaderFixture.render(scene)
        #expect(ShaderFixture.pixel(image, 640, 360)[3] == 255)
        #expect(throws: SceneError.self) {
            try ShaderFileScene.scene(shader: folder.appendingPathComponent("invert.fs").path, input: nil, settings: ["amout=1"], plugins: .standard)
        }
    }

    // MARK: - Shadertoy inputs

    @Test func channelTimeAndSampleRateAreSet() throws {
        let image = try ShaderFixture.render(try WildFixture.scene(WildFixture.generator("channeltime"), shaders: ["channeltime.glsl"]), frame: 3)
        let pixel = ShaderFixture.pixel(image, 159, 0)
        #expect(abs(pixel[0] - 77) <= 2, "fract(0.3 s): \(pixel)")
        #expect(pixel[1] > 240, "iSampleRate is 44100: \(pixel)")
    }

    @Test func globalTimeIsTime() throws {
        let scene = try WildFixture.scene(WildFixture.generator("globaltime"), shaders: ["globaltime.glsl"])
        let first = try ShaderFixture.render(scene, frame: 0), later = try ShaderFixture.render(scene, frame: 4)
        #expect(GoldenImage.compare(first, later).differingPixels > 1000)
    }

    @Test func channelLinesNameAPictureBesideTheFileAndItRepeats() throws {
        let scene = try WildFixture.scene(WildFixture.generator("channelfile"), shaders: ["channelfile.glsl"])
        #expect(scene.assets.contains { $0.name == "channelfile.iChannel0" && ($0.resolvedPath ?? "").hasSuffix("ISF/card.png") })
        let image = try ShaderFixture.render(scene)
        // uv * 2 - 0.25 reaches past both edges: repeated, the corners are not the edge's colour smeared.
        #expect(ShaderFixture.pixel(image, 2, 2) != ShaderFixture.pixel(image, 2, 30) || ShaderFixture.pixel(image, 2, 2) != ShaderFixture.pixel(image, 30, 2))
    }

    @Test func channelWrapAndFilterAreParameters() throws {
        let repeated = try ShaderFixture.render(try WildFixture.scene(WildFixture.generator("channelfile"), shaders: ["channelfile.glsl"]))
        let clamped = try ShaderFixture.render(try WildFixture.scene(
            "layers: [{ shader: { name: channelfile, params: { iChannel0_wrap: clamp, iChannel0_filter: nearest } }, position: [80, 60] }]",
            shaders: ["channelfile.glsl"]))
        #expect(GoldenImage.compare(repeated, clamped).differingPixels > 500)
    }

    @Test func aFileWithItsOwnMainRuns() throws {
        let image = try ShaderFixture.render(try WildFixture.scene(WildFixture.generator("ownmain"), shaders: ["ownmain.glsl"]), frame: 2)
        let pixel = ShaderFixture.pixel(image, 159, 0)
        #expect(pixel[0] > 240 && pixel[1] > 240 && pixel[3] == 255, "\(pixel)")
    }

    @Test func writingOnlyRGBIsOpaque() throws {
        let image = try ShaderFixture.render(try WildFixture.scene(WildFixture.generator("rgbonly"), shaders: ["rgbonly.glsl"]))
        #expect(ShaderFixture.pixel(image, 80, 60)[3] == 255)
    }
}
