import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia
import Testing

/// A program that embeds Reel builds a scene with the public initialisers alone, no scene file:
/// a text layer, a picture and a plugin's post pass, drawn by a real EGL context.
@Suite("A scene built in code")
struct SceneInCodeTests {
    static let grey = Color(red: 0.5, green: 0.5, blue: 0.5)

    /// A 40×40 green picture in a file of its own.
    func greenSwatch() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-in-code-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("swatch.png").path
        let pixels = [UInt8](repeating: 0, count: 40 * 40 * 4).enumerated().map { index, _ in index % 4 == 1 || index % 4 == 3 ? UInt8(255) : 0 }
        try PNGCodec.encode(RGBAImage(width: 40, height: 40, pixels: pixels, isPremultiplied: true)).write(to: URL(fileURLWithPath: path))
        return path
    }

    func scene(swatch: String) -> Scene {
        let title = Layer(id: "title", content: .text(TextContent("Reel", font: Font(size: .constant(36), weight: 700))),
                          position: .constant(Vec2(140, 50)), fill: .constant(.solid(.white)))
        let picture = Layer(id: "picture", content: .image(ImageContent(asset: "swatch")), position: .constant(Vec2(50, 50)), fill: nil)
        // Corners fully dark, the middle of the picture untouched.
        let vignette = PluginUse(name: "postfx.vignette", parameters: [
            "strength": .number(.constant(1)), "radius": .number(.constant(1)), "softness": .number(.constant(0.2)),
        ])
        return Scene(canvas: Canvas(width: 200, height: 100, frameCount: 1, background: Self.grey, samples: 1),
                     assets: [Asset(name: "swatch", path: swatch)], layers: [picture, title], passes: [vignette])
    }

    @Test func aTextLayerAPictureAndAPostPassAreDrawn() throws {
        let gl = try HeadlessGL.open()
        defer { gl.close() }
        let output = try Still.render(scene(swatch: try greenSwatch()), frame: 0, gl: gl)
        let image = output.image
        #expect(output.skippedFeatures.isEmpty, "\(output.skippedFeatures)")
        #expect((image.width, image.height) == (200, 100))

        let (r, g, b, _) = image[50, 50]
        #expect(r < 10 && g > 240 && b < 10, "the picture is drawn at its position: \(r) \(g) \(b)")
        let middle = image[100, 5]
        #expect((120...136).contains(middle.0), "the background away from the edges is untouched: \(middle)")
        let corner = image[0, 0]
        #expect(corner.0 < 25 && corner.1 < 25 && corner.2 < 25, "the vignette darkens the corners: \(corner)")

        var white = 0
        for y in 30..<70 { for x in 100..<190 where image[x, y].0 > 220 && image[x, y].2 > 220 { white += 1 } }
        #expect(white > 100, "the text is drawn in white: \(white) white pixels")
        var whiteOutside = 0
        for y in 0..<100 { for x in 0..<95 where image[x, y].0 > 220 { whiteOutside += 1 } }
        #expect(whiteOutside == 0, "and only where the text is")
    }
}

/// Scene parameters can be declared in code too, with the defaults a file's long form has.
@Suite("Parameters declared in code")
struct ParametersInCodeTests {
    @Test func aDeclarationTakesItsDefaultAsItsValue() {
        let title = ParameterDeclaration(name: "title", type: .string, defaultValue: "Hello")
        #expect(title.value == "Hello" && title.doc == nil && title.minimum == nil && title.maximum == nil)
        let size = ParameterDeclaration(name: "size", type: .number, defaultValue: "48", value: "2000", minimum: 8, maximum: 400)
        #expect(size.value == "2000" && size.problem(with: size.value) != nil, "an override out of bounds is reported, not clamped")
    }
}
