import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia
import ReelTestSupport
import Testing

/// Scenes over the ISF and Shadertoy files in `ISF/`, decoded and rendered the way the CLI
/// does (`SceneDecoder(plugins:)`, `Still.render`, `RenderJob`).
enum ShaderFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ISF")

    /// A 160×120 scene naming every test shader, with `body` (layers and passes).
    static func scene(_ body: String, shaders: [String]? = nil, frames: Int = 20) throws -> Scene {
        let files = shaders ?? ["gradient.fs", "checker.fs", "spot.fs", "imported.fs", "invert.fs", "boxblur.fs", "multipass.fs",
                                "trails.fs", "counter.fs", "flash.fs", "plasma.glsl", "echo.glsl"]
        let map = files.map { "\($0.split(separator: ".")[0]): \($0)" }.joined(separator: ", ")
        return try SceneDecoder(plugins: .standard).decode("""
        reel: 1
        canvas: { size: [160, 120], fps: 10, duration: \(frames)f, background: "#202028", samples: 1 }
        assets: { card: card.png }
        shaders: { \(map) }
        \(body)
        """, file: folder.appendingPathComponent("test.yaml").path, baseDirectory: folder.path)
    }

    static let full = "{ position: [80, 60], size: [160, 120] }"

    static func render(_ scene: Scene, frame: Int = 0) throws -> RGBAImage {
        let gl = try HeadlessGL.open(device: .automatic, label: "reel.test")
        defer { gl.close() }
        let output = try Still.render(scene, frame: frame, gl: gl)
        #expect(output.skippedFeatures.isEmpty, "\(output.skippedFeatures)")
        return output.image
    }

    static func pixel(_ image: RGBAImage, _ x: Int, _ y: Int) -> [Int] {
        let i = (y * image.width + x) * 4
        return image.pixels[i..<i + 4].map { Int($0) }
    }

    /// A moving white disc under `passes`, for filters.
    static func moving(_ passes: String) -> String {
        """
        layers:
          - { id: disc, circle: { radius: 14 }, fill: "#ffffff", position: { keys: [[0s, [20, 60]], [2s, [140, 60]]] } }
          - { id: bar, rect: { size: [160, 12] }, fill: "#e63946", position: [80, 100] }
        passes: \(passes)
        """
    }
}

@Suite("ISF and Shadertoy files")
struct ShaderFileTests {
    // MARK: - Generators and filters against references

    static let cases: [(name: String, body: String, frame: Int)] = [
        ("gradient", "layers: [{ shader: { name: gradient, params: { brightness: { keys: [[0s, 0.5], [1s, 1.5]] } } }, position: [80, 60] }]", 5),
        ("checker", "layers: [{ shader: { name: checker, params: { cells: 8, invert: true } }, position: [80, 60] }]", 0),
        ("spot", "layers: [{ shader: { name: spot, params: { center: { keys: [[0s, [20, 20]], [1s, [140, 100]]] } } }, position: [80, 60] }]", 5),
        ("imported", "layers: [{ shader: { name: imported, size: [80, 60] }, position: [80, 60], rotation: 10 }]", 0),
        ("invert", ShaderFixture.moving("[{ invert: { amount: 0.8 } }]"), 3),
        ("boxblur", ShaderFixture.moving("[{ boxblur: { spread: 2 } }]"), 3),
        ("multipass", ShaderFixture.moving("[{ multipass: { mixAmount: 0.6 } }]"), 3),
        ("trails", ShaderFixture.moving("[{ trails: { decay: 0.8 } }]"), 12),
        ("counter", "layers: [{ shader: { name: counter }, position: [80, 60] }]", 7),
        ("flash-off", ShaderFixture.moving("[{ flash: { flash: false } }]"), 3),
        ("plasma", "layers: [{ shader: { name: plasma }, position: [80, 60] }]", 4),
        ("echo", ShaderFixture.moving("[{ echo: { iChannel1: self } }]"), 12),
    ]

    @Test(arguments: cases.indices)
    func shaderMatchesItsReference(_ index: Int) throws {
        let test = Self.cases[index]
        let image = try ShaderFixture.render(try ShaderFixture.scene(test.body), frame: test.frame)
        try GoldenImage.check(image, named: "shader-\(test.name)")
    }

    @Test func generatorsAreLayersAndFiltersArePasses() throws {
        let scene = try ShaderFixture.scene("layers: []")
        let catalog = try PluginRegistry.standard.including(scene).catalog
        func kinds(_ name: String) -> Set<ContributionDescriptor.Kind> {
            Set(catalog.contributions.filter { $0.qualifiedName == "shaders." + name }.map(\.kind))
        }
        #expect(kinds("gradient") == [.layer])
        #expect(kinds("invert") == [.pass])
        #expect(kinds("trails") == [.pass])
        #expect(kinds("plasma") == [.layer, .pass], "a Shadertoy file is both")
    }

    @Test func inputsBecomeParametersWithTheISFDefaultsAndRanges() throws {
        let scene = try ShaderFixture.scene("layers: []")
        let catalog = try PluginRegistry.standard.including(scene).catalog
        let gradient = try #require(catalog.contributions.first { $0.qualifiedName == "shaders.gradient" })
        let brightness = try #require(gradient.parameters.first { $0.name == "brightness" })
        #expect(brightness.type == .number && brightness.defaultValue == "1" && brightness.minimum == 0 && brightness.maximum == 2)
        #expect(gradient.parameters.first { $0.name == "top" }?.defaultValue == "\"#ff661a\"")
        let checker = try #require(catalog.contributions.first { $0.qualifiedName == "shaders.checker" })
        let cells = try #require(checker.parameters.first { $0.name == "cells" })
        #expect(cells.type == .integer && cells.minimum == 2 && cells.maximum == 8 && cells.doc.contains("4 four"))
        #expect(checker.parameters.first { $0.name == "invert" }?.type == .bool)
        let spot = try #require(catalog.contributions.first { $0.qualifiedName == "shaders.spot" })
        #expect(spot.parameters.first { $0.name == "center" }?.defaultValue == "[40, 30]")
    }

    @Test func parametersAreValidatedInTheScene() throws {
        let error = #expect(throws: SceneError.self) {
            try ShaderFixture.scene("layers: [{ shader: { name: gradient, params: { brightness: 3 } } }]")
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.location?.file.hasSuffix("test.yaml") == true && diagnostic.location?.line == 5)
        #expect(diagnostic.message.contains("2"), "\(diagnostic.message)")
    }

    // MARK: - Orientation and conventions

    @Test func importedPicturesAndTheCanvasKeepTheirOrientation() throws {
        let image = try ShaderFixture.render(try ShaderFixture.scene(
            "layers: [{ shader: { name: imported }, position: [80, 60] }]"))
        // card.png: red top half, green right half. Rows of the render run top to bottom.
        #expect(ShaderFixture.pixel(image, 10, 10) == [255, 0, 80, 255], "top left")
        #expect(ShaderFixture.pixel(image, 150, 10) == [255, 255, 80, 255], "top right")
        #expect(ShaderFixture.pixel(image, 10, 110) == [0, 0, 80, 255], "bottom left")
    }

    @Test func shadertoyFragCoordStartsAtTheBottomLeft() throws {
        let image = try ShaderFixture.render(try ShaderFixture.scene("layers: [{ shader: { name: plasma }, position: [80, 60] }]"))
        #expect(ShaderFixture.pixel(image, 3, 116) == [255, 255, 255, 255], "the marked corner is at the bottom")
        #expect(ShaderFixture.pixel(image, 3, 3) != [255, 255, 255, 255])
    }

    @Test func filtersSeeStraightColourAndReturnPremultiplied() throws {
        // Invert at amount 0 is the identity, so a translucent layer must come back unchanged.
        let body = """
        layers:
          - { id: glass, rect: { size: [100, 80] }, fill: "#3080ff80", position: [80, 60], effects: [{ invert: { amount: 0 } }] }
        """
        let plain = """
        layers:
          - { id: glass, rect: { size: [100, 80] }, fill: "#3080ff80", position: [80, 60] }
        """
        let a = try ShaderFixture.render(try ShaderFixture.scene(body)), b = try ShaderFixture.render(try ShaderFixture.scene(plain))
        let diff = GoldenImage.compare(a, b)
        #expect(diff.maxChannel <= 2, "max channel difference \(diff.maxChannel)")
    }

    @Test func eventInputsFire() throws {
        let image = try ShaderFixture.render(try ShaderFixture.scene(ShaderFixture.moving("[{ flash: { flash: true } }]")))
        #expect(ShaderFixture.pixel(image, 5, 5) == [255, 255, 255, 255])
    }

    // MARK: - Stateful shaders and frame ranges

    @Test func statefulPassesDeclareTheirWarmUp() throws {
        let scene = try ShaderFixture.scene(ShaderFixture.moving("[{ trails: {} }, { echo: { iChannel1: self } }]"))
        let registry = try PluginRegistry.standard.including(scene)
        let trails = try #require(registry.contribution("shaders.trails", kind: .pass) as? any PostPass)
        let echo = try #require(registry.contribution("shaders.echo", kind: .pass) as? any PostPass)
        let invert = try #require(registry.contribution("shaders.invert", kind: .pass) as? any PostPass)
        #expect(trails.warmUp([:]) == .fromStart)
        #expect(echo.warmUp(["iChannel1": .string("self")]) == .frames(12))
        #expect(echo.warmUp(["iChannel1": .string("")]) == nil, "without a self channel it keeps no state")
        #expect(invert.warmUp([:]) == nil)
    }

    @Test func aFrameRangeOfAPersistentBufferEqualsTheFullRender() throws {
        let scene = try ShaderFixture.scene(ShaderFixture.moving("[{ trails: { decay: 0.9 } }]"), frames: 16)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-shaders-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for part in ["full", "part"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(part), withIntermediateDirectories: true)
        }
        let gl = try HeadlessGL.open(device: .automatic, label: "reel.test")
        defer { gl.close() }
        _ = try RenderJob(scene: scene, output: .pngSequence(pattern: folder.path + "/full/####.png")).run(gl: gl)
        _ = try RenderJob(scene: scene, frames: 11...15, output: .pngSequence(pattern: folder.path + "/part/####.png")).run(gl: gl)
        for frame in 11...15 {
            let name = String(format: "%04d.png", frame)
            let full = try PNGCodec.decode(Data(contentsOf: folder.appendingPathComponent("full/" + name)))
            let part = try PNGCodec.decode(Data(contentsOf: folder.appendingPathComponent("part/" + name)))
            let same = full.pixels == part.pixels
            #expect(same, "frame \(frame) of a range starting at 11 differs from the full render")
        }
        // And the trail is really there: frame 15 differs from the same frame without history.
        let stateless = try ShaderFixture.render(try ShaderFixture.scene(ShaderFixture.moving("[{ trails: { decay: 0 } }]"), frames: 16), frame: 15)
        let withTrail = try PNGCodec.decode(Data(contentsOf: folder.appendingPathComponent("full/0015.png")))
        #expect(GoldenImage.compare(stateless.unpremultiplied(), withTrail).differingPixels > 100)
    }

    // MARK: - Broken shaders

    @Test func badJSONHeadersNameTheShaderFileAndLine() throws {
        let error = #expect(throws: SceneError.self) {
            try ShaderFixture.scene("layers: []", shaders: ["broken-json.fs"])
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.code == .shaderFile)
        #expect(diagnostic.location?.file.hasSuffix("ISF/broken-json.fs") == true, "\(String(describing: diagnostic.location))")
        #expect((4...5).contains(diagnostic.location?.line ?? 0), "the comma missing after line 4: \(String(describing: diagnostic.location))")
        #expect(diagnostic.path == "shaders.broken-json")
    }

    @Test func unknownInputTypesNameTheLineAndTheTypes() throws {
        let error = #expect(throws: SceneError.self) {
            try ShaderFixture.scene("layers: []", shaders: ["broken-type.fs"])
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.location?.file.hasSuffix("broken-type.fs") == true && diagnostic.location?.line == 5)
        #expect(diagnostic.message.contains("unknown input type 'colour'"), "\(diagnostic.message)")
        #expect(diagnostic.suggestion == "color")
    }

    @Test func glslErrorsNameTheShaderFileAndItsOwnLine() throws {
        let scene = try ShaderFixture.scene("layers: [{ shader: { name: broken-glsl }, position: [80, 60] }]", shaders: ["broken-glsl.fs"])
        let gl = try HeadlessGL.open(device: .automatic, label: "reel.test")
        defer { gl.close() }
        let error = #expect(throws: ReelError.self) { try Still.render(scene, frame: 0, gl: gl) }
        #expect(error?.code == .shaderCompile)
        #expect(error?.message.contains("broken-glsl.fs:7") == true, "\(error?.message ?? "") / \(error?.detail ?? "")")
    }

    @Test func notAShaderFileIsRefused() throws {
        let error = #expect(throws: SceneError.self) { try ShaderFixture.scene("layers: []", shaders: ["card.png"]) }
        #expect(error?.diagnostics.first?.code == .shaderFile || error?.diagnostics.first?.message.contains("UTF-8") == true)
    }
}
