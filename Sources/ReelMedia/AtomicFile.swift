import Foundation
import ReelCore

extension ReelError.Code {
    /// The output exists and overwriting was not asked for.
    public static let outputExists = Self("E-IO-EXISTS")
}

/// Writes a file so that readers see either the old content or the complete new content,
/// never a partial file: data goes to a hidden temporary beside the target, is flushed to
/// disk, then renamed over the target in one step.
public enum AtomicFile {
    /// Makes the folders `path` needs that do not exist yet (`mkdir -p` of its folder), so
    /// `-o out/intro/poster.png` works as in other tools.
    /// - Returns: the folders made, outermost first, for `removeIfEmpty` after a failure.
    /// - Throws: `E-IO-WRITE` when a folder cannot be made (a file of that name, no permission).
    @discardableResult
    public static func makeFolders(for path: String) throws -> [String] {
        var missing: [String] = []
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            missing.insert(folder.path, at: 0)
            folder = folder.deletingLastPathComponent()
        }
        for made in missing {
            guard mkdir(made, 0o755) == 0 || errno == EEXIST else {
                let code = errno
                removeIfEmpty(missing)
                throw ReelError(.fileUnwritable, "cannot make the folder '\(made)' for '\(path)': \(String(cString: strerror(code)))",
                                nativeCode: Int(code), context: "mkdir")
            }
        }
        return missing
    }

    /// Removes `folders` (innermost first) that are still empty: those a failed render made.
    public static func removeIfEmpty(_ folders: [String]) {
        for folder in folders.reversed() { rmdir(folder) }
    }

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

    /// Checks what is at `path` now before Reel writes there: nothing, or a regular file it
    /// may replace when `overwrite` is set. A symbolic link, a device, a FIFO or a socket is
    /// never replaced (renaming over `/dev/null` would replace the device node itself, and
    /// replacing a link would surprise whoever made it), whatever `overwrite` says.
    /// - Throws: `E-IO-EXISTS` for an existing file without `overwrite`; `E-IO-WRITE` for a
    ///   link, a folder or a special file.
    public static func checkTarget(_ path: String, overwrite: Bool) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        switch kind {
        case S_IFREG:
            if !overwrite {
                throw ReelError(.outputExists, "'\(path)' already exists", detail: "pass --overwrite to replace it")
            }
        case S_IFLNK:
            throw ReelError(.fileUnwritable, "'\(path)' is a symbolic link; Reel neither writes through links nor replaces them",
                            detail: "write to the file it points to, or remove the link first")
        case S_IFDIR:
            throw ReelError(.fileUnwritable, "cannot write '\(path)': a folder of that name exists")
        default:
            let what = kind == S_IFCHR || kind == S_IFBLK ? "a device" : kind == S_IFIFO ? "a FIFO (named pipe)" : "a socket"
            throw ReelError(.fileUnwritable, "'\(path)' is \(what), not a file; Reel writes outputs only as regular files",
                            detail: "pick a file name; to discard the output, write it to a temporary folder")
        }
    }

    /// The marker in temporary names that says which process writes them, so that a later
    /// run can tell a temporary whose writer died (SIGKILL, a power cut) from one still
    /// being written: `.NAME.reel-PID.XXXXXX.partial`.
    static func ownerTag(_ pid: pid_t = getpid()) -> String { "reel-\(pid)" }

    /// Removes temporaries beside `path` that a Reel process which no longer runs left
    /// behind (killed while it wrote); those of live processes are kept.
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeAbandoned(besides path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let stem = url.deletingPathExtension().lastPathComponent, name = url.lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for entry in entries where entry.hasPrefix(".") && entry.contains(".partial") {
            // .STEM.reel-PID.XXXXXX.partial.EXT (streamed) or .NAME.reel-PID.XXXXXX.partial (staged)
            let rest: Substring
            if entry.hasPrefix(".\(name).reel-") { rest = entry.dropFirst(name.count + 7) }
            else if entry.hasPrefix(".\(stem).reel-") { rest = entry.dropFirst(stem.count + 7) }
            else { continue }
            guard let dot = rest.firstIndex(of: "."), let pid = pid_t(rest[..<dot]), !isRunning(pid) else { continue }
            let full = folder + "/" + entry
            var info = stat()
            guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    /// Whether process `pid` exists (it may belong to another user).
    package static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// A new, empty, hidden temporary file beside `path` for a writer that streams into it
    /// (a video muxer); the name keeps `path`'s extension. Finish with `commit` or `discard`.
    /// - Throws: `E-IO-WRITE` when the folder refuses new files.
    public static func temporary(for path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        var template = Array("\(folder)/.\(url.deletingPathExtension().lastPathComponent).\(ownerTag()).XXXXXX.partial\(ext)".utf8CString)
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

    /// Writes `data` to `path` in place and flushes it to disk: for files in a private staging
    /// folder that is committed as a whole once every file in it is written (a PNG
    /// sequence), where a temporary and a rename per file would only add a second flush.
    /// A file cut short by a failure is removed; one cut short by a crash lies in a staging
    /// folder that was never marked complete.
    /// - Throws: `E-IO-WRITE` with the system's reason.
    public static func writeDurably(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw writeError(path, errno: errno, in: "open") }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count, let base = raw.baseAddress {
                    let n = Foundation.write(fd, base + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw writeError(path, errno: errno, in: "write")
                    }
                    offset += n
                }
            }
            // The usual permissions whatever the umask, as `stage` gives its files.
            fchmod(fd, 0o644)
            guard fsync(fd) == 0 else { throw writeError(path, errno: errno, in: "fsync") }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// `E-IO-WRITE` for a failed system call `function` on `path`: the system's reason, what
    /// to do about it where there is something, and `errno` as the native code.
    static func writeError(_ path: String, errno code: Int32, in function: String) -> ReelError {
        ReelError(.fileUnwritable, "cannot write '\(path)': \(String(cString: strerror(code)))", detail: hint(errno: code),
                  nativeCode: Int(code), context: function)
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
        var template = Array("\(folder)/.\(url.lastPathComponent).\(ownerTag()).XXXXXX.partial".utf8CString)
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
