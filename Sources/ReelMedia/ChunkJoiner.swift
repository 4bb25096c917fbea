import CFFmpeg
import Foundation
import ReelCore

extension ReelError.Code {
    /// Chunks of a video could not be joined: they differ from one another, one is damaged,
    /// or the joined file failed the check it gets before it is moved into place.
    public static let videoJoin = Self("E-MEDIA-JOIN")
}

/// What a joined (or verified) video holds.
public struct JoinReport: Sendable, Hashable {
    /// Video frames (packets) in the file.
    public var frames: Int
    /// The frames' length in seconds: `frames` at the stream's frame rate.
    public var duration: Double
    /// The file's size in bytes.
    public var bytes: Int

    public init(frames: Int, duration: Double, bytes: Int) {
        (self.frames, self.duration, self.bytes) = (frames, duration, bytes)
    }
}

/// Joins the chunks of a video rendered in pieces (contiguous frame ranges encoded apart, by
/// `VideoEncoder` with the same settings, each starting on a key frame) into one file,
/// without re-encoding: the packets are copied and only their timestamps are rewritten.
///
/// Timestamps are rebuilt in whole frames rather than carried over from the chunks, because
/// each chunk's clock starts again at zero and containers disagree about decode times
/// (Matroska stores none, so the demuxer leaves the first ones unknown). A chunk's
/// presentation times must sit on its frame-rate grid; it is shifted by the frames of the
/// chunks before it. Decode times are renumbered as packet index minus the reorder delay
/// that B-frames need, the same for every chunk, so they rise by one frame per packet across
/// chunk boundaries and never pass a presentation time.
public enum ChunkJoiner {
    /// The extensions `join` writes; the container follows the output's extension.
    public static let containers: Set<String> = ["mp4", "mov", "mkv", "webm"]

    /// Remuxes the video packets of `chunks`, in order, into `output`, then reads the result
    /// back with `verify` before moving it into place. The first chunk's codec parameters
    /// describe the joined stream; other streams (audio) in the chunks are left out.
    ///
    /// On any failure nothing is left at `output` and a file already there is untouched.
    /// - Throws: `E-MEDIA-JOIN` naming the chunk and what is wrong with it: it cannot be
    ///   read, differs from the first in codec, size, pixel format, time base, frame rate or
    ///   extradata, does not start with a key frame, has timestamps off its frame grid or
    ///   frames missing, or the chunks do not add up to `expectedFrames`; also when the
    ///   joined file fails its check. `E-IO-WRITE` when `output` cannot be written.
    @discardableResult
    public static func join(_ chunks: [String], into output: String, expectedFrames: Int) throws -> JoinReport {
        MediaDecoder.silenceLogging
        guard !chunks.isEmpty else { throw ReelError(.videoJoin, "no chunks to join into '\(output)'") }
        guard expectedFrames > 0 else { throw ReelError(.videoJoin, "cannot join '\(output)' of \(expectedFrames) frames") }
        let ext = (output as NSString).pathExtension.lowercased()
        guard containers.contains(ext) else {
            throw ReelError(.videoJoin, "cannot join chunks into '\(output)': use .mp4, .mov, .mkv or .webm")
        }
        try AtomicFile.checkWritable(output)

        // Pass 1 reads every chunk's timestamps (not its data) so that any bad chunk is
        // refused before a byte is written, and the reorder delay is known for all of them.
        let first = try VideoStreamReader(path: chunks[0])
        var plans: [ChunkPlan] = []
        for (index, path) in chunks.enumerated() {
            let reader = index == 0 ? first : try VideoStreamReader(path: path)
            if index > 0 { try reader.requireMatches(first) }
            plans.append(try ChunkPlan(reader))
        }
        let total = plans.reduce(0) { $0 + $1.frames.count }
        guard total == expectedFrames else {
            let counts = zip(chunks, plans).map { "\(($0 as NSString).lastPathComponent): \($1.frames.count)" }.joined(separator: ", ")
            throw ReelError(.videoJoin, "the chunks hold \(total) frames, \(expectedFrames) expected (\(counts))",
                            detail: "a chunk is missing, truncated or from another render")
        }
        let delay = max(Int(first.parameters.pointee.video_delay), plans.map(\.delay).max() ?? 0)

        // Pass 2 copies the packets into a temporary beside `output`.
        let temporary = try AtomicFile.temporary(for: output)
        do {
            let muxer = try JoinMuxer(path: temporary, output: output, like: first)
            var offset = 0
            for (path, plan) in zip(chunks, plans) {
                let reader = try VideoStreamReader(path: path)
                try reader.requireMatches(first)
                var index = 0
                try reader.forEachPacket { packet in
                    guard index < plan.frames.count, packet.pointee.pts == plan.timestamps[index] else {
                        throw ReelError(.videoJoin, "'\(path)' changed while it was being joined")
                    }
                    try muxer.write(packet, pts: offset + plan.frames[index], dts: offset + index - delay)
                    index += 1
                }
                guard index == plan.frames.count else { throw ReelError(.videoJoin, "'\(path)' changed while it was being joined") }
                offset += plan.frames.count
            }
            try muxer.finish()
            let report: JoinReport
            do {
                report = try verify(temporary, expectedFrames: expectedFrames)
            } catch let error as ReelError {
                // The temporary's name would mean nothing once it is gone.
                let reason = error.message.replacingOccurrences(of: temporary, with: output)
                throw ReelError(.videoJoin, "the joined '\(output)' failed its check: \(reason)", detail: error.detail)
            }
            try AtomicFile.commit(temporary, to: output)
            return report
        } catch {
            AtomicFile.discard(temporary)
            throw error
        }
    }

    /// Reads `path` back packet by packet and checks it is a whole video of `expectedFrames`
    /// frames: that many packets, the first a key frame, decode times strictly increasing,
    /// and presentation times unique and covering frames 0 ..< `expectedFrames` on the
    /// stream's frame-rate grid. Decode times a container does not store (Matroska's first
    /// few, which the demuxer leaves unknown) are not checked.
    /// - Throws: `E-MEDIA-JOIN` naming the file and the first thing wrong with it.
    @discardableResult
    public static func verify(_ path: String, expectedFrames: Int) throws -> JoinReport {
        MediaDecoder.silenceLogging
        let reader = try VideoStreamReader(path: path)
        let clock = try reader.clock()
        let packets = try reader.timings()
        guard packets.count == expectedFrames else {
            throw ReelError(.videoJoin, "'\(path)' has \(packets.count) frames, \(expectedFrames) expected")
        }
        guard packets.first?.isKey == true else { throw ReelError(.videoJoin, "'\(path)' does not start with a key frame") }
        var seen = [Bool](repeating: false, count: expectedFrames)
        var lastDTS: Int64?
        for (index, packet) in packets.enumerated() {
            if let dts = packet.dts {
                if let lastDTS, dts <= lastDTS {
                    throw ReelError(.videoJoin, "'\(path)': packet \(index) decodes at \(dts), not after \(lastDTS)",
                                    detail: "decode times must rise strictly")
                }
                lastDTS = dts
            }
            guard let pts = packet.pts else { throw ReelError(.videoJoin, "'\(path)': packet \(index) has no presentation time") }
            guard let frame = clock.frame(at: pts), frame >= 0, frame < expectedFrames else {
                throw ReelError(.videoJoin, "'\(path)': packet \(index) is shown at \(clock.seconds(pts)) s, not on frames 0 ..< \(expectedFrames) at \(clock.fps) fps")
            }
            guard !seen[frame] else { throw ReelError(.videoJoin, "'\(path)': frame \(frame) is there twice") }
            seen[frame] = true
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let bytes = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        return JoinReport(frames: expectedFrames, duration: Double(expectedFrames) / clock.fps, bytes: bytes)
    }
}

// MARK: - Reading

/// A packet's timestamps in its stream's time base; nil where the container has none.
struct PacketTiming: Sendable, Hashable {
    var pts: Int64?
    var dts: Int64?
    var isKey: Bool
}

/// Turns a stream's timestamps into frame numbers at its constant frame rate.
struct FrameClock: Sendable {
    var timeBase: AVRational
    var rate: AVRational

    var fps: Double { Double(rate.num) / Double(rate.den) }
    func seconds(_ ts: Int64) -> Double { Double(ts) * Double(timeBase.num) / Double(timeBase.den) }

    /// The frame `ts` starts, or nil when it lies off the grid by more than the container's
    /// rounding (half a tick: Matroska's milliseconds put 30 fps at 0, 33, 67, 100…).
    func frame(at ts: Int64) -> Int? {
        let exact = seconds(ts) * fps
        let tick = Double(timeBase.num) / Double(timeBase.den) * fps
        let nearest = exact.rounded()
        guard abs(exact - nearest) <= min(0.25, tick / 2 + 1e-9), abs(nearest) < Double(Int32.max) else { return nil }
        return Int(nearest)
    }
}

/// One video file opened for reading, with its best video stream. Closes in `deinit`.
///
/// Chunks come from workers, so they are opened as assets are (`ConfinedInput`): a chunk
/// that is an HLS playlist naming the coordinator's own files is refused, not followed.
final class VideoStreamReader {
    let path: String
    private let input: ConfinedInput
    private var format: UnsafeMutablePointer<AVFormatContext>? { input.format }
    let stream: UnsafeMutablePointer<AVStream>
    let parameters: UnsafeMutablePointer<AVCodecParameters>

    init(path: String) throws {
        self.path = path
        input = try ConfinedInput(path: path, code: .videoJoin)
        guard let opened = input.format else { throw ReelError(.videoJoin, "cannot open '\(path)'") }
        try LibAV.check(avformat_find_stream_info(opened, nil), "read the streams of", path: path, code: .videoJoin, in: "avformat_find_stream_info")
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = opened.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            throw ReelError(.videoJoin, "'\(path)' has no video stream")
        }
        (self.stream, self.parameters) = (stream, parameters)
    }

    /// The stream's clock; a stream without a frame rate cannot be placed on a frame grid.
    func clock() throws -> FrameClock {
        var rate = stream.pointee.avg_frame_rate
        if rate.num <= 0 || rate.den <= 0 { rate = stream.pointee.r_frame_rate }
        let base = stream.pointee.time_base
        guard rate.num > 0, rate.den > 0, base.num > 0, base.den > 0 else {
            throw ReelError(.videoJoin, "'\(path)' has no constant frame rate")
        }
        return FrameClock(timeBase: base, rate: rate)
    }

    /// Calls `body` with each packet of the video stream in file (decode) order; the packet
    /// is unreferenced after `body` returns, so `body` may hand it on or leave it.
    func forEachPacket(_ body: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        guard let format, let packet = av_packet_alloc() else { throw ReelError(.videoJoin, "out of memory reading '\(path)'") }
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&owned) }
        var count = 0
        while true {
            let status = av_read_frame(format, packet)
            if status == reel_averror_eof() { break }
            if status < 0 { throw LibAV.error(status, "read packet \(count) of", path: path, code: .videoJoin, in: "av_read_frame") }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == stream.pointee.index else { continue }
            // A damaged or cut-short sample is flagged by the demuxer rather than failed.
            if (packet.pointee.flags & AV_PKT_FLAG_CORRUPT) != 0 {
                throw ReelError(.videoJoin, "'\(path)': packet \(count) is damaged or cut short")
            }
            try body(packet)
            count += 1
        }
        // MP4 and MOV index every sample up front: fewer packets than that means the file
        // was cut short, which av_read_frame reports only as an early end.
        let indexed = Int(stream.pointee.nb_frames)
        if indexed > 0 && count != indexed {
            throw ReelError(.videoJoin, "'\(path)' holds \(count) of the \(indexed) frames its index lists",
                            detail: "the file is truncated or damaged")
        }
    }

    /// The timestamps and key flags of every video packet, in file order.
    func timings() throws -> [PacketTiming] {
        var packets: [PacketTiming] = []
        let none = reel_av_nopts_value()
        try forEachPacket { packet in
            let p = packet.pointee
            packets.append(PacketTiming(pts: p.pts == none ? nil : p.pts, dts: p.dts == none ? nil : p.dts,
                                        isKey: (p.flags & AV_PKT_FLAG_KEY) != 0))
        }
        return packets
    }

    /// Throws unless this chunk's stream could share one track with `first`'s.
    func requireMatches(_ first: VideoStreamReader) throws {
        let a = first.parameters.pointee, b = parameters.pointee
        func refuse(_ what: String, _ mine: String, _ theirs: String) -> ReelError {
            ReelError(.videoJoin, "'\(path)' differs from the first chunk '\(first.path)' in \(what): \(mine), not \(theirs)",
                      detail: "every chunk must be encoded with the same settings")
        }
        if b.codec_id != a.codec_id {
            throw refuse("codec", String(cString: avcodec_get_name(b.codec_id)), String(cString: avcodec_get_name(a.codec_id)))
        }
        if b.width != a.width || b.height != a.height { throw refuse("size", "\(b.width)×\(b.height)", "\(a.width)×\(a.height)") }
        if b.format != a.format {
            let name = { (f: Int32) in av_get_pix_fmt_name(AVPixelFormat(rawValue: f)).map { String(cString: $0) } ?? "\(f)" }
            throw refuse("pixel format", name(b.format), name(a.format))
        }
        let (tb, ftb) = (stream.pointee.time_base, first.stream.pointee.time_base)
        if av_cmp_q(tb, ftb) != 0 { throw refuse("time base", "\(tb.num)/\(tb.den)", "\(ftb.num)/\(ftb.den)") }
        let (rate, firstRate) = (try clock().rate, try first.clock().rate)
        if av_cmp_q(rate, firstRate) != 0 {
            throw refuse("frame rate", "\(rate.num)/\(rate.den)", "\(firstRate.num)/\(firstRate.den)")
        }
        let mine = b.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(b.extradata_size))) } ?? []
        let theirs = a.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(a.extradata_size))) } ?? []
        if mine != theirs { throw refuse("extradata (the codec's headers)", "\(mine.count) bytes", "\(theirs.count) different bytes") }
    }

}

/// What pass 1 learns about a chunk: each packet's frame within the chunk, in file order.
private struct ChunkPlan {
    /// The packets' presentation times as the chunk stores them, to recognise them in pass 2.
    var timestamps: [Int64]
    /// The frame each packet shows, counted from the chunk's first frame.
    var frames: [Int]
    /// The fewest frames decode times must trail presentation times by for this chunk.
    var delay: Int

    init(_ reader: VideoStreamReader) throws {
        let path = reader.path
        let clock = try reader.clock()
        let packets = try reader.timings()
        guard let head = packets.first else { throw ReelError(.videoJoin, "'\(path)' holds no video frames") }
        guard head.isKey else { throw ReelError(.videoJoin, "'\(path)' does not start with a key frame") }
        var timestamps: [Int64] = []
        for (index, packet) in packets.enumerated() {
            guard let pts = packet.pts else { throw ReelError(.videoJoin, "'\(path)': packet \(index) has no presentation time") }
            timestamps.append(pts)
        }
        // The first packet is the key frame; a frame shown before it would need a picture
        // from the chunk before (an open GOP), which the join cannot give it.
        let start = timestamps[0]
        if let early = timestamps.firstIndex(where: { $0 < start }) {
            throw ReelError(.videoJoin, "'\(path)': packet \(early) is shown before the key frame that starts the chunk",
                            detail: "chunks must be closed groups of pictures")
        }
        var seen = [Bool](repeating: false, count: packets.count)
        frames = []
        delay = 0
        for (index, pts) in timestamps.enumerated() {
            guard let frame = clock.frame(at: pts - start) else {
                throw ReelError(.videoJoin, "'\(path)': packet \(index) at \(clock.seconds(pts)) s is off the \(clock.fps) fps frame grid")
            }
            guard frame < packets.count else {
                throw ReelError(.videoJoin, "'\(path)' has \(packets.count) frames but shows one at frame \(frame): frames are missing")
            }
            guard !seen[frame] else { throw ReelError(.videoJoin, "'\(path)': frame \(frame) is there twice") }
            seen[frame] = true
            frames.append(frame)
            delay = max(delay, index - frame)
        }
        self.timestamps = timestamps
    }
}

// MARK: - Writing

/// The joined file being written: one video stream with the first chunk's parameters, whose
/// packets arrive with timestamps in frames. `finish()` writes the trailer; `deinit` frees
/// whatever is left, so a failed join leaves only the temporary for the caller to discard.
private final class JoinMuxer {
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private let stream: UnsafeMutablePointer<AVStream>
    private let frameBase: AVRational
    /// The final name, for messages: the temporary's would mean nothing to the user.
    private let output: String

    init(path: String, output: String, like first: VideoStreamReader) throws {
        self.output = output
        var muxer: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&muxer, nil, nil, output) >= 0, let format = muxer else {
            throw ReelError(.videoJoin, "no container for '\(output)'")
        }
        self.format = format
        // The container is chosen by the final name; the bytes go to the temporary, which
        // the MP4 muxer reopens by URL to move its index to the front.
        av_free(format.pointee.url)
        format.pointee.url = av_strdup(path)
        guard let stream = avformat_new_stream(format, nil) else {
            avformat_free_context(format)
            throw ReelError(.videoJoin, "out of memory")
        }
        self.stream = stream
        let rate = try first.clock().rate
        frameBase = AVRational(num: rate.den, den: rate.num)
        do {
            // Asked first so the refusal says why; the header would fail only with EINVAL.
            // (Muxers that cannot tell answer negative and are left to the header.)
            let codec = first.parameters.pointee.codec_id
            if avformat_query_codec(format.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) == 0 {
                let ext = (output as NSString).pathExtension
                throw ReelError(.videoJoin, "a .\(ext) file cannot hold \(String(cString: avcodec_get_name(codec))) video, so '\(output)' cannot be joined",
                                detail: "join into a container that takes the chunks' codec (H.264: .mp4, .mov or .mkv)")
            }
            try check(avcodec_parameters_copy(stream.pointee.codecpar, first.parameters), "copy the codec parameters", in: "avcodec_parameters_copy")
            // The chunk's container tag ('avc1' in MP4) may mean nothing in the output's.
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = frameBase
            stream.pointee.avg_frame_rate = rate
            stream.pointee.r_frame_rate = rate
            try check(avio_open(&format.pointee.pb, path, Int32(reel_avio_flag_write())), "create", in: "avio_open")
            var options: OpaquePointer?
            defer { av_dict_free(&options) }
            let ext = (output as NSString).pathExtension.lowercased()
            if ext == "mp4" || ext == "mov" { av_dict_set(&options, "movflags", "+faststart", 0) }
            try check(avformat_write_header(format, &options), "write the header of", in: "avformat_write_header")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Writes `packet` (which it takes the data of) shown at frame `pts`, decoded at frame `dts`.
    func write(_ packet: UnsafeMutablePointer<AVPacket>, pts: Int, dts: Int) throws {
        guard let format else { throw ReelError(.videoJoin, "the joined file is closed") }
        packet.pointee.pts = Int64(pts)
        packet.pointee.dts = Int64(dts)
        packet.pointee.duration = 1
        packet.pointee.stream_index = 0
        packet.pointee.pos = -1
        av_packet_rescale_ts(packet, frameBase, stream.pointee.time_base)
        try check(av_interleaved_write_frame(format, packet), "write a packet to", in: "av_interleaved_write_frame")
    }

    /// Writes the trailer (and, for MP4, moves the index to the front) and closes the file.
    func finish() throws {
        guard let format else { return }
        try check(av_write_trailer(format), "finish", in: "av_write_trailer")
        close()
    }

    private func close() {
        guard let format else { return }
        if format.pointee.pb != nil { avio_closep(&format.pointee.pb) }
        avformat_free_context(format)
        self.format = nil
    }

    private func check(_ status: Int32, _ action: String, in function: String) throws {
        try LibAV.check(status, action, path: output, code: .videoJoin, in: function)
    }
}
