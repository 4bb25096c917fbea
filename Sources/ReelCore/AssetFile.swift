import Foundation

/// A file a user named (an asset, a scene, a shader file) opened for reading, checked to be a
/// regular file before a byte is read.
///
/// Why not `Data(contentsOf:)` or FFmpeg's own `file:` protocol: both open with a blocking
/// `open(2)`, and a FIFO named as an asset then blocks until something writes to it — a render
/// (or a worker's request) that hangs and ignores Ctrl-C. A character device (`/dev/zero`,
/// `/dev/stdin`) is an endless read. So the file is opened with `O_NONBLOCK` (which returns at
/// once for a FIFO), `fstat`ed, and refused unless it is a regular file; symbolic links are
/// followed, as a user expects. Reads then use `pread` on that descriptor, so what is decoded
/// is the file that was checked.
public final class AssetFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// The file's size in bytes when it was opened.
    public let size: Int64
    private let descriptor: Int32

    /// Opens `path` for reading.
    /// - Throws: `code` naming the path when it cannot be opened or is not a regular file
    ///   (a FIFO, a device, a socket, a folder).
    ///   - role: what the file is, for the refusal of a pipe or device ("assets", "scene files").
    public init(path: String, code: ReelError.Code, role: String = "assets") throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "does not exist" : "cannot be opened: \(String(cString: strerror(errno)))"
            throw ReelError(code, "'\(path)' \(reason)", nativeCode: Int(errno), context: "open")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let number = errno
            close(fd)
            throw ReelError(code, "cannot examine '\(path)': \(String(cString: strerror(number)))", nativeCode: Int(number), context: "fstat")
        }
        guard let kind = Self.kind(of: info.st_mode), kind == .regular else {
            close(fd)
            let name = Self.kind(of: info.st_mode)?.description ?? "not a regular file"
            throw ReelError(code, "'\(path)' is \(name), not a regular file; \(role) must be ordinary files",
                            detail: "a pipe or device would block or never end; copy its contents into a file")
        }
        // Regular files never block; clear the flag so reads behave as documented.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// What a path names, followed through symbolic links, without opening it (so without
    /// blocking on a FIFO); nil when nothing is there.
    public static func kind(atPath path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    /// The kinds of file `stat` tells apart, for messages.
    public enum Kind: Sendable, CustomStringConvertible {
        case regular, folder, fifo, characterDevice, blockDevice, socket, other
        public var description: String {
            switch self {
            case .regular: return "a regular file"
            case .folder: return "a folder"
            case .fifo: return "a FIFO (named pipe)"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .socket: return "a socket"
            case .other: return "a special file"
            }
        }
    }

    static func kind(of mode: mode_t) -> Kind? {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        case S_IFIFO: return .fifo
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (0 at
    /// the end), or -1 with `errno` set.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) -> Int {
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return done > 0 ? done : -1
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    /// - Throws: `code` when the read fails.
    public func head(_ count: Int, code: ReelError.Code) throws -> [UInt8] {
        let wanted = max(0, min(count, Int(clamping: size)))
        var bytes = [UInt8](repeating: 0, count: wanted)
        let n = bytes.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(into: $0, count: wanted, at: 0) } ?? 0 }
        guard n >= 0 else { throw ReelError(code, "cannot read '\(path)': \(String(cString: strerror(errno)))", nativeCode: Int(errno), context: "pread") }
        return Array(bytes.prefix(n))
    }

    /// The whole file when it is at most `limit` bytes, nil when it is larger: nothing is read
    /// then, and the caller reports the size where the file was named.
    /// - Throws: `code` when the read fails.
    public func contents(upTo limit: Int, code: ReelError.Code) throws -> Data? {
        guard size <= Int64(limit) else { return nil }
        return Data(try head(Int(size), code: code))
    }

    /// The whole file, refusing one larger than `limit` bytes.
    /// - Throws: `code` when the read fails or the file is over the limit.
    public func contents(limit: Int, code: ReelError.Code) throws -> Data {
        guard size <= Int64(limit) else {
            throw ReelError(code, "'\(path)' is \(size) bytes; the limit for one asset is \(limit) bytes")
        }
        let bytes = try head(Int(size), code: code)
        return Data(bytes)
    }
}
