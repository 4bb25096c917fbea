import CFFmpeg
import Foundation
import ReelCore

/// Facts about a video file, read with libavformat by walking every packet: what tests (and
/// the stitcher, later) check outputs against.
public struct MediaProbe: Sendable {
    public var codec: String
    public var width: Int
    public var height: Int
    public var pixelFormat: String
    public var frameRate: Double
    public var frames: Int
    /// Presentation times of the frames in seconds, in presentation order.
    public var timestamps: [Double]
    public var colorPrimaries: String
    public var colorTransfer: String
    public var colorSpace: String
    public var colorRange: String

    /// - Throws: `E-MEDIA-VIDEO` when the file cannot be read.
    public init(path: String) throws {
        MediaDecoder.silenceLogging
        var format: UnsafeMutablePointer<AVFormatContext>?
        try LibAV.check(avformat_open_input(&format, path, nil, nil), "open", path: path, code: .videoAsset, in: "avformat_open_input")
        defer { avformat_close_input(&format) }
        guard let format else { throw ReelError(.videoAsset, "cannot open '\(path)'") }
        try LibAV.check(avformat_find_stream_info(format, nil), "read stream information of", path: path, code: .videoAsset, in: "avformat_find_stream_info")
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = format.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            throw ReelError(.videoAsset, "'\(path)' has no video stream")
        }
        let p = parameters.pointee
        codec = String(cString: avcodec_get_name(p.codec_id))
        width = Int(p.width)
        height = Int(p.height)
        pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: p.format)).map { String(cString: $0) } ?? "?"
        let rate = stream.pointee.avg_frame_rate
        frameRate = rate.den > 0 ? Double(rate.num) / Double(rate.den) : 0
        colorPrimaries = av_color_primaries_name(p.color_primaries).map { String(cString: $0) } ?? "?"
        colorTransfer = av_color_transfer_name(p.color_trc).map { String(cString: $0) } ?? "?"
        colorSpace = av_color_space_name(p.color_space).map { String(cString: $0) } ?? "?"
        colorRange = av_color_range_name(p.color_range).map { String(cString: $0) } ?? "?"
        let base = Double(stream.pointee.time_base.num) / Double(stream.pointee.time_base.den)
        var times: [Double] = []
        guard let packet = av_packet_alloc() else { throw ReelError(.videoAsset, "out of memory") }
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&owned) }
        while av_read_frame(format, packet) >= 0 {
            if packet.pointee.stream_index == index, packet.pointee.pts != reel_av_nopts_value() {
                times.append(Double(packet.pointee.pts) * base)
            }
            av_packet_unref(packet)
        }
        timestamps = times.sorted()
        frames = times.count
    }
}
