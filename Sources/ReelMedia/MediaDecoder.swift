import CFFmpeg
import Foundation
import ReelCore

extension ReelError.Code {
    /// A video asset could not be opened or decoded.
    public static let videoAsset = Self("E-MEDIA-VIDEO")
}

/// Decodes the frames of a video file (or the single frame of a still image) with
/// libavformat and libavcodec, frame-accurately: `frame(at:)` returns the frame shown at a
/// clip time, seeking to the key frame before it when it is not just ahead, so any frame
/// range renders without decoding from the start of the clip.
///
/// Decoding is confined to the file (`ConfinedInput`): it must be a regular file, its format
/// is told from its bytes and must be one of `MediaContainer.allowed`, FFmpeg reads it only
/// through a reader over that one file, and any attempt of a demuxer to open another file or
/// URL is refused. Pictures and frames larger than `maxPixels` are refused from the header,
/// before anything is decoded.
///
/// Not thread-safe: one decoder belongs to one user at a time.
public final class MediaDecoder {
    public let path: String
    /// The coded size of the stream's pictures (before any EXIF orientation is applied).
    public let width: Int
    public let height: Int
    /// The clip's length in seconds (the last frame's end); 0 for a still image.
    public let duration: Double
    /// What the file is (its format and demuxer).
    public let container: MediaContainer
    private let maxPixels: Int
    /// The demuxer, confined to the file; closed when the decoder goes.
    private let input: ConfinedInput
    private var format: UnsafeMutablePointer<AVFormatContext>? { input.format }
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let stream: Int32
    private let timeBase: Double
    private let startTime: Double
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    /// The frame shown now and the next one decoded (held back because it lies ahead).
    private var current: (time: Double, frame: UnsafeMutablePointer<AVFrame>)?
    private var pending: (time: Double, frame: UnsafeMutablePointer<AVFrame>)?
    private var finished = false
    /// True until the first frame is asked for: the demuxer is still at the start.
    private var atStart = true
    private var converted: (time: Double, image: RGBAImage)?

    /// Opens `path` and its best video stream.
    /// - Parameter maxPixels: the most pixels a picture or frame may have; the default is
    ///   `SceneLimits.maxImagePixels`.
    /// - Throws: `E-MEDIA-VIDEO` naming the file and the reason: not a regular file, not a
    ///   self-contained media format (a playlist), or FFmpeg's own; `E-SCENE-LIMIT` for a
    ///   picture or frame over `maxPixels`.
    public init(path: String, maxPixels: Int = SceneLimits().maxImagePixels) throws {
        // FFmpeg's own log lines would interleave with Reel's one-line errors; every failure
        // reaches the user through a thrown error instead.
        MediaDecoder.silenceLogging
        self.path = path
        self.maxPixels = maxPixels
        let input = try ConfinedInput(path: path, code: .videoAsset)
        let container = input.container
        self.input = input
        self.container = container
        guard let format = input.format else { throw ReelError(.videoAsset, "cannot open '\(path)'") }
        if let header = ImageHeader.read(input.file) { try Self.checkSize(header.width, header.height, maxPixels: maxPixels, path: path, still: container.isPicture) }
        do {
            // Containers declare their frame size in the header; check it before
            // avformat_find_stream_info decodes a frame of it.
            for i in 0..<Int(format.pointee.nb_streams) {
                guard let parameters = format.pointee.streams[i]?.pointee.codecpar,
                      parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO else { continue }
                try Self.checkSize(Int(parameters.pointee.width), Int(parameters.pointee.height), maxPixels: maxPixels, path: path, still: container.isPicture)
            }
            try Self.findStreamInfo(format, maxPixels: maxPixels, path: path)
            var decoder: UnsafePointer<AVCodec>?
            let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
            guard index >= 0, var decoder, let streamPointer = format.pointee.streams[Int(index)] else {
                throw ReelError(.videoAsset, "'\(path)' has no video stream FFmpeg can decode")
            }
            let parameters = streamPointer.pointee.codecpar.pointee
            try Self.checkSize(Int(parameters.width), Int(parameters.height), maxPixels: maxPixels, path: path, still: container.isPicture)
            // VP9 keeps alpha in side data that only libvpx's decoder reads.
            if let tag = av_dict_get(streamPointer.pointee.metadata, "alpha_mode", nil, 0), String(cString: tag.pointee.value) == "1",
               decoder.pointee.id == AV_CODEC_ID_VP9, let vpx = avcodec_find_decoder_by_name("libvpx-vp9") {
                decoder = vpx
            }
            stream = index
            guard let context = avcodec_alloc_context3(decoder) else { throw ReelError(.videoAsset, "out of memory opening '\(path)'") }
            codec = context
            try LibAV.check(avcodec_parameters_to_context(context, streamPointer.pointee.codecpar), "configure the decoder for", path: path, code: .videoAsset,
                            in: "avcodec_parameters_to_context")
            context.pointee.thread_count = 0  // as many as useful
            // The decoder refuses a frame far over the limit itself, before allocating it (a
            // stream may change size, a header may lie).
            context.pointee.max_pixels = Self.decoderBound(maxPixels)
            try LibAV.check(avcodec_open2(context, decoder, nil), "open the decoder for", path: path, code: .videoAsset, in: "avcodec_open2")
            width = Int(context.pointee.width)
            height = Int(context.pointee.height)
            guard width > 0, height > 0 else { throw ReelError(.videoAsset, "'\(path)' has a video stream without a size") }
            let base = streamPointer.pointee.time_base
            timeBase = base.num > 0 && base.den > 0 ? Double(base.num) / Double(base.den) : 1.0 / 25
            let start = streamPointer.pointee.start_time
            startTime = start == reel_av_nopts_value() ? 0 : Double(start) * timeBase
            var length = 0.0
            if container.isStill {
                length = 0
            } else if streamPointer.pointee.duration != reel_av_nopts_value() && streamPointer.pointee.duration > 0 {
                length = Double(streamPointer.pointee.duration) * timeBase
            } else if format.pointee.duration != reel_av_nopts_value() && format.pointee.duration > 0 {
                length = Double(format.pointee.duration) / Double(reel_av_time_base())
            }
            duration = length.isFinite ? length : 0
            packet = av_packet_alloc()
        } catch {
            avcodec_free_context(&codec)
            throw error
        }
    }

    /// `avformat_find_stream_info`, with each stream's trial decoder bounded by `maxPixels`.
    private static func findStreamInfo(_ format: UnsafeMutablePointer<AVFormatContext>, maxPixels: Int, path: String) throws {
        let count = Int(format.pointee.nb_streams)
        var perStream = [OpaquePointer?](repeating: nil, count: max(count, 1))
        for i in 0..<count { av_dict_set(&perStream[i], "max_pixels", String(decoderBound(maxPixels)), 0) }
        defer { for i in 0..<count { av_dict_free(&perStream[i]) } }
        let status = perStream.withUnsafeMutableBufferPointer { avformat_find_stream_info(format, $0.baseAddress) }
        try LibAV.check(status, "read stream information of", path: path, code: .videoAsset, in: "avformat_find_stream_info")
    }

    /// The `max_pixels` FFmpeg's decoders are given. They check the width rounded up to
    /// their stride alignment (up to 64 more pixels a row), so an exact bound would refuse
    /// pictures within the limit with a bare "Invalid argument"; this one leaves room for
    /// that, and Reel's own check of the header and of each frame stays exact.
    static func decoderBound(_ maxPixels: Int) -> Int64 {
        maxPixels >= Int.max / 4 ? Int64.max : Int64(maxPixels * 2 + (1 << 16))
    }

    /// Refuses a picture (or, with `still` false, a video frame) of `width` × `height` over
    /// `maxPixels`.
    /// - Throws: `E-SCENE-LIMIT` stating the size and the limit (unlocated: the scene's
    ///   pre-flight, `AssetPreflight`, reports it at the asset).
    static func checkSize(_ width: Int, _ height: Int, maxPixels: Int, path: String, still: Bool) throws {
        guard width > 0, height > 0 else { return }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard overflow || pixels > maxPixels else { return }
        let limit = PixelCount.describe(maxPixels)
        throw ReelError(.limitExceeded, still ? "'\(path)' is \(width)×\(height) pixels; a picture may have at most \(limit)"
                                              : "'\(path)' has frames of \(width)×\(height) pixels; a frame may have at most \(limit)",
                        detail: "scale it down before using it")
    }

    /// FFmpeg's log goes to `FFmpegLog` (kept for error details), never to the terminal.
    static var silenceLogging: Void { FFmpegLog.capture }

    deinit {
        release(&current)
        release(&pending)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        sws_freeContext(scaler)
    }

    /// The frame shown at `time` seconds into the clip (clamped to the clip): the last frame
    /// that starts at or before it. Straight-alpha RGBA, rows top to bottom.
    /// - Throws: `E-MEDIA-VIDEO` when the file cannot be decoded there.
    public func frame(at time: Double) throws -> RGBAImage {
        // A still picture has one frame, whatever the time: decode it once, never seek (image
        // pipes cannot seek back to it).
        if container.isStill, let converted { return converted.image }
        let t = container.isStill ? 0 : max(0, time) + 1e-6
        if let c = current, t < c.time || t > c.time + 2 {
            try seek(to: t)
        } else if current == nil && pending == nil && !finished && !(atStart && t < 0.001) {
            try seek(to: t)
        }
        atStart = false
        while true {
            if pending == nil, !finished { pending = try decodeNext() }
            guard let next = pending else { break }
            if next.time <= t || current == nil {
                release(&current)
                current = next
                pending = nil
                if next.time > t || container.isStill { break }
            } else {
                break
            }
        }
        guard let shown = current else {
            if container.isStill { throw ReelError(.videoAsset, "'\(path)' is \(container.description) with no picture FFmpeg could decode") }
            throw ReelError(.videoAsset, "'\(path)' has no frame at \(formatTime(time))")
        }
        if let converted, converted.time == shown.time { return converted.image }
        let image = try convert(shown.frame)
        converted = (shown.time, image)
        return image
    }

    /// Decodes the single picture of an image file (JPEG, WebP, GIF, BMP, TIFF, PNG), turned
    /// upright as its EXIF orientation says.
    /// - Throws: `E-MEDIA-VIDEO` as `init(path:maxPixels:)` and `frame(at:)` do.
    public static func decodeImage(path: String, maxPixels: Int = SceneLimits().maxImagePixels) throws -> RGBAImage {
        try MediaDecoder(path: path, maxPixels: maxPixels).frame(at: 0)
    }

    // MARK: - Decoding

    private func seek(to time: Double) throws {
        // A file's start time and time base are its own to choose: clamp before converting,
        // since Int64(Double) traps outside its range.
        let ticks = ((time + startTime) / timeBase).rounded(.down)
        let target = ticks.isFinite ? Int64(min(max(ticks, -9.0e18), 9.0e18)) : 0
        // Backward: land on the key frame at or before the target, then decode forward.
        let status = av_seek_frame(format, stream, target, AVSEEK_FLAG_BACKWARD)
        if status < 0 {
            // Some files (single images) cannot seek; start over from the beginning.
            _ = av_seek_frame(format, stream, 0, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY)
        }
        avcodec_flush_buffers(codec)
        release(&current)
        release(&pending)
        finished = false
        converted = nil
    }

    private func decodeNext() throws -> (time: Double, frame: UnsafeMutablePointer<AVFrame>)? {
        guard let frame = av_frame_alloc() else { throw ReelError(.videoAsset, "out of memory decoding '\(path)'") }
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                let pts = frame.pointee.best_effort_timestamp
                let time = pts == reel_av_nopts_value() ? (current.map { $0.time } ?? 0) : Double(pts) * timeBase - startTime
                return (time, frame)
            }
            if received == reel_averror_eof() {
                var f: UnsafeMutablePointer<AVFrame>? = frame
                av_frame_free(&f)
                finished = true
                return nil
            }
            guard received == reel_averror_eagain() else {
                var f: UnsafeMutablePointer<AVFrame>? = frame
                av_frame_free(&f)
                throw LibAV.error(received, "decode", path: path, code: .videoAsset, in: "avcodec_receive_frame")
            }
            // The decoder wants input: the next packet of our stream, or the end.
            let read = av_read_frame(format, packet)
            if read < 0 {
                avcodec_send_packet(codec, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet?.pointee.stream_index == stream else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != reel_averror_eagain() {
                var f: UnsafeMutablePointer<AVFrame>? = frame
                av_frame_free(&f)
                throw LibAV.error(sent, "decode", path: path, code: .videoAsset, in: "avcodec_send_packet")
            }
        }
    }

    /// Any decoded format to 8-bit RGBA, with the matrix and range the stream declares
    /// (BT.709 for HD, BT.601 otherwise, limited or full range).
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> RGBAImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        guard w > 0, h > 0 else { throw ReelError(.videoAsset, "'\(path)' decoded to an empty picture") }
        try Self.checkSize(w, h, maxPixels: maxPixels, path: path, still: container.isPicture)
        let source = AVPixelFormat(rawValue: frame.pointee.format)
        scaler = sws_getCachedContext(scaler, Int32(w), Int32(h), source, Int32(w), Int32(h), AV_PIX_FMT_RGBA,
                                      Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT), nil, nil, nil)
        guard let scaler else { throw ReelError(.videoAsset, "cannot convert the pixel format of '\(path)' to RGBA") }
        let space = frame.pointee.colorspace
        let matrix: Int32 = space == AVCOL_SPC_BT709 || (space == AVCOL_SPC_UNSPECIFIED && h >= 720) ? SWS_CS_ITU709 : SWS_CS_ITU601
        let fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        let coefficients = sws_getCoefficients(matrix)
        sws_setColorspaceDetails(scaler, coefficients, fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
        var pixels = [UInt8](repeating: 0, count: w * h * 4)
        pixels.withUnsafeMutableBufferPointer { out in
            var destination: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(w * 4), 0, 0, 0]
            frame.withPlanes { planes, lines in
                planes.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { source in
                    _ = sws_scale(scaler, source, lines, 0, Int32(h), &destination, &strides)
                }
            }
        }
        let image = RGBAImage(width: w, height: h, pixels: pixels, isPremultiplied: false)
        return Self.orientation(of: frame).map { image.oriented($0) } ?? image
    }

    /// The EXIF orientation (2…8) FFmpeg's JPEG and WebP decoders copy into the frame's
    /// metadata as "Orientation" (the value printed right-aligned, e.g. "    6"); nil for 1
    /// (upright), absent or out of range.
    static func orientation(of frame: UnsafeMutablePointer<AVFrame>) -> EXIFOrientation? {
        guard let entry = av_dict_get(frame.pointee.metadata, "Orientation", nil, 0), let value = entry.pointee.value else { return nil }
        let text = String(cString: value).trimmingCharacters(in: .whitespaces)
        return Int(text).flatMap(EXIFOrientation.init(rawValue:))
    }

    private func release(_ slot: inout (time: Double, frame: UnsafeMutablePointer<AVFrame>)?) {
        guard let taken = slot else { return }
        var f: UnsafeMutablePointer<AVFrame>? = taken.frame
        av_frame_free(&f)
        slot = nil
    }

    private func formatTime(_ t: Double) -> String { String(format: "%.3fs", t) }
}
