import Foundation
import ReelCore

/// Writes a file so that readers see either the old content or the complete new content,
/// never a partial file: data goes to a hidden temporary beside the target, is flushed to
/// disk, then renamed over the target in one step.
public enum AtomicFile {
    /// Checks, before any expensive work, that `path` can be written: its folder exists,
    /// is a folder, and is writable, and `path` itself is not a folder.
    /// - Throws: `E-IO-WRITE` saying which of these fails and what to do.
    public static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': the folder '\(folder)' does not exist",
                            detail: "create it first (mkdir -p '\(folder)')")
        }
        guard isDirectory.boolValue else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': '\(folder)' is not a folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': no permission to write in '\(folder)'",
                            nativeCode: Int(errno), context: "access")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': a folder of that name exists")
        }
    }

    /// A new, empty, hidden temporary file beside `path` for a writer that streams into it
    /// (a video muxer); the name keeps `path`'s extension. Finish with `commit` or `discard`.
    /// - Throws: `E-IO-WRITE` when the folder refuses new files.
    public static func temporary(for path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        var template = Array("\(folder)/.\(url.deletingPathExtension().lastPathComponent).XXXXXX.partial\(ext)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(8 + ext.utf8.count)) }
        guard fd >= 0 else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))", nativeCode: Int(errno), context: "mkstemps")
        }
        fchmod(fd, 0o644)
        close(fd)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Flushes a finished temporary file to disk and renames it over `path`.
    /// - Throws: `E-IO-WRITE`; the temporary is removed and `path` left untouched.
    public static func commit(_ temporary: String, to path: String) throws {
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ReelError(.fileUnwritable, "cannot move the finished file into place at '\(path)': \(String(cString: strerror(code)))",
                            detail: hint(errno: code), nativeCode: Int(code), context: "rename")
        }
    }

    /// What to do about a failed write, for the errors that are about the storage rather
    /// than Reel: nil for others.
    public static func hint(errno code: Int32) -> String? {
        switch code {
        case ENOSPC, EDQUOT: return "the disk is full: free space (df -h shows how much) or write elsewhere; nothing was replaced"
        case EFBIG: return "the file outgrew the file-size limit (ulimit -f) or the file system's largest file; nothing was replaced"
        case EIO: return "the storage reported an I/O error; check the disk (dmesg); nothing was replaced"
        case ENOENT: return "the folder was removed while Reel wrote into it; nothing was replaced"
        case EROFS: return "the file system is read-only"
        default: return nil
        }
    }

    /// Removes a temporary file that will not be committed.
    public static func discard(_ temporary: String) {
        unlink(temporary)
    }

    /// Writes `data` to `path` atomically. On any failure the temporary file is removed and
    /// an existing file at `path` is left untouched.
    /// - Throws: `E-IO-WRITE` with the system's reason.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = try stage(data, for: path)
        try commit(temporary, to: path)
    }

    /// Writes `data` to a hidden temporary file beside `path`, flushed to disk, and returns its
    /// path; `path` itself is not touched. A writer of many files (a PNG sequence) stages them
    /// all and commits them only once every one is written, so a failure part-way leaves an
    /// existing sequence as it was. Finish with `commit` or `discard`.
    /// - Throws: `E-IO-WRITE` with the system's reason (a full disk, a folder removed); the
    ///   temporary is removed.
    public static func stage(_ data: Data, for path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        // Hidden, unique, and in the same folder so the rename cannot cross file systems.
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX.partial".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 8) }
        guard fd >= 0 else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                            detail: hint(errno: errno), nativeCode: Int(errno), context: "mkstemps")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                                        detail: hint(errno: errno), nativeCode: Int(errno), context: "write")
                    }
                    offset += n
                }
            }
            // Files are created 0600 by mkstemps; give them the usual permissions.
            fchmod(fd, 0o644)
            guard fsync(fd) == 0 else {
                throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                                detail: hint(errno: errno), nativeCode: Int(errno), context: "fsync")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }
}
