import CFFmpeg
import Foundation
import ReelCore

/// A libavformat demuxer opened over one file and confined to it: what Reel opens every
/// media file it did not write through (assets, and chunks a worker sent back).
///
/// - The file must be a regular file (`AssetFile`: a FIFO or device is refused at once).
/// - Its format is told from its bytes (`MediaContainer`) and must be a self-contained one;
///   that demuxer is given to FFmpeg, so its file-name guesses (`image2` patterns) and
///   playlist demuxers (HLS, concat, DASH) never run, and `format_whitelist` names it alone.
/// - FFmpeg reads only through `AssetIO`, a reader over that descriptor, and every nested
///   open a demuxer tries (a playlist segment, a QuickTime data reference) goes through an
///   `io_open` that refuses, with `protocol_whitelist` naming no protocol as a second lock.
final class ConfinedInput {
    let path: String
    let file: AssetFile
    let container: MediaContainer
    private let io: AssetIO
    private(set) var format: UnsafeMutablePointer<AVFormatContext>?

    /// Opens `path` and reads its header (`avformat_open_input`); streams are not probed.
    /// - Throws: `code` naming the file and the reason: not a regular file, not a format Reel
    ///   opens (a playlist by name), or FFmpeg's own.
    init(path: String, code: ReelError.Code) throws {
        MediaDecoder.silenceLogging
        self.path = path
        file = try AssetFile(path: path, code: code)
        let head = try file.head(MediaContainer.sniffLength, code: code)
        container = try MediaContainer.identify(head, name: path, code: code)
        guard let input = av_find_input_format(container.demuxer) else {
            throw ReelError(code, "'\(path)' is \(container.description), but this FFmpeg has no '\(container.demuxer)' demuxer")
        }
        io = try AssetIO(file)
        guard let context = avformat_alloc_context() else { throw ReelError(code, "out of memory opening '\(path)'") }
        context.pointee.pb = io.context
        context.pointee.io_open = { _, _, _, _, _ in reel_averror(EACCES) }
        var options: OpaquePointer?
        av_dict_set(&options, "format_whitelist", container.demuxer, 0)
        // No protocol is called "none": nothing may be opened by URL, not even file:.
        av_dict_set(&options, "protocol_whitelist", "none", 0)
        // The mov demuxer's external data references are off by default; say so, in case.
        av_dict_set(&options, "enable_drefs", "0", 0)
        av_dict_set(&options, "use_absolute_path", "0", 0)
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        // No URL: the demuxer has no file name to derive other names from.
        let status = avformat_open_input(&opened, nil, input, &options)
        av_dict_free(&options)
        // On failure avformat_open_input has freed the context (not the reader, which is ours).
        if status < 0 { throw LibAV.error(status, "open", path: path, code: code, in: "avformat_open_input") }
        guard let opened else { throw ReelError(code, "cannot open '\(path)'") }
        format = opened
    }

    deinit {
        // The demuxer first: it may still read through the reader while closing.
        avformat_close_input(&format)
    }
}
