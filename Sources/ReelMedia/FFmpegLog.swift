import CFFmpeg
import Foundation
import Synchronization

/// FFmpeg's log, kept off the terminal (its lines would interleave with Reel's one-line
/// errors) but not thrown away: the last error a library reported on this thread is added to
/// the error Reel throws, so "x264: invalid preset 'bogus'" reaches the user in the detail.
public enum FFmpegLog {
    /// Routes FFmpeg's log into `lastError`; idempotent.
    public static let capture: Void = {
        av_log_set_level(AV_LOG_ERROR)
        av_log_set_callback { object, level, format, arguments in
            guard level <= AV_LOG_ERROR, let format, let arguments else { return }
            var line = [CChar](repeating: 0, count: 512)
            var prefix: Int32 = 0  // no "[libx264 @ 0x…]" before the words
            av_log_format_line2(object, level, format, arguments, &line, Int32(line.count), &prefix)
            let text = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return }
            FFmpegLog.messages.withLock { $0[ThreadID.current] = String(text.prefix(300)) }
        }
    }()

    private static let messages = Mutex<[UInt64: String]>([:])

    /// The last error FFmpeg logged on this thread since the last call, if any.
    public static func takeLastError() -> String? {
        messages.withLock { $0.removeValue(forKey: ThreadID.current) }
    }
}

/// The calling thread's id, for keeping one thread's FFmpeg messages from another's.
enum ThreadID {
    static var current: UInt64 { UInt64(pthread_self()) }
}
