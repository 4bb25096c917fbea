import CFFmpeg
import Foundation
import ReelCore

// One owner per FFmpeg object (GRDB's shape): a final class that allocates the object in a
// throwing initialiser, exposes the raw pointer for calls, and frees it in `deinit`, so no
// path (an early throw, an abort) can leak or double-free it. Pointers FFmpeg lends (a
// muxer's streams) stay plain pointers and never outlive their owner's use.

/// An `AVCodecContext` for one codec, freed with its owner.
final class FFCodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    /// - Throws: `code` when FFmpeg cannot allocate it.
    init(codec: UnsafePointer<AVCodec>, code: ReelError.Code) throws {
        guard let context = avcodec_alloc_context3(codec) else {
            throw ReelError(code, "out of memory opening \(String(cString: codec.pointee.name))", context: "avcodec_alloc_context3")
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// An `AVFrame`, freed (with any buffers it references) with its owner.
final class FFFrame {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// - Throws: `code` when FFmpeg cannot allocate it.
    init(code: ReelError.Code) throws {
        guard let frame = av_frame_alloc() else { throw ReelError(code, "out of memory", context: "av_frame_alloc") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}

/// An `AVPacket`, freed (with any data it references) with its owner.
final class FFPacket {
    let pointer: UnsafeMutablePointer<AVPacket>

    /// - Throws: `code` when FFmpeg cannot allocate it.
    init(code: ReelError.Code) throws {
        guard let packet = av_packet_alloc() else { throw ReelError(code, "out of memory", context: "av_packet_alloc") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// A swscale context, remade when the conversion it is asked for changes; freed with its
/// owner.
final class FFScaler {
    private(set) var pointer: OpaquePointer?

    /// The context for converting `width` × `height` pictures from `source` to `destination`
    /// with `flags`, made on first use and reused while the conversion stays the same.
    func context(width: Int, height: Int, from source: AVPixelFormat, to destination: AVPixelFormat, flags: Int32) -> OpaquePointer? {
        pointer = sws_getCachedContext(pointer, Int32(width), Int32(height), source, Int32(width), Int32(height), destination,
                                       flags, nil, nil, nil)
        return pointer
    }

    deinit { sws_freeContext(pointer) }
}

/// An output `AVFormatContext` (a muxer) and the file it writes.
///
/// Closes in order, explicitly: `finish(output:)` writes the trailer and closes the file;
/// `closeFile()` closes it without (an aborted encode, whose file the caller deletes).
/// `deinit` closes a file still open and frees the context.
final class FFMuxer {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    private var fileOpen = false

    /// A muxer for the container `containerName`'s extension picks, writing to `path`.
    /// - Throws: `code` when FFmpeg has no such container.
    init(containerName: String, path: String, code: ReelError.Code) throws {
        var muxer: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&muxer, nil, nil, containerName)
        guard status >= 0, let muxer else {
            throw ReelError(code, "no container for '\(containerName)'; use .mp4, .mov or .mkv", nativeCode: Int(status),
                            context: "avformat_alloc_output_context2")
        }
        pointer = muxer
        // The container was chosen by the name, but the bytes go to `path` (a temporary);
        // the MP4 muxer reopens its URL to move the index to the front.
        av_free(muxer.pointee.url)
        muxer.pointee.url = av_strdup(path)
    }

    /// Whether the container writes no file of its own (an image2-style muxer).
    var writesNoFile: Bool { (pointer.pointee.oformat.pointee.flags & Int32(reel_avfmt_nofile())) != 0 }

    /// Whether the container wants the codec's headers out of band (MP4, MKV).
    var wantsGlobalHeader: Bool { (pointer.pointee.oformat.pointee.flags & Int32(reel_avfmt_globalheader())) != 0 }

    /// A new stream, lent by the muxer for as long as it lives.
    /// - Throws: `code` when FFmpeg cannot allocate it.
    func addStream(code: ReelError.Code) throws -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw ReelError(code, "out of memory opening the muxer", context: "avformat_new_stream")
        }
        return stream
    }

    /// Creates the file at `path` (unless the container writes none) and writes the header.
    /// - Throws: `E-IO-WRITE` naming `output` for a storage failure, `code` for the rest.
    func open(path: String, output: String, options: [String: String], code: ReelError.Code) throws {
        if !writesNoFile {
            try LibAV.check(avio_open(&pointer.pointee.pb, path, Int32(reel_avio_flag_write())), "create \(output)", code: code,
                            output: output, in: "avio_open")
            fileOpen = true
        }
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) { av_dict_set(&dictionary, key, value, 0) }
        try LibAV.check(avformat_write_header(pointer, &dictionary), "write the header of \(output)", code: code, in: "avformat_write_header")
    }

    /// Muxes `packet` (interleaving by time) and unreferences it.
    /// - Throws: `E-IO-WRITE` naming `output` for a storage failure, `code` for the rest.
    func write(_ packet: FFPacket, output: String, code: ReelError.Code) throws {
        let written = av_interleaved_write_frame(pointer, packet.pointer)
        av_packet_unref(packet.pointer)
        try LibAV.check(written, "write \(output)", code: code, output: output, in: "av_interleaved_write_frame")
    }

    /// Writes the trailer and closes the file.
    /// - Throws: `E-IO-WRITE` naming `output` for a storage failure, `code` for the rest.
    func finish(output: String, code: ReelError.Code) throws {
        try LibAV.check(av_write_trailer(pointer), "finish \(output)", code: code, output: output, in: "av_write_trailer")
        closeFile()
    }

    /// Closes the file without a trailer. Idempotent.
    func closeFile() {
        guard fileOpen else { return }
        avio_closep(&pointer.pointee.pb)
        fileOpen = false
    }

    deinit {
        closeFile()
        avformat_free_context(pointer)
    }
}
