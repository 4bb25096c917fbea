import CDeflate
import Foundation
import ReelCore

/// Writes PNGs one after another, reusing its buffers and its compressor from one to the
/// next: a render's writer threads each own one, so after the first frame a frame costs no
/// allocation but its own bytes (fresh multi-megabyte buffers cost a page fault every 4 KiB).
///
/// Rows are packed (alpha dropped, or straightened), filtered and laid out as PNG scanlines
/// in one pass over the pixels, which may be a mapped pixel-pack buffer: nothing is copied
/// out of it first. Level 1 compresses with `RunLengthDeflate`, every other level with
/// libdeflate at that level.
///
/// Not thread-safe: it may move from thread to thread, but is used by one at a time.
public final class PNGEncoder: @unchecked Sendable {
    public let settings: PNGSettings
    private let level: Int32
    /// libdeflate's compressor for `level` (nil at level 1, which has its own).
    private let compressor: OpaquePointer?
    private let runs: RunLengthDeflate?
    private var scanlines = Buffer()
    private var compressed = Buffer()
    /// The unfiltered previous and current rows, for filters that look up or left.
    private var rows = Buffer()
    private var scratch: [UInt8] = []

    /// - Throws: `E-PNG-ENCODE` when the compressor cannot be allocated.
    public init(settings: PNGSettings = PNGSettings()) throws {
        self.settings = settings
        level = Int32(min(max(settings.compressionLevel, 0), 9))
        if level == 1 {
            runs = RunLengthDeflate()
            compressor = nil
        } else {
            guard let made = libdeflate_alloc_compressor(level) else {
                throw ReelError(.pngEncode, "out of memory starting the compressor", context: "libdeflate_alloc_compressor")
            }
            compressor = made
            runs = nil
        }
    }

    deinit {
        if let compressor { libdeflate_free_compressor(compressor) }
        scanlines.free()
        compressed.free()
        rows.free()
    }

    /// Encodes `image` (see `encode(rgba:width:height:premultiplied:)`).
    /// - Throws: `E-PNG-ENCODE` when the image is empty.
    public func encode(_ image: RGBAImage) throws -> Data {
        guard image.width > 0, image.height > 0, image.pixels.count >= image.width * image.height * 4 else {
            throw ReelError(.pngEncode, "cannot write a \(image.width)×\(image.height) PNG")
        }
        return try image.pixels.withUnsafeBytes {
            try encode(rgba: $0, width: image.width, height: image.height, premultiplied: image.isPremultiplied)
        }
    }

    /// Encodes `width` × `height` pixels of 8-bit RGBA read from `pixels` (rows top to
    /// bottom, tightly packed), premultiplied or not as `premultiplied` says, as RGBA with
    /// straight alpha or, with `settings.alpha` false, as RGB with alpha dropped (frames
    /// drawn over an opaque background, where premultiplied and straight agree).
    /// - Throws: `E-PNG-ENCODE` when the size is empty or does not match `pixels`.
    public func encode(rgba pixels: UnsafeRawBufferPointer, width: Int, height: Int, premultiplied: Bool) throws -> Data {
        guard width > 0, height > 0, width <= Int(Int32.max) / 4, height <= Int(Int32.max), pixels.count >= width * height * 4,
              let source = pixels.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ReelError(.pngEncode, "cannot write a \(width)×\(height) PNG")
        }
        let alpha = settings.alpha ?? true
        let channels = alpha ? 4 : 3
        let rowBytes = width * channels + 1
        let total = rowBytes * height
        let output = scanlines.reserve(total)
        prepareRows(source, width: width, height: height, channels: channels, straighten: alpha && premultiplied, into: output)

        let size: Int
        if let runs {
            let bound = RunLengthDeflate.bound(total)
            size = runs.compress(output, count: total, rowBytes: rowBytes, bpp: channels, into: compressed.reserve(bound), capacity: bound)
        } else {
            let bound = libdeflate_zlib_compress_bound(compressor, total)
            let into = compressed.reserve(bound)
            size = libdeflate_zlib_compress(compressor, output, total, into, bound)
            guard size > 0 else { throw ReelError(.pngEncode, "the compressor ran out of room (a bug: the bound was \(bound) bytes)") }
        }

        var png = Data(capacity: size + 57)
        png.append(contentsOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, alpha ? 6 : 2, 0, 0, 0]  // 8 bits; RGBA or RGB; deflate; adaptive filtering; no interlace
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", UnsafeBufferPointer(start: compressed.base, count: size))
        png.appendChunk("IEND", [])
        return png
    }

    /// Lays the rows out as PNG scanlines in `output`: a filter-type byte, then the row packed
    /// to `channels` (alpha dropped for 3, straightened when `straighten`) and filtered.
    private func prepareRows(_ source: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int, straighten: Bool,
                             into output: UnsafeMutablePointer<UInt8>) {
        let filter = settings.filter, n = width * channels, rowBytes = n + 1
        if filter == .none {
            for y in 0..<height {
                let line = output + y * rowBytes
                line.pointee = 0
                Self.pack(source + y * width * 4, width: width, channels: channels, straighten: straighten, into: line + 1)
            }
            return
        }
        // Filters read the unfiltered row above, so rows are packed into scratch first.
        let scratchRows = rows.reserve(2 * n)
        var previous: UnsafeMutablePointer<UInt8>? = nil, current = scratchRows
        if filter == .adaptive && scratch.count != n { scratch = [UInt8](repeating: 0, count: n) }
        for y in 0..<height {
            Self.pack(source + y * width * 4, width: width, channels: channels, straighten: straighten, into: current)
            let line = output + y * rowBytes
            (line + 1).update(from: current, count: n)
            let kind = filter == .adaptive ? PNGFilter.choose(line + 1, previous, n, channels, scratch: &scratch) : filter
            PNGFilter.apply(kind, line + 1, previous, n, channels)
            line.pointee = kind.typeByte
            previous = current
            current = current == scratchRows ? scratchRows + n : scratchRows
        }
    }

    /// Packs one row of RGBA into `channels` bytes a pixel.
    @inline(__always)
    private static func pack(_ from: UnsafePointer<UInt8>, width: Int, channels: Int, straighten: Bool, into to: UnsafeMutablePointer<UInt8>) {
        if channels == 3 {
            // Four bytes stored at every third: each store's spare byte is overwritten by the
            // next pixel's, and the last pixel is copied bytewise so nothing lands past the row.
            let source = UnsafeRawPointer(from), destination = UnsafeMutableRawPointer(to)
            for x in 0..<(width - 1) {
                destination.storeBytes(of: source.loadUnaligned(fromByteOffset: 4 * x, as: UInt32.self), toByteOffset: 3 * x, as: UInt32.self)
            }
            let last = width - 1
            to[3 * last] = from[4 * last]
            to[3 * last + 1] = from[4 * last + 1]
            to[3 * last + 2] = from[4 * last + 2]
            return
        }
        to.update(from: from, count: width * 4)
        guard straighten else { return }
        // As `RGBAImage.unpremultiplied()`, so a frame reads the same however it was written.
        for x in 0..<width {
            let i = 4 * x, a = Int(to[i + 3])
            if a == 255 { continue }
            if a == 0 {
                to[i] = 0; to[i + 1] = 0; to[i + 2] = 0
                continue
            }
            for c in 0..<3 { to[i + c] = UInt8(min(255, (Int(to[i + c]) * 255 + a / 2) / a)) }
        }
    }

    /// Memory that grows to the largest size asked of it and is kept for the next frame.
    private struct Buffer {
        private(set) var base: UnsafeMutablePointer<UInt8>?
        private var capacity = 0

        mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
            if let base, capacity >= count { return base }
            base?.deallocate()
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
            (base, capacity) = (fresh, max(count, 1))
            return fresh
        }

        mutating func free() {
            base?.deallocate()
            (base, capacity) = (nil, 0)
        }
    }
}
