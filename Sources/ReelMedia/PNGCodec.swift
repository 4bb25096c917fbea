import CPNG
import Foundation
import ReelCore

extension ReelError.Code {
    /// libpng could not encode a picture.
    public static let pngEncode = Self("E-PNG-ENCODE")
    /// Bytes that should be a PNG could not be decoded.
    public static let pngDecode = Self("E-PNG-DECODE")
}

/// PNG through libpng's simplified API, in memory. Writing files is `AtomicFile`'s job, so
/// libpng never leaves a half-written file behind.
public enum PNGCodec {
    /// Encodes `image` as an 8-bit RGBA PNG with straight alpha, as PNG requires.
    /// - Throws: `E-PNG-ENCODE` with libpng's message.
    public static func encode(_ image: RGBAImage) throws -> Data {
        let straight = image.unpremultiplied()
        var png = png_image()
        png.version = reel_png_image_version()
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        png.format = reel_png_format_rgba()
        let rowStride = png_int_32(image.width * 4)
        return try straight.pixels.withUnsafeBytes { raw in
            // First call sizes the output, second writes it.
            var size: png_alloc_size_t = 0
            guard png_image_write_to_memory(&png, nil, &size, 0, raw.baseAddress, rowStride, nil) != 0, size > 0 else {
                throw failure(&png, "sizing the PNG")
            }
            var data = Data(count: Int(size))
            let written = data.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&png, out.baseAddress, &size, 0, raw.baseAddress, rowStride, nil)
            }
            guard written != 0 else { throw failure(&png, "writing the PNG") }
            data.count = Int(size)
            return data
        }
    }

    /// Decodes a PNG of any colour type into straight-alpha 8-bit RGBA.
    /// - Throws: `E-PNG-DECODE` with libpng's message.
    public static func decode(_ data: Data) throws -> RGBAImage {
        try data.withUnsafeBytes { raw in
            var png = png_image()
            png.version = reel_png_image_version()
            guard png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) != 0 else {
                throw failure(&png, "reading the PNG header", code: .pngDecode)
            }
            png.format = reel_png_format_rgba()
            let width = Int(png.width), height = Int(png.height)
            guard width <= 65_535, height <= 65_535, width * height <= 1 << 28 else {
                png_image_free(&png)
                throw ReelError(.pngDecode, "PNG is \(width)×\(height); the limit is 65535 a side and 2^28 pixels")
            }
            var pixels = [UInt8](repeating: 0, count: width * height * 4)
            let finished = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&png, nil, out.baseAddress, png_int_32(width * 4), nil)
            }
            guard finished != 0 else { throw failure(&png, "decoding the PNG", code: .pngDecode) }
            return RGBAImage(width: width, height: height, pixels: pixels, isPremultiplied: false)
        }
    }

    private static func failure(_ png: inout png_image, _ stage: String, code: ReelError.Code = .pngEncode) -> ReelError {
        let message = withUnsafeBytes(of: png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&png)
        return ReelError(code, "libpng failed while \(stage): \(message.isEmpty ? "no message" : message)", context: "png_image")
    }
}
