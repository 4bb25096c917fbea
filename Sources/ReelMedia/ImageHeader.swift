import ReelCore

/// The size a picture declares in its header, read from its first bytes without decoding it,
/// so a hostile file (a kilobyte that declares 16384 × 16384 pixels) is refused before a
/// decoder allocates its frame.
///
/// Covers the still formats Reel opens (PNG, JPEG, GIF, WebP, BMP, TIFF). A header that is cut
/// short or malformed gives nil: the decoder then reports the file, and FFmpeg's own
/// `max_pixels` still bounds what it may allocate.
public struct ImageHeader: Sendable, Hashable {
    public var width: Int
    public var height: Int

    /// The number of pixels the picture declares.
    public var pixels: Int { width.multipliedReportingOverflow(by: height).overflow ? .max : width * height }

    public init(width: Int, height: Int) { (self.width, self.height) = (width, height) }

    /// The declared size of the picture whose file begins with `bytes`, or nil when the
    /// format is not one of the still formats above or the header is incomplete.
    public static func read(_ bytes: [UInt8]) -> ImageHeader? {
        let b = ByteReader(bytes)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            // The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
            guard b.ascii(12, 4) == "IHDR", let w = b.u32be(16), let h = b.u32be(20) else { return nil }
            return ImageHeader(width: Int(w), height: Int(h))
        }
        if bytes.starts(with: [0xFF, 0xD8]) { return JPEGHeader.read(bytes).map { ImageHeader(width: $0.width, height: $0.height) } }
        if b.ascii(0, 6) == "GIF87a" || b.ascii(0, 6) == "GIF89a" { return gif(b) }
        if b.ascii(0, 4) == "RIFF", b.ascii(8, 4) == "WEBP" { return webp(b) }
        if b.ascii(0, 2) == "BM", let w = b.i32le(18), let h = b.i32le(22), b.u32le(14).map({ $0 >= 40 }) == true {
            // A BITMAPINFOHEADER or later; a negative height means top-down rows.
            return ImageHeader(width: Int(w.magnitude), height: Int(h.magnitude))
        }
        if b.ascii(0, 4) == "II*\0" || b.ascii(0, 4) == "MM\0*" { return tiff(b, little: bytes[0] == 0x49) }
        return nil
    }

    /// As `read(_:)`, from a file: its first bytes, or for a JPEG the markers up to the frame
    /// header wherever it lies.
    public static func read(_ file: AssetFile) -> ImageHeader? {
        guard let head = try? file.head(MediaContainer.sniffLength, code: .imageAsset) else { return nil }
        if head.starts(with: [0xFF, 0xD8]) { return JPEGHeader.read(file).map { ImageHeader(width: $0.width, height: $0.height) } }
        return read(head)
    }

    /// A GIF's logical screen: FFmpeg's decoder draws every frame onto a canvas of that size
    /// (clipping frames placed outside it), so the screen is what it allocates.
    private static func gif(_ b: ByteReader) -> ImageHeader? {
        guard let w = b.u16le(6), let h = b.u16le(8) else { return nil }
        return ImageHeader(width: Int(w), height: Int(h))
    }

    /// WebP: a lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`) first chunk.
    private static func webp(_ b: ByteReader) -> ImageHeader? {
        switch b.ascii(12, 4) {
        case "VP8X":
            guard let w = b.u24le(24), let h = b.u24le(27) else { return nil }
            return ImageHeader(width: Int(w) + 1, height: Int(h) + 1)
        case "VP8L":
            guard b.byte(20) == 0x2F, let bits = b.u32le(21) else { return nil }
            return ImageHeader(width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8 ":
            // The key frame's start code, then 14-bit width and height.
            guard b.byte(23) == 0x9D, b.byte(24) == 0x01, b.byte(25) == 0x2A, let w = b.u16le(26), let h = b.u16le(28) else { return nil }
            return ImageHeader(width: Int(w & 0x3FFF), height: Int(h & 0x3FFF))
        default:
            return nil
        }
    }

    /// TIFF: ImageWidth (256) and ImageLength (257) in the first image file directory.
    private static func tiff(_ b: ByteReader, little: Bool) -> ImageHeader? {
        func u16(_ at: Int) -> UInt16? { little ? b.u16le(at) : b.u16be(at) }
        func u32(_ at: Int) -> UInt32? { little ? b.u32le(at) : b.u32be(at) }
        guard let offset = u32(4), let count = u16(Int(offset)) else { return nil }
        var width: Int?, height: Int?
        for i in 0..<Int(count) {
            let entry = Int(offset) + 2 + 12 * i
            guard let tag = u16(entry), let type = u16(entry + 2) else { return nil }
            guard tag == 256 || tag == 257 else { continue }
            // SHORT (3) or LONG (4), held in the entry's value field.
            let value: Int? = type == 3 ? u16(entry + 8).map(Int.init) : type == 4 ? u32(entry + 8).map(Int.init) : nil
            if tag == 256 { width = value } else { height = value }
        }
        guard let width, let height else { return nil }
        return ImageHeader(width: width, height: height)
    }
}

/// What a JPEG's markers say before its image data: the frame's size and components, whether
/// it is progressive, and the colour transform of an Adobe (APP14) marker.
public struct JPEGHeader: Sendable, Hashable {
    public var width: Int
    public var height: Int
    /// 1 (grey), 3 (YCbCr or RGB) or 4 (CMYK or YCCK).
    public var components: Int
    public var isProgressive: Bool
    /// The Adobe marker's transform (0: none, so 4 components are CMYK; 1: YCbCr; 2: YCCK);
    /// nil without the marker.
    public var adobeTransform: Int?

    /// Four components that are YCCK: Adobe's transform 2.
    public var isYCCK: Bool { components == 4 && adobeTransform == 2 }
    /// Four components stored as CMYK.
    public var isCMYK: Bool { components == 4 && adobeTransform != 2 }

    /// Walks the markers from the start of `bytes` to the first start-of-frame; nil when the
    /// bytes end first or are not a JPEG.
    public static func read(_ bytes: [UInt8]) -> JPEGHeader? {
        read { offset, count in
            guard offset >= 0, offset < bytes.count else { return [] }
            return Array(bytes[offset..<min(bytes.count, offset + count)])
        }
    }

    /// As `read(_:)`, from a file: only each marker's first bytes are read, so a photo whose
    /// EXIF and colour profile take megabytes before the frame header costs a few reads.
    public static func read(_ file: AssetFile) -> JPEGHeader? {
        read { offset, count in
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { raw in raw.baseAddress.map { file.read(into: $0, count: count, at: Int64(offset)) } ?? 0 }
            return n > 0 ? Array(bytes.prefix(n)) : []
        }
    }

    /// The marker walk over `bytes(offset, count)`, which answers fewer bytes at the end.
    static func read(_ bytes: (Int, Int) -> [UInt8]) -> JPEGHeader? {
        guard bytes(0, 2) == [0xFF, 0xD8] else { return nil }
        var at = 2
        var adobe: Int?
        // A hostile file could chain markers for ever; real ones have a few dozen.
        for _ in 0..<10_000 {
            let b = ByteReader(bytes(at, 18))
            guard b.byte(0) == 0xFF, let marker = b.byte(1) else { return nil }
            if marker == 0xFF { at += 1; continue }  // fill bytes
            guard let length = b.u16be(2), length >= 2 else { return nil }
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                // SOFn: precision, height, width, component count.
                guard let h = b.u16be(5), let w = b.u16be(7), let n = b.byte(9) else { return nil }
                let progressive = [0xC2, 0xC6, 0xCA, 0xCE].contains(marker)
                return JPEGHeader(width: Int(w), height: Int(h), components: Int(n), isProgressive: progressive, adobeTransform: adobe)
            case 0xEE where b.ascii(4, 5) == "Adobe":
                adobe = b.byte(15).map(Int.init)
            case 0xD9, 0xDA:
                return nil  // the end, or scan data, before any frame header
            default:
                break
            }
            at += 2 + Int(length)
        }
        return nil
    }
}

/// Bounds-checked reads from a byte array: every accessor answers nil past the end, so a
/// truncated header can never trap.
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func byte(_ at: Int) -> UInt8? { at >= 0 && at < bytes.count ? bytes[at] : nil }

    func ascii(_ at: Int, _ count: Int) -> String? {
        guard at >= 0, count >= 0, at + count <= bytes.count else { return nil }
        return String(decoding: bytes[at..<at + count], as: UTF8.self)
    }

    private func value(_ at: Int, _ count: Int, bigEndian: Bool) -> UInt32? {
        guard at >= 0, at + count <= bytes.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<count {
            let byte = UInt32(bytes[at + (bigEndian ? i : count - 1 - i)])
            v = v << 8 | byte
        }
        return v
    }

    func u16be(_ at: Int) -> UInt16? { value(at, 2, bigEndian: true).map { UInt16($0) } }
    func u16le(_ at: Int) -> UInt16? { value(at, 2, bigEndian: false).map { UInt16($0) } }
    func u24le(_ at: Int) -> UInt32? { value(at, 3, bigEndian: false) }
    func u32be(_ at: Int) -> UInt32? { value(at, 4, bigEndian: true) }
    func u32le(_ at: Int) -> UInt32? { value(at, 4, bigEndian: false) }
    func i32le(_ at: Int) -> Int32? { u32le(at).map { Int32(bitPattern: $0) } }
}
