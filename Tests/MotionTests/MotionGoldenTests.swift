import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia
import ReelTestSupport
import Testing

/// Every Motion pass drawn at a few frames, compared with its reference picture in Golden/
/// (`REEL_RECORD_GOLDEN=1 swift test --filter MotionGolden` re-records them).
struct MotionGoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var layers: String
    var frames: [Int]
    var testDescription: String { name }

    static let all: [MotionGoldenCase] = [
        MotionGoldenCase(name: "wiggle", layers: """
          - { rect: { size: [30, 30], radius: 4 }, position: [50, 60], fill: "#e94560",
              animate: [{ wiggle: { amplitude: [25, 25], frequency: 1.5, rotation: 40, scale: 0.3 } }] }
          - { circle: { radius: 12 }, position: [115, 60], fill: "#4ecca3", animate: [{ wiggle: { amplitude: 30, octaves: 4 } }] }
        """, frames: [0, 7, 16]),
        MotionGoldenCase(name: "follow-path", layers: """
          - { path: "M 20 100 C 20 20 140 100 140 20", fill: none, stroke: { color: "#ffffff44", width: 2 } }
          - { polygon: { sides: 3, radius: 12 }, fill: "#f9d56e",
              animate: [{ follow-path: { path: "M 20 100 C 20 20 140 100 140 20", progress: { keys: [[0s, 0], [2s, 1]] }, orient: true, offset: 90 } }] }
        """, frames: [0, 9, 19]),
        MotionGoldenCase(name: "stagger", layers: """
          - id: bars
            group:
              - { rect: { size: [16, 60] }, position: [30, 60], fill: "#e94560", scale: { keys: [[0s, [1, 0]], [0.6s, [1, 1], outBack]] } }
              - { rect: { size: [16, 60] }, position: [55, 60], fill: "#f9d56e", scale: { keys: [[0s, [1, 0]], [0.6s, [1, 1], outBack]] } }
              - { rect: { size: [16, 60] }, position: [80, 60], fill: "#4ecca3", scale: { keys: [[0s, [1, 0]], [0.6s, [1, 1], outBack]] } }
              - { rect: { size: [16, 60] }, position: [105, 60], fill: "#3e92cc", scale: { keys: [[0s, [1, 0]], [0.6s, [1, 1], outBack]] } }
              - { rect: { size: [16, 60] }, position: [130, 60], fill: "#a06cd5", scale: { keys: [[0s, [1, 0]], [0.6s, [1, 1], outBack]] } }
            animate: [{ stagger: { delay: 0.15, order: center-out } }]
        """, frames: [2, 5, 12]),
        MotionGoldenCase(name: "repeat", layers: """
          - { rect: { size: [6, 16], radius: 3 }, position: [45, 60], fill: "#f9d56e",
              animate: [{ repeat: { mode: radial, count: 12, radius: 30, orient: true, opacity: "fract(i / n - t / 2)", scale: "0.6 + 0.4 * (i % 3) / 2" } }] }
          - { circle: { radius: 5 }, position: [120, 60], fill: "#4ecca3",
              animate: [{ repeat: { count: 9, columns: 3, spacing: [20, 20], scale: "0.5 + 0.5 * abs(sin(t * 2 + i))", offset-y: "sin(t * 3 + col) * 4" } }] }
        """, frames: [0, 10]),
        MotionGoldenCase(name: "typewriter", layers: """
          - { text: "Hello, Reel", font: { family: DejaVu Sans, size: 22 }, position: [80, 50], fill: white,
              animate: [{ typewriter: { speed: 8, fade: 2, start: 0.1s } }] }
          - { text: "one two three", font: { family: DejaVu Sans, size: 16 }, position: [80, 90], fill: "#f9d56e",
              animate: [{ typewriter: { by: word, speed: 2 } }] }
        """, frames: [4, 9, 15]),
        MotionGoldenCase(name: "particles", layers: """
          - { circle: { radius: 3 }, position: [80, 100], fill: "#f9d56e",
              animate: [{ particles: { rate: 30, lifetime: 1.2, speed: 90, spread: 50, gravity: [0, 80], size-end: 0.3, fade: 0.5 } }] }
          - { rect: { size: [5, 5] }, position: [30, 30], fill: "#e94560",
              animate: [{ particles: { rate: 12, lifetime: 1.5, speed: 40, direction: 20, spread: 40, spin: 180, drag: 1 } }] }
        """, frames: [6, 15]),
    ]
}

@Suite("Motion golden images", .serialized)
struct MotionGoldenTests {
    static let shaper = FontShaper()

    @Test(arguments: MotionGoldenCase.all)
    func matchesItsReferences(_ c: MotionGoldenCase) throws {
        let scene = try SceneDecoder(catalog: PluginRegistry.standard.catalog).decode("""
        reel: 1
        canvas: { size: [160, 120], fps: 10, duration: 2s, background: "#202028", samples: 4 }
        seed: 3
        layers:
        \(c.layers)
        """)
        let images = try withGL { context in
            let renderer = try FrameRenderer(context: context, text: Self.shaper)
            defer { renderer.release() }
            return try c.frames.map { frame in
                let state = Timeline.evaluate(scene, frame: frame, plugins: .standard)
                return try renderer.render(state)
            }
        }
        for (frame, image) in zip(c.frames, images) {
            try GoldenImage.check(image, named: "\(c.name)-\(frame)")
        }
    }
}
