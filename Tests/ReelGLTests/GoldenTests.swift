import Foundation
import ReelCore
import ReelTestSupport
import Testing
@testable import ReelGL

/// One small scene per layer kind, paint, blend mode, mask and transform, each compared
/// with its reference picture in Golden/.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var layers: String
    var testDescription: String { name }

    static let all: [GoldenCase] = [
        GoldenCase(name: "rect", layers: """
          - { rect: { size: [100, 60] }, position: [80, 60], fill: "#e94560" }
        """),
        GoldenCase(name: "rounded-rect-stroke", layers: """
          - { rect: { size: [110, 70], radius: 18 }, position: [80, 60], fill: "#f9d56e", stroke: { color: "#1b998b", width: 8 } }
        """),
        GoldenCase(name: "ellipse", layers: """
          - { ellipse: { size: [130, 70] }, position: [80, 60], rotation: 20, fill: "#4ecca3", stroke: { color: white, width: 3 } }
        """),
        GoldenCase(name: "polygon-star", layers: """
          - { polygon: { sides: 5, radius: 40 }, position: [45, 60], fill: "#f95738", stroke: { color: white, width: 4, join: round } }
          - { star: { points: 6, radius: 45, innerRadius: 20 }, position: [115, 60], fill: "#f4d35e" }
        """),
        GoldenCase(name: "line-caps", layers: """
          - { line: { from: [30, 30], to: [130, 30] }, stroke: { color: white, width: 14, cap: butt } }
          - { line: { from: [30, 60], to: [130, 60] }, stroke: { color: white, width: 14, cap: round } }
          - { line: { from: [30, 90], to: [130, 90] }, stroke: { color: white, width: 14, cap: square } }
        """),
        GoldenCase(name: "joins", layers: """
          - { path: "M 10 100 L 40 30 L 60 100", fill: none, stroke: { color: "#e94560", width: 12, join: miter } }
          - { path: "M 60 100 L 90 30 L 110 100", fill: none, stroke: { color: "#f9d56e", width: 12, join: round } }
          - { path: "M 110 100 L 140 30 L 155 100", fill: none, stroke: { color: "#4ecca3", width: 12, join: bevel } }
        """),
        GoldenCase(name: "miter-limit", layers: """
          - { path: "M 20 100 L 50 20 L 80 100", fill: none, stroke: { color: white, width: 10, join: miter, miterLimit: 10 } }
          - { path: "M 90 100 L 120 20 L 150 100", fill: none, stroke: { color: white, width: 10, join: miter, miterLimit: 1.5 } }
        """),
        GoldenCase(name: "path-commands", layers: """
          - { path: "M 20 60 Q 40 10 60 60 T 100 60 C 110 20 130 20 140 60 A 20 30 0 0 1 100 100 L 60 100 Z", fill: "#5c6bd6", stroke: { color: white, width: 2 } }
        """),
        GoldenCase(name: "even-odd", layers: """
          - { path: { d: "M 80 10 L 110 100 L 30 45 L 130 45 L 50 100 Z", fillRule: evenodd }, fill: "#f95738" }
        """),
        GoldenCase(name: "nonzero", layers: """
          - { path: { d: "M 80 10 L 110 100 L 30 45 L 130 45 L 50 100 Z", fillRule: nonzero }, fill: "#f95738" }
        """),
        GoldenCase(name: "dashes", layers: """
          - { circle: { radius: 45 }, position: [80, 60], fill: none, stroke: { color: white, width: 6, dash: [14, 8], cap: round } }
        """),
        GoldenCase(name: "trim", layers: """
          - { star: { points: 5, radius: 50 }, position: [80, 62], fill: none, stroke: { color: "#4ecca3", width: 5 }, trim: { start: 0.1, end: 0.7, offset: 0.05 } }
        """),
        GoldenCase(name: "thin-lines", layers: """
          - { line: { from: [10, 20], to: [150, 100] }, stroke: { color: white, width: 0.3 } }
          - { rect: { size: [100, 40], radius: 6 }, position: [80, 60], fill: none, stroke: { color: white, width: 0.5 }, rotation: 7 }
        """),
        GoldenCase(name: "linear-gradient", layers: """
          - { rect: { size: [140, 100], radius: 10 }, position: [80, 60], fill: { linear: { from: [-70, 0], to: [70, 0], stops: [[0, "#e94560"], [0.5, "#f9d56e"], [1, "#1b998b"]] } } }
        """),
        GoldenCase(name: "radial-gradient", layers: """
          - { circle: { radius: 55 }, position: [80, 60], fill: { radial: { center: [-10, -10], radius: 60, stops: [[0, "#ffffff"], [0.6, "#5c6bd6"], [1, "#5c6bd600"]] } } }
        """),
        GoldenCase(name: "translucent-over-translucent", layers: """
          - { rect: { size: [80, 80] }, position: [60, 60], fill: "#e9456080" }
          - { circle: { radius: 40 }, position: [100, 60], fill: "#4ecca380" }
        """),
        GoldenCase(name: "group-opacity", layers: """
          - group:
              - { rect: { size: [80, 80] }, position: [60, 60], fill: "#e94560" }
              - { circle: { radius: 40 }, position: [100, 60], fill: "#4ecca3" }
            opacity: 0.5
        """),
        GoldenCase(name: "layer-opacity-fill-and-stroke", layers: """
          - { circle: { radius: 40 }, position: [80, 60], fill: "#f9d56e", stroke: { color: "#e94560", width: 16 }, opacity: 0.5 }
        """),
        GoldenCase(name: "transforms", layers: """
          - id: outer
            group:
              - id: inner
                group:
                  - { rect: { size: [30, 30] }, anchor: [-15, -15], rotation: 30, fill: "#e94560" }
                  - { rect: { size: [30, 30] }, position: [40, 0], skew: [20, 0], fill: "#f9d56e" }
                scale: [1.5, 1]
            position: [40, 40]
            rotation: 15
        """),
        GoldenCase(name: "mask-alpha", layers: """
          - { id: m, circle: { radius: 40 }, position: [80, 60], visible: false }
          - { rect: { size: [160, 120] }, position: [80, 60], fill: { linear: { from: [-80, 0], to: [80, 0], stops: [[0, "#e94560"], [1, "#1b998b"]] } }, mask: m }
        """),
        GoldenCase(name: "mask-luminance-inverted", layers: """
          - { id: m, rect: { size: [160, 120] }, position: [80, 60], fill: { linear: { from: [0, -60], to: [0, 60], stops: [[0, white], [1, black]] } } }
          - { circle: { radius: 50 }, position: [80, 60], fill: "#f9d56e", mask: { layer: m, mode: luminance, invert: true } }
        """),
        GoldenCase(name: "text-lines-and-alignment", layers: """
          - { text: "left\\nAVATAR", font: { size: 18 }, align: left, position: [8, 30], fill: white }
          - { text: "right\\nWAVE", font: { size: 18, weight: bold }, align: right, position: [152, 30], fill: "#f9d56e" }
          - { text: "centre · spaced", font: { size: 16, style: italic }, letterSpacing: 2, position: [80, 80], fill: "#4ecca3" }
          - { text: "tight lines\\nline two", font: { size: 12 }, lineHeight: 0.9, position: [80, 106], fill: "#aab4ff" }
        """),
        GoldenCase(name: "text-shaping", layers: """
          - { text: "office fit", font: { family: DejaVu Serif, size: 24 }, position: [80, 22], fill: white }
          - { text: "שלום עולם", font: { size: 24 }, position: [80, 58], fill: "#f9d56e" }
          - { text: "q\\u0301 n\\u0303 a\\u0308", font: { size: 24 }, position: [80, 96], fill: "#4ecca3" }
        """),
        GoldenCase(name: "text-paint", layers: """
          - { text: "Reel", font: { size: 64, weight: bold }, position: [80, 60], fill: { linear: { from: [-70, 0], to: [70, 0], stops: [[0, "#e94560"], [1, "#f9d56e"]] } }, stroke: { color: white, width: 1.5 }, rotation: -8 }
        """),
    ] + ["add", "multiply", "screen", "overlay", "darken", "lighten"].map { mode in
        GoldenCase(name: "blend-\(mode)", layers: """
          - { rect: { size: [160, 60] }, position: [80, 30], fill: "#5c6bd6" }
          - { rect: { size: [160, 60] }, position: [80, 90], fill: "#f9d56e" }
          - { circle: { radius: 45 }, position: [80, 60], fill: "#e94560c0", blend: \(mode) }
        """)
    }
}

@Suite("Golden images")
struct GoldenTests {
    @Test(arguments: GoldenCase.all)
    func matchesItsReference(_ golden: GoldenCase) throws {
        let (image, skipped) = try renderScene(golden.layers)
        #expect(skipped.isEmpty, "features not drawn: \(skipped)")
        try GoldenImage.check(image, named: golden.name)
    }

    /// The camera zooms 2× on the canvas point (40, 30) and turns 30° clockwise, so the
    /// square drawn there fills the middle of the picture, turned the other way.
    @Test func cameraFramesTheCanvas() throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [160, 120], background: "#202028" }
        camera: { position: [40, 30], zoom: 2, rotation: 30 }
        layers:
          - { rect: { size: [30, 30] }, position: [40, 30], fill: "#e94560" }
          - { circle: { radius: 6 }, position: [60, 30], fill: "#f9d56e" }
        """)
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            return try renderer.render(Timeline.evaluate(scene, frame: 0))
        }
        try GoldenImage.check(image, named: "camera")
        #expect(image[80, 60] == (233, 69, 96, 255), "the camera's target is at the picture's centre")
        // (60, 30) is 20 px right of the target: zoomed to 40 px, turned 30° counter-clockwise.
        let x = 80 + Int((40 * cos(Double.pi / 6)).rounded()), y = 60 - Int((40 * sin(Double.pi / 6)).rounded())
        #expect(image[x, y] == (249, 213, 110, 255), "the circle at (\(x), \(y))")
    }

    @Test func theComparisonCatchesRealChanges() throws {
        let (a, _) = try renderScene(GoldenCase.all[0].layers)
        var b = a
        for i in stride(from: 0, to: b.pixels.count / 2, by: 4) { b.pixels[i] = b.pixels[i] < 128 ? b.pixels[i] + 40 : b.pixels[i] - 40 }
        let diff = GoldenImage.compare(a, b)
        #expect(diff.maxChannel == 40 && diff.psnr < 38)
        #expect(GoldenImage.compare(a, a).psnr == .infinity)
    }
}
