import CDeflate
import CPNG
import Foundation
import ReelCore

extension ReelError.Code {
    /// libpng could not encode a picture.
    public static let pngEncode = Self("E-PNG-ENCODE")
    /// Bytes that should be a PNG could not be decoded.
    public static let pngDecode = Self("E-PNG-DECODE")
}

/// How PNG frames are written.
public struct PNGSettings: Sendable, Hashable {
    /// zlib's level, 0 (store) … 9 (smallest, slowest). The default, 6, is zlib's and
    /// FFmpeg's default too.
    public var compressionLevel: Int
    /// RGBA with straight alpha; false writes RGB, a quarter smaller, for opaque frames;
    /// nil leaves the choice to the caller (a render picks RGBA when the background is
    /// transparent), and means RGBA to `PNGCodec`.
    public var alpha: Bool?
    /// Row filters libpng may choose from. `up` alone is the default: on rendered graphics
    /// (flat areas, smooth gradients) it compresses about as well as libpng's adaptive
    /// choice among all five, at a fraction of the cost.
    public var filter: Filter

    public enum Filter: String, Sendable, Hashable, CaseIterable {
        case none, sub, up, paeth, adaptive
    }

    public init(compressionLevel: Int = 6, alpha: Bool? = nil, filter: Filter = .up) {
        (self.compressionLevel, self.alpha, self.filter) = (compressionLevel, alpha, filter)
    }
}

/// PNG in memory: written by `PNGEncoder` (Reel's own chunk writer over libdeflate, or over
/// `RunLengthDeflate` at level 1), read by libpng. Writing files is `AtomicFile`'s job, so
/// nothing half-written is ever left behind.
///
/// Why not libpng for writing too: a PNG sequence spends nearly all its time in DEFLATE, and
/// libdeflate compresses the same rows at the same level faster than the zlib inside libpng,
/// to a similar size (`make bench` prints both). The container around it is four chunks;
/// libpng and an independent decoder read every file back in the tests.
public enum PNGCodec {
    /// Encodes `image` as an 8-bit RGBA PNG (straight alpha, as PNG requires) or, with
    /// `settings.alpha` false, RGB (alpha dropped: for frames drawn over an opaque background).
    /// A writer of many frames keeps a `PNGEncoder` instead, which reuses its buffers.
    /// - Throws: `E-PNG-ENCODE` when the image is empty or out of memory.
    public static func encode(_ image: RGBAImage, settings: PNGSettings = PNGSettings()) throws -> Data {
        try PNGEncoder(settings: settings).encode(image)
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

/// PNG's per-row filters (the "adaptive filtering" method 0 of the specification): each row
/// gets a filter-type byte, then its bytes as differences from neighbours. `PNGEncoder`
/// filters each row as it packs it.
enum PNGFilter {
    /// libpng's heuristic: the filter whose output has the smallest sum of absolute values.
    static func choose(_ row: UnsafeMutablePointer<UInt8>, _ above: UnsafeMutablePointer<UInt8>?, _ n: Int, _ bpp: Int,
                               scratch: inout [UInt8]) -> PNGSettings.Filter {
        var best = PNGSettings.Filter.none, bestCost = Int.max
        for kind in [PNGSettings.Filter.none, .sub, .up, .paeth] {
            scratch.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                base.update(from: row, count: n)
                apply(kind, base, above, n, bpp)
                var cost = 0
                for i in 0..<n { cost += Int(Int8(bitPattern: base[i]).magnitude) }
                if cost < bestCost { (best, bestCost) = (kind, cost) }
            }
        }
        return best
    }

    /// Filters `row` in place; `above` is the unfiltered previous row (nil for the first).
    static func apply(_ kind: PNGSettings.Filter, _ row: UnsafeMutablePointer<UInt8>, _ above: UnsafeMutablePointer<UInt8>?,
                              _ n: Int, _ bpp: Int) {
        switch kind {
        case .none, .adaptive:
            return
        case .sub:
            // Right to left, so each byte still sees its unfiltered left neighbour.
            var i = n - 1
            while i >= bpp { row[i] &-= row[i - bpp]; i -= 1 }
        case .up:
            guard let above else { return }
            for i in 0..<n { row[i] &-= above[i] }
        case .paeth:
            var i = n - 1
            while i >= 0 {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = above.map { Int($0[i]) } ?? 0
                let c = (i >= bpp ? above.map { Int($0[i - bpp]) } : nil) ?? 0
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                let predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                row[i] &-= UInt8(predictor)
                i -= 1
            }
        }
    }
}

extension PNGSettings.Filter {
    var typeByte: UInt8 {
        switch self {
        case .none, .adaptive: return 0
        case .sub: return 1
        case .up: return 2
        case .paeth: return 4
        }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
}

extension Data {
    /// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
    mutating func appendChunk<Bytes: Collection>(_ type: String, _ body: Bytes) where Bytes.Element == UInt8 {
        var length = [UInt8]()
        length.appendBigEndian(UInt32(body.count))
        append(contentsOf: length)
        let typeBytes = Array(type.utf8)
        append(contentsOf: typeBytes)
        append(contentsOf: body)
        var crc = typeBytes.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }
        crc = body.withContiguousStorageIfAvailable { libdeflate_crc32(crc, $0.baseAddress, $0.count) }
            ?? Array(body).withUnsafeBytes { libdeflate_crc32(crc, $0.baseAddress, $0.count) }
        var trailer = [UInt8]()
        trailer.appendBigEndian(UInt32(crc))
        append(contentsOf: trailer)
    }
}
