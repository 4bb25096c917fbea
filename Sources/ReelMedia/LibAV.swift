import CFFmpeg
import Foundation
import ReelCore

/// The one place a libav status becomes a thrown error (swift-nio's `syscall(where:)`
/// shape): every FFmpeg call whose result Reel checks goes through `check`, so each failure
/// says what Reel was doing, FFmpeg's own reason, the libav function that returned it and
/// the `AVERROR` itself (`nativeCode`), whichever module made the call.
enum LibAV {
    /// FFmpeg's own words for a negative status ("Invalid argument", "No space left on device").
    static func reason(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        return buffer.withUnsafeMutableBufferPointer { String(cString: reel_av_error_string(status, $0.baseAddress, 256)) }
    }

    /// Returns `status` when it is not an error (zero or more); otherwise throws.
    /// - Parameters:
    ///   - action: what Reel was doing, worded to follow "cannot": "encode a frame", "open".
    ///   - path: the file it was done to, quoted after the action when given.
    ///   - code: the error's code.
    ///   - output: the file being written, for calls that write it: a failure of the storage
    ///     itself (a full disk, a file-size limit, a removed folder) is then `E-IO-WRITE`
    ///     naming `output`, with what to do, whatever `code` says.
    ///   - function: the libav function that returned `status`, kept as the error's context.
    /// - Throws: `ReelError` carrying `status` as its native code.
    @discardableResult
    static func check(_ status: Int32, _ action: @autoclosure () -> String, path: String? = nil, code: ReelError.Code,
                      output: String? = nil, in function: String) throws -> Int32 {
        guard status < 0 else { return status }
        throw error(status, action(), path: path, code: code, output: output, in: function)
    }

    /// The error `check` throws for a negative `status`, for callers that must clean up
    /// before throwing it.
    static func error(_ status: Int32, _ action: String, path: String? = nil, code: ReelError.Code, output: String? = nil,
                      in function: String) -> ReelError {
        let reason = reason(status)
        if let output, let hint = AtomicFile.hint(errno: -status) {
            return ReelError(.fileUnwritable, "cannot write '\(output)': \(reason)", detail: hint, nativeCode: Int(status), context: function)
        }
        let message = path.map { "cannot \(action) '\($0)': \(reason)" } ?? "cannot \(action): \(reason)"
        return ReelError(code, message, nativeCode: Int(status), context: function)
    }
}
