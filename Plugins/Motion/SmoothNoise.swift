import Foundation
import ReelCore

/// Smooth one-dimensional noise: random values at whole numbers, joined by a quintic
/// ease, so the curve and its first two derivatives are continuous.
///
/// The values come from `SeededRandom` keyed by (scene seed, layer id, lattice index,
/// stream): the noise is a function of its argument alone, never of a frame counter, so a
/// frame computed on its own equals the same frame of a full render, at any frame rate.
struct SmoothNoise: Sendable {
    var seed: UInt64
    var layer: String
    var stream: UInt64

    /// Noise at `x`, in -1…1. Zero for arguments too large to index the lattice.
    func value(at x: Double) -> Double {
        guard x.isFinite, abs(x) < 1e15 else { return 0 }
        let cell = x.rounded(.down), f = x - cell
        let i = Int(cell)
        let a = lattice(i), b = lattice(i + 1)
        let s = f * f * f * (f * (f * 6 - 15) + 10)
        return a + (b - a) * s
    }

    /// `octaves` layers of noise, each at twice the frequency and half the amplitude of the
    /// one before, scaled back to -1…1.
    func fractal(at x: Double, octaves: Int) -> Double {
        var sum = 0.0, amplitude = 1.0, total = 0.0, frequency = 1.0
        for octave in 0..<max(1, octaves) {
            let layerNoise = SmoothNoise(seed: seed, layer: layer, stream: stream &* 31 &+ UInt64(octave))
            sum += amplitude * layerNoise.value(at: x * frequency)
            total += amplitude
            amplitude /= 2
            frequency *= 2
        }
        return sum / total
    }

    private func lattice(_ i: Int) -> Double {
        var random = SeededRandom(seed: seed, layer: layer, frame: i, stream: stream)
        return random.unit() * 2 - 1
    }
}
