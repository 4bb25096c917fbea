import Foundation
import ReelCore

/// The scenes `make bench` draws, built in code so their size is not limited by scene files.
enum Workloads {
    /// The orbits scene of ../shared/bench/scene.py: 1920×1080, 60 fps, 10 s; 200 circles on
    /// sinusoidal paths (a keyframe per frame, so the motion is exact) and a 300×300 square
    /// turning counter-clockwise at 90°/s. Circles are antialiased analytically, as in the
    /// yardstick, so MSAA is off.
    static func orbits() -> Scene {
        let fps = 60.0, frames = 600
        var layers: [Layer] = []
        for i in 0..<200 {
            let radius = Double(20 + (i * 37) % 40)
            var keys: [Keyframe<Vec2>] = []
            keys.reserveCapacity(frames)
            for k in 0..<frames {
                let t = Double(k) / fps, d = Double(i)
                keys.append(Keyframe(time: t, value: Vec2(960 + 700 * sin(t * (0.3 + 0.01 * d) + d),
                                                          540 + 380 * cos(t * (0.2 + 0.013 * d) + 2 * d))))
            }
            layers.append(Layer(id: "c\(i)", content: .ellipse(radii: .constant(Vec2(radius, radius))),
                                position: .keyframes(keys), fill: .constant(.solid(hsv(Double(i) / 200, 0.75, 0.95)))))
        }
        layers.append(Layer(id: "square", content: .rect(size: .constant(Vec2(300, 300)), cornerRadius: .constant(0)),
                            position: .constant(Vec2(960, 540)),
                            rotation: .keyframes([Keyframe(time: 0, value: 0), Keyframe(time: 10, value: -900)]),
                            fill: .constant(.solid(Color(red: 240 / 255, green: 240 / 255, blue: 240 / 255)))))
        return Scene(canvas: Canvas(width: 1920, height: 1080, fps: fps, frameCount: frames,
                                    background: Color(red: 16 / 255, green: 16 / 255, blue: 24 / 255), samples: 1),
                     layers: layers)
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

    static func hsv(_ h: Double, _ s: Double, _ v: Double) -> Color {
        let i = Int(h * 6) % 6, f = h * 6 - Double(Int(h * 6))
        let p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s)
        let (r, g, b): (Double, Double, Double) = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
        func byte(_ x: Double) -> Double { (x * 255).rounded() / 255 }
        return Color(red: byte(r), green: byte(g), blue: byte(b))
    }
}
