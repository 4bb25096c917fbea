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

    /// Writes `data` to `path` atomically. On any failure the temporary file is removed and
    /// an existing file at `path` is left untouched.
    /// - Throws: `E-IO-WRITE` with the system's reason.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        // Hidden, unique, and in the same folder so the rename cannot cross file systems.
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX.partial".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 8) }
        guard fd >= 0 else {
            throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                            nativeCode: Int(errno), context: "mkstemps")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                                        nativeCode: Int(errno), context: "write")
                    }
                    offset += n
                }
            }
            // Files are created 0600 by mkstemps; give them the usual permissions.
            fchmod(fd, 0o644)
            guard fsync(fd) == 0 else {
                throw ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                                nativeCode: Int(errno), context: "fsync")
            }
        }
        guard rename(temporary, path) == 0 else {
            throw ReelError(.fileUnwritable, "cannot move the finished file into place at '\(path)': \(String(cString: strerror(errno)))",
                            nativeCode: Int(errno), context: "rename")
        }
        committed = true
    }
}
