import ReelCore

/// At most 256 colours for GIF: one palette for a whole clip, chosen by median cut over the
/// colours of its frames, and frames mapped to it with Floyd–Steinberg dithering.
///
/// One palette per clip (not per frame) keeps colours from flickering between frames and
/// lets the GIF carry a single global colour table.
public struct Palette: Sendable, Equatable {
    /// RGB entries; at most 256 including the transparent one.
    public var colors: [(UInt8, UInt8, UInt8)]
    /// The entry that stands for "transparent", when the clip has transparency.
    public var transparentIndex: Int?

    public static func == (a: Palette, b: Palette) -> Bool {
        a.transparentIndex == b.transparentIndex && a.colors.count == b.colors.count
            && zip(a.colors, b.colors).allSatisfy { $0 == $1 }
    }
}

/// Counts the colours of frames, 5 bits a channel, then cuts the colour cube into boxes of
/// similar colours, one palette entry each.
public struct PaletteBuilder: Sendable {
    // Per 15-bit colour: pixel count and exact channel sums, so entries are true means.
    private var counts = [UInt64](repeating: 0, count: 1 << 15)
    private var sums = [UInt64](repeating: 0, count: 3 << 15)
    private var sawTransparent = false

    public init() {}

    /// Adds the opaque pixels of `image` (straight or premultiplied; colours are read as
    /// straight). Pixels under half opacity count as transparent.
    public mutating func add(_ image: RGBAImage) {
        let straight = image.unpremultiplied()
        straight.pixels.withUnsafeBufferPointer { p in
            for i in stride(from: 0, to: p.count, by: 4) {
                if p[i + 3] < 128 { sawTransparent = true; continue }
                let (r, g, b) = (Int(p[i]), Int(p[i + 1]), Int(p[i + 2]))
                let key = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3
                counts[key] += 1
                sums[3 * key] += UInt64(r)
                sums[3 * key + 1] += UInt64(g)
                sums[3 * key + 2] += UInt64(b)
            }
        }
    }

    /// The palette: up to `maxColors` entries (one of them transparent if any pixel was).
    public func build(maxColors: Int = 256) -> Palette {
        let budget = max(2, min(256, maxColors) - (sawTransparent ? 1 : 0))
        var boxes = [Box(keys: (0..<(1 << 15)).filter { counts[$0] > 0 }, counts: counts)]
        // Split the box holding the most pixels × widest range until the budget is spent.
        while boxes.count < budget {
            guard let index = boxes.indices.filter({ boxes[$0].keys.count > 1 }).max(by: { boxes[$0].priority < boxes[$1].priority })
            else { break }
            let (a, b) = boxes[index].split(counts: counts)
            boxes[index] = a
            boxes.append(b)
        }
        var colors: [(UInt8, UInt8, UInt8)] = boxes.filter { !$0.keys.isEmpty }.map { box in
            var total: UInt64 = 0, r: UInt64 = 0, g: UInt64 = 0, b: UInt64 = 0
            for key in box.keys {
                total += counts[key]
                r += sums[3 * key]; g += sums[3 * key + 1]; b += sums[3 * key + 2]
            }
            return (UInt8((r + total / 2) / total), UInt8((g + total / 2) / total), UInt8((b + total / 2) / total))
        }
        if colors.isEmpty { colors = [(0, 0, 0)] }
        // A stable order (by value) so palettes compare equal however boxes were split.
        colors.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var transparent: Int?
        if sawTransparent {
            transparent = colors.count
            colors.append((0, 0, 0))
        }
        return Palette(colors: colors, transparentIndex: transparent)
    }

    private struct Box {
        var keys: [Int]
        var pixels: UInt64
        var ranges: (Int, Int, Int)

        init(keys: [Int], counts: [UInt64]) {
            self.keys = keys
            pixels = keys.reduce(0) { $0 + counts[$1] }
            var low = (31, 31, 31), high = (0, 0, 0)
            for key in keys {
                let (r, g, b) = (key >> 10, key >> 5 & 31, key & 31)
                low = (min(low.0, r), min(low.1, g), min(low.2, b))
                high = (max(high.0, r), max(high.1, g), max(high.2, b))
            }
            ranges = keys.isEmpty ? (0, 0, 0) : (high.0 - low.0, high.1 - low.1, high.2 - low.2)
        }

        var priority: Double { Double(pixels) * Double(max(ranges.0, ranges.1, ranges.2) + 1) }

        /// Halves the box along its widest channel at the pixel-weighted median.
        func split(counts: [UInt64]) -> (Box, Box) {
            let shift = ranges.0 >= ranges.1 && ranges.0 >= ranges.2 ? 10 : (ranges.1 >= ranges.2 ? 5 : 0)
            let sorted = keys.sorted { ($0 >> shift & 31, $0) < ($1 >> shift & 31, $1) }
            var seen: UInt64 = 0, cut = 1
            for (i, key) in sorted.enumerated() {
                seen += counts[key]
                if seen * 2 >= pixels { cut = max(1, min(sorted.count - 1, i + 1)); break }
            }
            return (Box(keys: Array(sorted[..<cut]), counts: counts), Box(keys: Array(sorted[cut...]), counts: counts))
        }
    }
}

/// Maps frames to a palette with Floyd–Steinberg error diffusion. Deterministic: the same
/// frame and palette give the same indices.
public final class PaletteMapper: @unchecked Sendable {
    public let palette: Palette
    // Nearest entry per 15-bit colour, filled on first use (-1: not yet known).
    private var nearest = [Int16](repeating: -1, count: 1 << 15)

    public init(palette: Palette) { self.palette = palette }

    /// One palette index per pixel, rows top to bottom.
    public func map(_ image: RGBAImage) -> [UInt8] {
        let straight = image.unpremultiplied()
        let width = image.width, height = image.height
        var indices = [UInt8](repeating: 0, count: width * height)
        // Error carried to this row and the next, per channel, with a pixel of margin each side.
        var current = [Float](repeating: 0, count: (width + 2) * 3), next = current
        straight.pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                for i in next.indices { next[i] = 0 }
                for x in 0..<width {
                    let o = (y * width + x) * 4
                    if p[o + 3] < 128, let transparent = palette.transparentIndex {
                        indices[y * width + x] = UInt8(transparent)
                        continue
                    }
                    let e = (x + 1) * 3
                    let r = clamp(Float(p[o]) + current[e]), g = clamp(Float(p[o + 1]) + current[e + 1]), b = clamp(Float(p[o + 2]) + current[e + 2])
                    let index = lookup(Int(r), Int(g), Int(b))
                    indices[y * width + x] = UInt8(index)
                    let chosen = palette.colors[index]
                    diffuse(r - Float(chosen.0), channel: 0, at: e, &current, &next)
                    diffuse(g - Float(chosen.1), channel: 1, at: e, &current, &next)
                    diffuse(b - Float(chosen.2), channel: 2, at: e, &current, &next)
                }
                swap(&current, &next)
            }
        }
        return indices
    }

    private func clamp(_ v: Float) -> Float { min(255, max(0, v.rounded())) }

    /// Floyd–Steinberg's weights: 7/16 right, 3/16 below left, 5/16 below, 1/16 below right.
    @inline(__always)
    private func diffuse(_ error: Float, channel c: Int, at e: Int, _ current: inout [Float], _ next: inout [Float]) {
        current[e + 3 + c] += error * (7 / 16)
        next[e - 3 + c] += error * (3 / 16)
        next[e + c] += error * (5 / 16)
        next[e + 3 + c] += error * (1 / 16)
    }

    private func lookup(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let key = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3
        if nearest[key] >= 0 { return Int(nearest[key]) }
        // The centre of the 15-bit cell stands for every colour in it.
        let (cr, cg, cb) = ((r >> 3) * 8 + 4, (g >> 3) * 8 + 4, (b >> 3) * 8 + 4)
        var best = 0, bestDistance = Int.max
        for (i, c) in palette.colors.enumerated() where i != palette.transparentIndex {
            let d = (Int(c.0) - cr) * (Int(c.0) - cr) * 2 + (Int(c.1) - cg) * (Int(c.1) - cg) * 4 + (Int(c.2) - cb) * (Int(c.2) - cb) * 3
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        nearest[key] = Int16(best)
        return best
    }
}
