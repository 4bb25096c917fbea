import CFFmpeg
import Foundation
import ReelCore

/// An FFmpeg reader (`AVIOContext`) over one `AssetFile`: the only bytes a demuxer handed it
/// can see. With it, FFmpeg never opens the asset by name, so neither its `file:` protocol
/// (which would block on a FIFO) nor any other protocol is involved.
final class AssetIO {
    let file: AssetFile
    private(set) var context: UnsafeMutablePointer<AVIOContext>?
    /// Where the next read starts.
    fileprivate var position: Int64 = 0

    /// - Throws: `E-MEDIA-VIDEO` when out of memory.
    init(_ file: AssetFile) throws {
        self.file = file
        let size = 1 << 16
        guard let buffer = av_malloc(size) else { throw ReelError(.videoAsset, "out of memory opening '\(file.path)'") }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        context = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), Int32(size), 0, opaque, readAsset, nil, seekAsset)
        if context == nil {
            av_free(buffer)
            throw ReelError(.videoAsset, "out of memory opening '\(file.path)'")
        }
    }

    deinit {
        // FFmpeg may have replaced the buffer with one of another size; free the one it holds.
        if let context { av_freep(&context.pointee.buffer) }
        avio_context_free(&context)
    }
}

/// `read_packet`: the next bytes of the file, or end of file.
private func readAsset(_ opaque: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int32) -> Int32 {
    guard let opaque, let buffer, size > 0 else { return reel_averror(EINVAL) }
    let io = Unmanaged<AssetIO>.fromOpaque(opaque).takeUnretainedValue()
    let n = io.file.read(into: buffer, count: Int(size), at: io.position)
    if n < 0 { return reel_averror(EIO) }
    if n == 0 { return reel_averror_eof() }
    io.position += Int64(n)
    return Int32(n)
}

/// `seek`: moves the read position (or answers the size for `AVSEEK_SIZE`).
private func seekAsset(_ opaque: UnsafeMutableRawPointer?, _ offset: Int64, _ whence: Int32) -> Int64 {
    guard let opaque else { return Int64(reel_averror(EINVAL)) }
    let io = Unmanaged<AssetIO>.fromOpaque(opaque).takeUnretainedValue()
    let how = whence & ~Int32(AVSEEK_FORCE)
    if how == AVSEEK_SIZE { return io.file.size }
    let (target, overflow): (Int64, Bool)
    switch how {
    case SEEK_SET: (target, overflow) = (offset, false)
    case SEEK_CUR: (target, overflow) = io.position.addingReportingOverflow(offset)
    case SEEK_END: (target, overflow) = io.file.size.addingReportingOverflow(offset)
    default: return Int64(reel_averror(EINVAL))
    }
    guard !overflow, target >= 0 else { return Int64(reel_averror(EINVAL)) }
    io.position = target
    return target
}
