/// A picture in memory: 8-bit RGBA, rows top to bottom, tightly packed.
///
/// Renderers produce premultiplied pixels (what GL blending works in); encoders that need
/// straight alpha, like PNG, convert with `unpremultiplied()`.
public struct RGBAImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// `width * height * 4` bytes; row 0 is the top of the picture.
    public var pixels: [UInt8]
    /// True when colour channels are already multiplied by alpha.
    public var isPremultiplied: Bool

    public init(width: Int, height: Int, pixels: [UInt8], isPremultiplied: Bool) {
        precondition(pixels.count == width * height * 4, "pixel data does not match \(width)×\(height) RGBA")
        (self.width, self.height, self.pixels, self.isPremultiplied) = (width, height, pixels, isPremultiplied)
    }

    /// The pixel at column `x`, row `y` (from the top) as (r, g, b, a).
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 4
        return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }

    /// The same picture with straight alpha; a no-op for straight images and opaque pixels.
    public func unpremultiplied() -> RGBAImage {
        guard isPremultiplied else { return self }
        var out = pixels
        for i in stride(from: 0, to: out.count, by: 4) {
            let a = Int(out[i + 3])
            if a == 255 { continue }
            if a == 0 {
                out[i] = 0; out[i + 1] = 0; out[i + 2] = 0
                continue
            }
            for c in 0..<3 {
                out[i + c] = UInt8(min(255, (Int(out[i + c]) * 255 + a / 2) / a))
            }
        }
        return RGBAImage(width: width, height: height, pixels: out, isPremultiplied: false)
    }
}
