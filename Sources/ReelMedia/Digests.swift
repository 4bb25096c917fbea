import CFFmpeg

/// SHA-256 (libavutil's), for content addresses: asset blobs, chunk digests, cache keys.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer?

    public init() {
        context = av_sha_alloc()
        av_sha_init(context, 256)
    }

    deinit { av_free(UnsafeMutableRawPointer(context)) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        av_sha_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    public mutating func update(_ text: String) { update(Array(text.utf8)) }

    /// The digest as 64 lower-case hex digits.
    public consuming func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &digest)
        return hexString(digest)
    }

    /// The SHA-256 of `bytes` as hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hex(_ text: String) -> String { hex(Array(text.utf8)) }

    /// Whether `text` is 64 lower-case hex digits: the only blob names a worker accepts.
    public static func isDigest(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Checksums of raw frames: 128-bit MurmurHash3 (libavutil's), fast enough to run on every
/// frame of a render (several GB/s), and wide enough that equal checksums mean equal frames
/// for determinism checks. Not a cryptographic hash.
public enum FrameChecksum {
    /// The checksum of a frame's bytes as 32 hex digits.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        let context = av_murmur3_alloc()
        defer { av_free(UnsafeMutableRawPointer(context)) }
        av_murmur3_init(context)
        if let base = bytes.baseAddress, bytes.count > 0 {
            av_murmur3_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        var digest = [UInt8](repeating: 0, count: 16)
        av_murmur3_final(context, &digest)
        return hexString(digest)
    }

    public static func of(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { of($0) } }
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}
