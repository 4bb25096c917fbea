import CFFmpeg
import ReelCore

/// The formats an asset may be, told from its first bytes, each with the one FFmpeg demuxer
/// that reads it.
///
/// Why Reel picks the demuxer instead of letting FFmpeg probe: FFmpeg's probe weighs the file
/// name as well as the bytes, and some of its demuxers read *other* files. An HLS playlist
/// (`#EXTM3U` … `file:/home/me/secret.mkv`), a concat list, a DASH manifest, an `image2`
/// file-name pattern or a QuickTime external data reference each make FFmpeg open further
/// files or URLs; as an asset that is a leak (a worker would read and render its own files,
/// and a missing one fails differently, an existence oracle). The formats here are all
/// self-contained: their demuxers read only the bytes of the file in hand. Everything else is
/// refused, by name where it is recognisably a playlist.
///
/// It is also what fixed JPEGs. Probing `photo.jpg`, FFmpeg's `image2` demuxer scores 50 on
/// the extension alone, while `jpeg_pipe` scores 51 only when the first probe window (2 KB)
/// reaches the end-of-image marker, 25 otherwise; so every JPEG over about 2 KB went to
/// `image2`. Probing leaves the file open as the context's reader, and `image2` reads its one
/// picture from that reader; `avformat_find_stream_info` consumes it, and the seek to 0 that
/// followed only reset `image2`'s picture counter, not the reader, so the next read was the
/// end of file: "no frame at 0.000s". (WebP and BMP were spared: their pipe demuxers outscore
/// `image2` on content.) Naming `jpeg_pipe` avoids all of it, and stills are not seeked.
public struct MediaContainer: Sendable, Hashable {
    /// FFmpeg's name for the demuxer, as `av_find_input_format` takes it.
    public var demuxer: String
    /// What the file is, for messages ("a JPEG picture").
    public var description: String
    /// True for still-picture formats (one frame, no timeline).
    public var isStill: Bool

    /// True for the formats `ImageHeader` reads a size from: the stills, GIF and APNG.
    public var isPicture: Bool { isStill || demuxer == "gif" || demuxer == "apng" }

    /// True when the FFmpeg Reel is linked with has this format's demuxer.
    public var isAvailable: Bool { av_find_input_format(demuxer) != nil }

    /// How many leading bytes `identify` looks at.
    public static let sniffLength = 4096

    /// Every format Reel opens, for messages and tests.
    public static let allowed: [MediaContainer] = [
        .png, .apng, .jpeg, .gif, .webp, .bmp, .tiff, .mov, .matroska, .avi, .mpegts, .mpegps, .flv, .ogg,
    ]

    static let png = MediaContainer(demuxer: "png_pipe", description: "a PNG picture", isStill: true)
    static let apng = MediaContainer(demuxer: "apng", description: "an animated PNG", isStill: false)
    static let jpeg = MediaContainer(demuxer: "jpeg_pipe", description: "a JPEG picture", isStill: true)
    static let gif = MediaContainer(demuxer: "gif", description: "a GIF", isStill: false)
    static let webp = MediaContainer(demuxer: "webp_pipe", description: "a WebP picture", isStill: true)
    static let bmp = MediaContainer(demuxer: "bmp_pipe", description: "a BMP picture", isStill: true)
    static let tiff = MediaContainer(demuxer: "tiff_pipe", description: "a TIFF picture", isStill: true)
    static let mov = MediaContainer(demuxer: "mov", description: "an MP4/QuickTime file", isStill: false)
    static let matroska = MediaContainer(demuxer: "matroska", description: "a Matroska/WebM file", isStill: false)
    static let avi = MediaContainer(demuxer: "avi", description: "an AVI file", isStill: false)
    static let mpegts = MediaContainer(demuxer: "mpegts", description: "an MPEG transport stream", isStill: false)
    static let mpegps = MediaContainer(demuxer: "mpeg", description: "an MPEG program stream", isStill: false)
    static let flv = MediaContainer(demuxer: "flv", description: "an FLV file", isStill: false)
    static let ogg = MediaContainer(demuxer: "ogg", description: "an Ogg file", isStill: false)

    /// The format of a file that begins with `head` (its first `sniffLength` bytes, or all of
    /// a shorter file); `name` is the file as messages call it.
    /// - Throws: `code` saying what the file is when it is not a format Reel opens: a
    ///   playlist or manifest by name, otherwise what FFmpeg would take it for.
    public static func identify(_ head: [UInt8], name: String, code: ReelError.Code) throws -> MediaContainer {
        if let format = recognise(head) { return format }
        throw ReelError(code, "'\(name)' \(refusal(head)); assets must be self-contained media files",
                        detail: "Reel reads PNG, JPEG, GIF, WebP, BMP and TIFF pictures and MP4/MOV, Matroska/WebM, AVI, MPEG-TS/PS, FLV and Ogg files")
    }

    /// The allowed format whose signature `head` carries, if any.
    static func recognise(_ head: [UInt8]) -> MediaContainer? {
        let b = ByteReader(head)
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            // An animation-control chunk before the image data makes it an APNG.
            return containsASCII(head, "acTL") ? .apng : .png
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.ascii(0, 6) == "GIF87a" || b.ascii(0, 6) == "GIF89a" { return .gif }
        if b.ascii(0, 4) == "RIFF" {
            if b.ascii(8, 4) == "WEBP" { return .webp }
            if b.ascii(8, 4) == "AVI " || b.ascii(8, 4) == "AVIX" { return .avi }
        }
        if b.ascii(0, 2) == "BM", b.u32le(14).map({ [12, 40, 52, 56, 64, 108, 124].contains($0) }) == true { return .bmp }
        if b.ascii(0, 4) == "II*\0" || b.ascii(0, 4) == "MM\0*" { return .tiff }
        if let box = b.ascii(4, 4), ["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"].contains(box) { return .mov }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        if b.ascii(0, 4) == "OggS" { return .ogg }
        if b.ascii(0, 3) == "FLV", b.byte(3) == 1 { return .flv }
        if head.starts(with: [0x00, 0x00, 0x01, 0xBA]) { return .mpegps }
        // Transport streams: a sync byte every 188 bytes (or 192, with a 4-byte timecode).
        for (first, step) in [(0, 188), (4, 192)] {
            let syncs = stride(from: first, to: min(head.count, first + 5 * step), by: step).map { b.byte($0) }
            if syncs.count >= 3, syncs.allSatisfy({ $0 == 0x47 }) { return .mpegts }
        }
        return nil
    }

    /// What a file that is not an allowed format is, as the middle of a sentence.
    static func refusal(_ head: [UInt8]) -> String {
        let text = String(decoding: head.prefix(1024), as: UTF8.self)
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.hasPrefix("#EXTM3U") || trimmed.hasPrefix("#EXT-X-") { return "is an HLS playlist" }
        if trimmed.hasPrefix("ffconcat") { return "is an FFmpeg concat list" }
        if trimmed.hasPrefix("[playlist]") { return "is a PLS playlist" }
        if trimmed.contains("<MPD") { return "is a DASH manifest" }
        if trimmed.lowercased().contains("<smil") { return "is a SMIL playlist" }
        if trimmed.hasPrefix("v=0") { return "is an SDP session description (a network stream)" }
        if head.isEmpty { return "is empty" }
        if let name = ffmpegGuess(head) {
            return "is \(name), which Reel does not open"
        }
        let printable = head.prefix(512).allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (0x20..<0x7F).contains($0) || $0 >= 0x80 }
        return printable ? "is text, not a picture or video" : "is not a picture or video format Reel reads"
    }

    /// What FFmpeg's content probe (no file name, so no guess from the extension) takes the
    /// bytes for, as "FFmpeg's 'name' format (long name)"; nil when nothing scores. Probing
    /// only reads the buffer given; nothing is opened.
    static func ffmpegGuess(_ head: [UInt8]) -> String? {
        MediaDecoder.silenceLogging
        var padded = head
        padded.append(contentsOf: [UInt8](repeating: 0, count: Int(AVPROBE_PADDING_SIZE)))
        return padded.withUnsafeMutableBufferPointer { buffer -> String? in
            "".withCString { emptyName in
                var probe = AVProbeData()
                probe.filename = emptyName
                probe.buf = buffer.baseAddress
                probe.buf_size = Int32(head.count)
                var score: Int32 = 0
                guard let format = av_probe_input_format3(&probe, 1, &score), score > AVPROBE_SCORE_RETRY else { return nil }
                let short = String(cString: format.pointee.name)
                let long = format.pointee.long_name.map { String(cString: $0) } ?? short
                return "FFmpeg's '\(short)' format (\(long))"
            }
        }
    }

    private static func containsASCII(_ bytes: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count >= w.count else { return false }
        for i in 0...(bytes.count - w.count) where bytes[i] == w[0] {
            if Array(bytes[i..<i + w.count]) == w { return true }
        }
        return false
    }
}
