import ReelCore

/// A 3D colour lookup table read from an Adobe/Resolve `.cube` file.
///
/// The format: `#` comments, optional `TITLE "…"`, `LUT_3D_SIZE N` (2…256), optional
/// `DOMAIN_MIN r g b` / `DOMAIN_MAX r g b`, then N³ lines of `r g b` with red changing
/// fastest. 1D tables (`LUT_1D_SIZE`) are not 3D tables and are refused.
public struct CubeLUT: Sendable, Equatable {
    public var size: Int
    public var domainMin: (Double, Double, Double)
    public var domainMax: (Double, Double, Double)
    /// N³ RGB triples, red fastest, then green, then blue.
    public var values: [Float]

    public static func == (a: CubeLUT, b: CubeLUT) -> Bool {
        a.size == b.size && a.values == b.values && a.domainMin == b.domainMin && a.domainMax == b.domainMax
    }

    /// - Throws: `E-POSTFX-LUT` naming `name`, the line and what was expected.
    public init(parsing bytes: [UInt8], name: String) throws {
        func fail(_ line: Int, _ message: String) -> ReelError {
            ReelError(.cubeLUT, "\(name):\(line): \(message)",
                      detail: "a .cube file has LUT_3D_SIZE N and then N³ lines of three numbers (red changing fastest)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(1, "the file is not UTF-8 text") }
        var size: Int?, low = (0.0, 0.0, 0.0), high = (1.0, 1.0, 1.0)
        var values: [Float] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first else { continue }
            func triple() throws -> (Double, Double, Double) {
                guard fields.count == 4, let r = Double(fields[1]), let g = Double(fields[2]), let b = Double(fields[3]),
                      r.isFinite, g.isFinite, b.isFinite else { throw fail(number, "\(first) needs three numbers") }
                return (r, g, b)
            }
            switch first {
            case "TITLE": continue
            case "LUT_1D_SIZE": throw fail(number, "this is a 1D LUT; Reel applies 3D LUTs (LUT_3D_SIZE)")
            case "LUT_3D_SIZE":
                guard size == nil else { throw fail(number, "LUT_3D_SIZE is given twice") }
                guard fields.count == 2, let n = Int(fields[1]), (2...256).contains(n) else {
                    throw fail(number, "LUT_3D_SIZE must be a whole number from 2 to 256")
                }
                size = n
                values.reserveCapacity(n * n * n * 3)
            case "DOMAIN_MIN": low = try triple()
            case "DOMAIN_MAX": high = try triple()
            default:
                guard let n = size else {
                    if Double(first) != nil { throw fail(number, "table values before LUT_3D_SIZE") }
                    continue   // other keywords (LUT_3D_INPUT_RANGE, …) are ignored, as other readers do
                }
                guard fields.count == 3, let r = Float(fields[0]), let g = Float(fields[1]), let b = Float(fields[2]),
                      r.isFinite, g.isFinite, b.isFinite else {
                    throw fail(number, "expected three numbers (red green blue), found \"\(line.trimmingCharacters(in: .whitespaces))\"")
                }
                guard values.count < n * n * n * 3 else { throw fail(number, "more than \(n)³ = \(n * n * n) table lines") }
                values += [r, g, b]
            }
        }
        guard let n = size else { throw fail(1, "no LUT_3D_SIZE line") }
        guard values.count == n * n * n * 3 else {
            throw fail(text.split(whereSeparator: \.isNewline).count, "\(values.count / 3) table lines, expected \(n)³ = \(n * n * n)")
        }
        guard high.0 > low.0, high.1 > low.1, high.2 > low.2 else { throw fail(1, "DOMAIN_MAX must exceed DOMAIN_MIN") }
        (self.size, domainMin, domainMax, self.values) = (n, low, high, values)
    }

    /// The table as an RGBA8 picture N² wide and N high: slice b (blue) occupies columns
    /// b·N…b·N+N−1, red across a slice, green down. Values outside 0…1 are clamped.
    public func texturePixels() -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: size * size * size * 4)
        for b in 0..<size {
            for g in 0..<size {
                for r in 0..<size {
                    let source = ((b * size + g) * size + r) * 3
                    let target = (g * size * size + b * size + r) * 4
                    for c in 0..<3 {
                        pixels[target + c] = UInt8((min(max(values[source + c], 0), 1) * 255).rounded())
                    }
                }
            }
        }
        return pixels
    }

    /// The table applied to one colour on the CPU (trilinear), for tests and previews.
    public func apply(_ rgb: (Double, Double, Double)) -> (Double, Double, Double) {
        let input = [rgb.0, rgb.1, rgb.2], lo = [domainMin.0, domainMin.1, domainMin.2], hi = [domainMax.0, domainMax.1, domainMax.2]
        var base = [0, 0, 0], frac = [0.0, 0.0, 0.0]
        for c in 0..<3 {
            let x = min(max((input[c] - lo[c]) / (hi[c] - lo[c]), 0), 1) * Double(size - 1)
            base[c] = min(Int(x), size - 2)
            frac[c] = x - Double(base[c])
        }
        var out = [0.0, 0.0, 0.0]
        for corner in 0..<8 {
            let d = [corner & 1, (corner >> 1) & 1, (corner >> 2) & 1]
            var weight = 1.0
            for c in 0..<3 { weight *= d[c] == 1 ? frac[c] : 1 - frac[c] }
            let index = (((base[2] + d[2]) * size + base[1] + d[1]) * size + base[0] + d[0]) * 3
            for c in 0..<3 { out[c] += weight * Double(values[index + c]) }
        }
        return (out[0], out[1], out[2])
    }
}

extension ReelError.Code {
    /// A `.cube` LUT file could not be parsed.
    public static let cubeLUT = Self("E-POSTFX-LUT")
}
