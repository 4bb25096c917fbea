import Foundation
import Reel

/// The scenes `make bench` draws, built in code so their size is not limited by scene files.
enum Workloads {
    /// The orbits scene of ../shared/bench/scene.py, as committed: 1920×1080, 60 fps, 10 s;
    /// 200 circles moved by `motion.orbit` and a 300×300 square turning at 90°/s. Circles are
    /// antialiased analytically, as in the yardstick, so MSAA is off.
    static let orbitsFile = "Scenes/bench/orbits.yaml"

    static func orbits() throws -> Scene {
        try SceneDecoder(plugins: .standard).load(path: orbitsFile)
    }

    /// 10 000 circles of radius 4–12 px drifting across a 1920×1080 canvas, 120 frames.
    static func circles(count: Int = 10_000) -> Scene {
        var random = SeededRandom(seed: 1, layer: "bench", frame: 0)
        var layers: [Layer] = []
        layers.reserveCapacity(count)
        for i in 0..<count {
            let start = Vec2(random.unit() * 1920, random.unit() * 1080)
            let end = Vec2(random.unit() * 1920, random.unit() * 1080)
            let radius = 4 + random.unit() * 8
            layers.append(Layer(id: "c\(i)", content: .ellipse(radii: .constant(Vec2(radius, radius))),
                                position: .keyframes([Keyframe(time: 0, value: start), Keyframe(time: 2, value: end, easing: .curve(.sine, .inOut))]),
                                fill: .constant(.solid(hsv(Double(i % 360) / 360, 0.7, 0.95)))))
        }
        return Scene(canvas: Canvas(width: 1920, height: 1080, fps: 60, frameCount: 120,
                                    background: Color(red: 16 / 255, green: 16 / 255, blue: 24 / 255), samples: 1),
                     layers: layers)
    }

    /// Three 720p cards, each masked by a moving circle (alpha, luminance, inverted), and the
    /// same cards unmasked: what masks cost (issue #16 measured 27.8 → 6.4 fps).
    static func masks(masked: Bool, samples: Int = 4) throws -> Scene {
        var layers = ""
        for (i, mode) in ["alpha", "luminance", "alpha"].enumerated() {
            let x = 220 + i * 420
            layers += """
              - id: hole\(i)
                circle: { radius: 150 }
                position: { keys: [[0s, [\(x - 60), 300]], [2s, [\(x + 60), 420], inOutSine]] }
                fill: white
                visible: \(masked ? "false" : "true")
              - id: card\(i)
                rect: { size: [380, 560], radius: 30 }
                position: [\(x), 360]
                fill: { linear: { from: [-190, 0], to: [190, 0], stops: [[0, "#1f6feb"], [1, "#e94560"]] } }

            """
            if masked { layers += "    mask: { layer: hole\(i), mode: \(mode)\(i == 2 ? ", invert: true" : "") }\n" }
        }
        let text = """
        reel: 1
        canvas: { size: [1280, 720], fps: 30, duration: 2s, background: "#101018", samples: \(samples) }
        layers:
        \(layers)
        """
        return try SceneDecoder(plugins: .standard).decode(text)
    }

    static func hsv(_ h: Double, _ s: Double, _ v: Double) -> Color {
        let i = Int(h * 6) % 6, f = h * 6 - Double(Int(h * 6))
        let p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s)
        let (r, g, b): (Double, Double, Double) = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
        func byte(_ x: Double) -> Double { (x * 255).rounded() / 255 }
        return Color(red: byte(r), green: byte(g), blue: byte(b))
    }
}
