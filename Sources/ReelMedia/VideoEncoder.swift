import CFFmpeg
import Foundation
import ReelCore

extension ReelError.Code {
    /// The video encoder or muxer failed (unknown codec, bad option, write error).
    public static let videoEncode = Self("E-MEDIA-ENCODE")
}

/// How a video is encoded. The defaults are H.264 (libx264, preset veryfast, CRF 20) in
/// 4:2:0, tagged BT.709 limited range.
public struct VideoSettings: Sendable, Hashable {
    /// An FFmpeg encoder name: libx264 (default), libx265, libsvtav1, libvpx-vp9, h264_nvenc…
    public var codec: String = "libx264"
    /// Constant rate factor (lower is better); nil to use `bitrate` or the codec's default.
    public var crf: Int? = 20
    /// Bits per second, when set (overrides crf for codecs that take both).
    public var bitrate: Int?
    /// The encoder's speed/quality preset, where it has one.
    public var preset: String? = "veryfast"
    /// An FFmpeg pixel format such as yuva444p10le (ProRes 4444 with alpha); nil means
    /// yuv420p, converted on the GPU. Other formats are converted from RGBA by swscale.
    public var pixelFormat: String?
    /// More of the encoder's own options, by FFmpeg name (`quality` for libwebp, `tune` for x264…).
    public var options: [String: String] = [:]

    public init(codec: String = "libx264", crf: Int? = 20, bitrate: Int? = nil, preset: String? = "veryfast", pixelFormat: String? = nil,
                options: [String: String] = [:]) {
        (self.codec, self.crf, self.bitrate, self.preset, self.pixelFormat) = (codec, crf, bitrate, preset, pixelFormat)
        self.options = options
    }

    /// True when frames go to the encoder as YUV 4:2:0 made on the GPU.
    public var usesGPUConversion: Bool { pixelFormat == nil || pixelFormat == "yuv420p" }

    /// The settings an output file's extension implies: H.264 for .mp4/.mov/.mkv, VP9 for
    /// .webm, and for the animated-image formats their one encoder — .gif (a palette per
    /// clip, dithered), .apng (lossless RGB, RGBA with `alpha`) and .webp (libwebp, quality 90).
    public static func forExtension(_ ext: String, alpha: Bool = false) -> VideoSettings {
        switch ext.lowercased() {
        case "webm": return VideoSettings(codec: "libvpx-vp9", crf: 30, preset: nil, pixelFormat: alpha ? "yuva420p" : nil)
        // A .mov with alpha is ProRes 4444, as editors expect; without alpha it stays H.264.
        case "mov" where alpha: return VideoSettings(codec: "prores_ks", crf: nil, preset: nil, pixelFormat: "yuva444p10le")
        case "gif": return VideoSettings(codec: "gif", crf: nil, preset: nil, pixelFormat: "pal8")
        case "apng": return VideoSettings(codec: "apng", crf: nil, preset: nil, pixelFormat: alpha ? "rgba" : "rgb24")
        case "webp": return VideoSettings(codec: "libwebp_anim", crf: nil, preset: nil, pixelFormat: alpha ? "yuva420p" : "bgra",
                                          options: ["quality": "90"])
        default: return VideoSettings()
        }
    }
}

/// One frame of YUV 4:2:0 in NV12 layout, as the GPU converter reads it back: a luma plane
/// and a plane of interleaved U V pairs at half the width and height, both with `stride`
/// bytes from one row to the next.
public struct YUVFrame: Sendable {
    public var width: Int
    public var height: Int
    /// Luma, `stride` × `height` bytes.
    public var y: [UInt8]
    /// Chroma, U V U V…, `stride` × `height / 2` bytes.
    public var uv: [UInt8]
    public var stride: Int

    public init(width: Int, height: Int, y: [UInt8], uv: [UInt8], stride: Int? = nil) {
        (self.width, self.height, self.y, self.uv) = (width, height, y, uv)
        self.stride = stride ?? width
    }
}

/// Encodes YUV 4:2:0 frames with libavcodec and muxes them with libavformat, in process.
/// The container follows the file name's extension (`.mp4`, `.mov`, `.mkv`); MP4 and MOV are
/// written with the index at the front (fast start).
///
/// `finish()` must be called to write a playable file; `abort()` leaves it for the caller
/// to delete. Not thread-safe: it may be handed from one thread to another (the render
/// pipeline opens it, its encoder thread feeds it), but is never used by two at once.
public final class VideoEncoder: @unchecked Sendable {
    public let width: Int
    public let height: Int
    // Each FFmpeg object has one owner, which frees it; the stream is lent by the muxer.
    private let muxer: FFMuxer
    private let codec: FFCodecContext
    private let stream: UnsafeMutablePointer<AVStream>
    private let frame: FFFrame
    private let packet: FFPacket
    private let scaler = FFScaler()
    private var nextPTS: Int64 = 0
    private var closed = false
    private let pixelFormat: AVPixelFormat
    /// What the encoder is fed: NV12 when it takes it and 4:2:0 was asked for (the GPU's
    /// layout goes in with one copy; x264 works in NV12 internally), else `pixelFormat`.
    private let inputFormat: AVPixelFormat
    /// False for RGB and palette formats, which carry no matrix or range.
    private let isYUV: Bool
    private let path: String
    /// The name the user asked for, which messages use rather than the temporary `path`.
    private let outputName: String
    /// The colours RGBA frames are mapped to for a palette format (GIF); set before the first
    /// frame, typically from a first pass over the clip.
    public var palette: PaletteMapper?

    /// Opens the encoder and the output file at `path` (which the caller makes temporary);
    /// `containerName` is the name whose extension picks the container.
    /// - Throws: `E-MEDIA-ENCODE` for an unknown codec or container, a rejected option, or a
    ///   file that cannot be created.
    public init(path: String, containerName: String, width: Int, height: Int, fps: Double, settings: VideoSettings) throws {
        MediaDecoder.silenceLogging
        self.path = path
        self.outputName = containerName
        self.width = width
        self.height = height
        let format = settings.pixelFormat.map { av_get_pix_fmt($0) } ?? AV_PIX_FMT_YUV420P
        guard format != AV_PIX_FMT_NONE else {
            throw ReelError(.videoEncode, "unknown pixel format '\(settings.pixelFormat ?? "")'", detail: "see `ffmpeg -pix_fmts`")
        }
        pixelFormat = format
        let subsampled = av_pix_fmt_desc_get(format).map { $0.pointee.log2_chroma_w > 0 || $0.pointee.log2_chroma_h > 0 } ?? true
        isYUV = av_pix_fmt_desc_get(format).map { ($0.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB)) == 0 && ($0.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PAL)) == 0 } ?? true
        guard !subsampled || (width % 2 == 0 && height % 2 == 0) else {
            throw ReelError(.videoEncode, "4:2:0 video needs an even width and height, not \(width)×\(height)",
                            detail: "make the canvas size even, or render a PNG sequence")
        }
        let encoderCodec = avcodec_find_encoder_by_name(settings.codec)
        inputFormat = format == AV_PIX_FMT_YUV420P && encoderCodec.map { Self.accepts($0, AV_PIX_FMT_NV12) } == true
            ? AV_PIX_FMT_NV12 : format
        muxer = try FFMuxer(containerName: containerName, path: path, code: .videoEncode)
        guard let encoder = encoderCodec else {
            throw ReelError(.videoEncode, "this FFmpeg has no encoder '\(settings.codec)'",
                            detail: "`reel doctor` lists the encoders found")
        }
        codec = try FFCodecContext(codec: encoder, code: .videoEncode)
        stream = try muxer.addStream(code: .videoEncode)
        let context = codec.pointer
        let rate = av_d2q(fps, 1_000_000)
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.time_base = AVRational(num: rate.den, den: rate.num)
        context.pointee.framerate = rate
        context.pointee.pix_fmt = inputFormat
        context.pointee.gop_size = Int32(max(1, min(250, Int(fps * 10))))
        context.pointee.thread_count = 0
        if isYUV {
            // Tag what Reel writes: BT.709 primaries, transfer and matrix, limited range.
            context.pointee.color_primaries = AVCOL_PRI_BT709
            context.pointee.color_trc = AVCOL_TRC_BT709
            context.pointee.colorspace = AVCOL_SPC_BT709
            context.pointee.color_range = AVCOL_RANGE_MPEG
            context.pointee.chroma_sample_location = AVCHROMA_LOC_CENTER
        }
        context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        if let bitrate = settings.bitrate { context.pointee.bit_rate = Int64(bitrate) }
        if muxer.wantsGlobalHeader { context.pointee.flags |= Int32(reel_av_codec_flag_global_header()) }
        try Self.open(context, encoder, settings: settings, width: width, height: height)
        try LibAV.check(avcodec_parameters_from_context(stream.pointee.codecpar, context), "configure the stream", code: .videoEncode,
                        in: "avcodec_parameters_from_context")
        stream.pointee.time_base = context.pointee.time_base
        stream.pointee.avg_frame_rate = rate
        stream.pointee.r_frame_rate = rate

        let ext = (containerName as NSString).pathExtension.lowercased()
        let fastStart = ext == "mp4" || ext == "mov" || ext == "m4v"
        try muxer.open(path: path, output: containerName, options: fastStart ? ["movflags": "+faststart"] : [:], code: .videoEncode)

        frame = try FFFrame(code: .videoEncode)
        packet = try FFPacket(code: .videoEncode)
        let picture = frame.pointer
        picture.pointee.format = inputFormat.rawValue
        picture.pointee.width = Int32(width)
        picture.pointee.height = Int32(height)
        if isYUV {
            picture.pointee.color_primaries = AVCOL_PRI_BT709
            picture.pointee.color_trc = AVCOL_TRC_BT709
            picture.pointee.colorspace = AVCOL_SPC_BT709
            picture.pointee.color_range = AVCOL_RANGE_MPEG
        }
        try LibAV.check(av_frame_get_buffer(picture, 0), "allocate a frame", code: .videoEncode, in: "av_frame_get_buffer")
    }

    /// Opens `context` for `encoder` with `settings`' preset, rate control and options.
    /// - Throws: `E-MEDIA-ENCODE` with what the encoder said and what it takes instead, or
    ///   naming an option it does not have.
    private static func open(_ context: UnsafeMutablePointer<AVCodecContext>, _ encoder: UnsafePointer<AVCodec>, settings: VideoSettings,
                             width: Int, height: Int) throws {
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if let preset = settings.preset, av_opt_find(context.pointee.priv_data, "preset", nil, 0, 0) != nil {
            // x264's names mean nothing to NVENC; its p1 (fastest) … p7 (best) stand in.
            let nvencPresets = ["ultrafast": "p1", "superfast": "p1", "veryfast": "p2", "faster": "p3", "fast": "p3",
                                "medium": "p4", "slow": "p5", "slower": "p6", "veryslow": "p7"]
            let name = settings.codec.hasSuffix("_nvenc") ? nvencPresets[preset] ?? preset : preset
            av_dict_set(&options, "preset", name, 0)
        }
        if settings.codec == "prores_ks", let name = settings.pixelFormat, name.contains("444") {
            av_dict_set(&options, "profile", "4444", 0)  // ProRes 4444, which carries alpha
        }
        for (key, value) in settings.options.sorted(by: { $0.key < $1.key }) { av_dict_set(&options, key, value, 0) }
        if let crf = settings.crf, settings.bitrate == nil, av_opt_find(context.pointee.priv_data, "crf", nil, 0, 0) != nil {
            av_dict_set(&options, "crf", String(crf), 0)
        } else if let crf = settings.crf, settings.bitrate == nil, settings.options["cq"] == nil,
                  av_opt_find(context.pointee.priv_data, "cq", nil, 0, 0) != nil {
            // NVENC's constant-quality mode takes the CRF's place.
            av_dict_set(&options, "rc", "vbr", 0)
            av_dict_set(&options, "cq", String(crf), 0)
            context.pointee.bit_rate = 0
        }
        FFmpegLog.capture
        _ = FFmpegLog.takeLastError()
        let opened = avcodec_open2(context, encoder, &options)
        if opened < 0 {
            // The encoder's own words (from its log) say more than the AVERROR's.
            let said = FFmpegLog.takeLastError().map { ["\(settings.codec) said: \($0)"] } ?? []
            throw ReelError(.videoEncode, "\(settings.codec) refused to open for \(width)×\(height) \(settings.pixelFormat ?? "yuv420p")",
                            detail: (said + [explainRefusal(codec: encoder, settings: settings)]).joined(separator: "\n"),
                            nativeCode: Int(opened), context: "avcodec_open2")
        }
        // Options left in the dictionary are ones the encoder does not have.
        if let unused = av_dict_get(options, "", nil, Int32(AV_DICT_IGNORE_SUFFIX)) {
            let known = optionNames(of: encoder)
            throw ReelError(.videoEncode, "\(settings.codec) has no option '\(String(cString: unused.pointee.key))'",
                            detail: known.isEmpty ? nil : "its options: \(known.joined(separator: ", "))")
        }
    }

    deinit { abort() }

    /// Encodes one frame; frames are numbered in the order they are appended.
    public func append(_ yuv: YUVFrame) throws {
        try yuv.y.withUnsafeBytes { luma in
            try yuv.uv.withUnsafeBytes { chroma in
                try append(luma: luma, chroma: chroma, stride: yuv.stride, width: yuv.width, height: yuv.height)
            }
        }
    }

    /// Encodes one NV12 frame read from memory the caller owns for the call (a mapped
    /// pixel-pack buffer): `luma` holds `height` rows and `chroma` `height / 2` rows of U V
    /// pairs, each `stride` bytes apart. The rows are copied into the encoder's own frame.
    public func append(luma: UnsafeRawBufferPointer, chroma: UnsafeRawBufferPointer, stride: Int, width: Int, height: Int) throws {
        guard !closed else { throw ReelError(.videoEncode, "the encoder is closed") }
        precondition(pixelFormat == AV_PIX_FMT_YUV420P, "YUV 4:2:0 frames go to a yuv420p encoder; use append(rgba:) for others")
        precondition(width == self.width && height == self.height, "frame size does not match the encoder")
        precondition(stride >= width && luma.count >= stride * height && chroma.count >= stride * (height / 2), "planes smaller than the frame")
        try LibAV.check(av_frame_make_writable(frame.pointer), "prepare a frame", code: .videoEncode, in: "av_frame_make_writable")
        let nv12 = inputFormat == AV_PIX_FMT_NV12
        frame.pointer.withPlanes { planes, lines in
            guard let source = luma.baseAddress?.assumingMemoryBound(to: UInt8.self), let destination = planes[0] else { return }
            for row in 0..<height {
                (destination + row * Int(lines[0])).update(from: source + row * stride, count: width)
            }
            guard let pairs = chroma.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            if nv12, let destination = planes[1] {
                for row in 0..<height / 2 {
                    (destination + row * Int(lines[1])).update(from: pairs + row * stride, count: width)
                }
            } else if let u = planes[1], let v = planes[2] {
                // Planar 4:2:0 for encoders without NV12: split the pairs.
                for row in 0..<height / 2 {
                    let line = pairs + row * stride, uRow = u + row * Int(lines[1]), vRow = v + row * Int(lines[2])
                    for column in 0..<width / 2 {
                        uRow[column] = line[2 * column]
                        vRow[column] = line[2 * column + 1]
                    }
                }
            }
        }
        try send(frame.pointer)
    }

    /// Encodes one RGBA frame (straight alpha), converted by swscale to the encoder's pixel
    /// format with the BT.709 matrix in limited range, alpha kept where the format has it.
    public func append(rgba image: RGBAImage) throws {
        guard !closed else { throw ReelError(.videoEncode, "the encoder is closed") }
        if pixelFormat == AV_PIX_FMT_PAL8 { return try appendPaletted(image) }
        let straight = image.unpremultiplied()
        try LibAV.check(av_frame_make_writable(frame.pointer), "prepare a frame", code: .videoEncode, in: "av_frame_make_writable")
        guard let context = scaler.context(width: width, height: height, from: AV_PIX_FMT_RGBA, to: pixelFormat,
                                           flags: Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP)) else {
            throw ReelError(.videoEncode, "cannot convert RGBA to the encoder's pixel format", context: "sws_getCachedContext")
        }
        let bt709 = sws_getCoefficients(SWS_CS_ITU709)
        sws_setColorspaceDetails(context, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16)
        let (width, height) = (self.width, self.height)
        straight.pixels.withUnsafeBufferPointer { source in
            var planes: [UnsafePointer<UInt8>?] = [source.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(width * 4), 0, 0, 0]
            frame.pointer.withPlanes { destination, lines in
                _ = sws_scale(context, &planes, &strides, 0, Int32(height), destination, lines)
            }
        }
        try send(frame.pointer)
    }

    private func appendPaletted(_ image: RGBAImage) throws {
        guard let palette else { throw ReelError(.videoEncode, "a palette format needs a palette before the first frame") }
        let indices = palette.map(image)
        try LibAV.check(av_frame_make_writable(frame.pointer), "prepare a frame", code: .videoEncode, in: "av_frame_make_writable")
        let (width, height) = (self.width, self.height)
        frame.pointer.withPlanes { planes, lines in
            guard let pixels = planes[0], let table = planes[1] else { return }
            indices.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                for row in 0..<height { (pixels + row * Int(lines[0])).update(from: base + row * width, count: width) }
            }
            // 256 entries of 0xAARRGGBB in native byte order; the transparent one has alpha 0.
            table.withMemoryRebound(to: UInt32.self, capacity: 256) { entries in
                for i in 0..<256 {
                    guard i < palette.palette.colors.count else { entries[i] = 0xFF00_0000; continue }
                    let c = palette.palette.colors[i]
                    let alpha: UInt32 = i == palette.palette.transparentIndex ? 0 : 0xFF
                    entries[i] = alpha << 24 | UInt32(c.0) << 16 | UInt32(c.1) << 8 | UInt32(c.2)
                }
            }
        }
        try send(frame.pointer)
    }

    /// Numbers `picture`, hands it to the encoder and muxes what comes out.
    private func send(_ picture: UnsafeMutablePointer<AVFrame>) throws {
        picture.pointee.pts = nextPTS
        nextPTS += 1
        try LibAV.check(avcodec_send_frame(codec.pointer, picture), "encode a frame", code: .videoEncode, in: "avcodec_send_frame")
        try drain()
    }

    /// Flushes the encoder, writes the trailer and closes the file.
    public func finish() throws {
        guard !closed else { return }
        try LibAV.check(avcodec_send_frame(codec.pointer, nil), "flush the encoder", code: .videoEncode, in: "avcodec_send_frame")
        try drain()
        try muxer.finish(output: outputName, code: .videoEncode)
        closed = true
    }

    /// Closes the file without finishing it. Idempotent.
    public func abort() {
        guard !closed else { return }
        closed = true
        muxer.closeFile()
    }

    /// Frames encoded so far.
    public var frameCount: Int { Int(nextPTS) }

    private func drain() throws {
        while true {
            let status = avcodec_receive_packet(codec.pointer, packet.pointer)
            if status == reel_averror_eagain() || status == reel_averror_eof() { return }
            try LibAV.check(status, "encode", code: .videoEncode, in: "avcodec_receive_packet")
            av_packet_rescale_ts(packet.pointer, codec.pointer.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            try muxer.write(packet, output: outputName, code: .videoEncode)
        }
    }

    /// Whether `codec` lists `format` among the pixel formats it takes.
    static func accepts(_ codec: UnsafePointer<AVCodec>, _ format: AVPixelFormat) -> Bool {
        guard var formats = codec.pointee.pix_fmts else { return false }
        while formats.pointee != AV_PIX_FMT_NONE {
            if formats.pointee == format { return true }
            formats += 1
        }
        return false
    }

    /// The video encoders this FFmpeg has, for `reel doctor`.
    /// Why an encoder may have refused: what it accepts, read from FFmpeg itself (FFmpeg's
    /// command-line tool is not something Reel can count on being installed).
    static func explainRefusal(codec: UnsafePointer<AVCodec>, settings: VideoSettings) -> String {
        var lines: [String] = []
        if settings.codec.hasSuffix("_nvenc") {
            lines.append("NVENC needs an NVIDIA GPU that has it and the driver's libnvidia-encode; H100 and H200 have none, and `reel doctor` lists only encoders that open here: use libx264 instead")
        }
        let formats = pixelFormats(of: codec)
        if !formats.isEmpty {
            lines.append("\(settings.codec) takes pixel formats \(formats.joined(separator: ", ")) (--pix-fmt)")
        }
        lines.append("`reel doctor` lists the encoders that open on this machine")
        return lines.joined(separator: "\n")
    }

    /// The pixel formats an encoder declares.
    static func pixelFormats(of codec: UnsafePointer<AVCodec>) -> [String] {
        guard var format = codec.pointee.pix_fmts else { return [] }
        var names: [String] = []
        while format.pointee != AV_PIX_FMT_NONE, names.count < 64 {
            if let name = av_get_pix_fmt_name(format.pointee) { names.append(String(cString: name)) }
            format += 1
        }
        return names
    }

    /// The private options an encoder has (`preset`, `crf`, `tune`, …).
    static func optionNames(of codec: UnsafePointer<AVCodec>) -> [String] {
        guard let privateClass = codec.pointee.priv_class else { return [] }
        var names: [String] = []
        var option: UnsafePointer<AVOption>? = privateClass.pointee.option
        while let current = option, let name = current.pointee.name, names.count < 200 {
            if current.pointee.type != AV_OPT_TYPE_CONST { names.append(String(cString: name)) }
            option = current + 1
        }
        return Array(Set(names)).sorted()
    }

    /// Whether `name` opens here for a small picture: an NVENC encoder is compiled into most
    /// FFmpeg builds but opens only where an NVIDIA GPU with NVENC and its driver are.
    public static func opens(_ name: String) -> Bool {
        MediaDecoder.silenceLogging
        guard let codec = avcodec_find_encoder_by_name(name) else { return false }
        var context = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&context) }
        guard let context else { return false }
        context.pointee.width = 256
        context.pointee.height = 256
        context.pointee.time_base = AVRational(num: 1, den: 30)
        context.pointee.framerate = AVRational(num: 30, den: 1)
        let formats = pixelFormats(of: codec)
        let preferred = ["yuv420p", "nv12", "yuva420p", "yuv422p10le", "rgb24", "rgba", "pal8", "bgra"].first { formats.contains($0) } ?? formats.first
        context.pointee.pix_fmt = preferred.map { av_get_pix_fmt($0) } ?? AV_PIX_FMT_YUV420P
        return avcodec_open2(context, codec, nil) >= 0
    }

    public static func availableEncoders() -> [String] {
        var opaque: UnsafeMutableRawPointer?
        var names: [String] = []
        while let codec = av_codec_iterate(&opaque) {
            if av_codec_is_encoder(codec) != 0, codec.pointee.type == AVMEDIA_TYPE_VIDEO {
                names.append(String(cString: codec.pointee.name))
            }
        }
        return names.sorted()
    }
}
