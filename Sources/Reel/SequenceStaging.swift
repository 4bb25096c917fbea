import Foundation
import ReelCore
import ReelMedia

/// Writes a PNG sequence as one transaction, so that no crash leaves a mix of old and new
/// frames or stray temporaries behind.
///
/// Frames are staged in a hidden folder beside them, `.reel-sequence-PID-XXXXXX`, under their
/// final names. `commit` first writes a marker file there (flushed to disk): from then on the
/// sequence is complete and only has to be moved into place. The next Reel that writes into
/// the folder (`recover`) finishes what a killed one left: a marked folder is moved into
/// place (rolled forward), an unmarked one removed. A live writer's folder is never touched.
public final class SequenceStaging: @unchecked Sendable {
    /// The folder the frames go to ("." for the current one).
    public let folder: String
    /// The hidden folder they are staged in.
    public let staging: String
    private let pattern: PNGSequence.Pattern
    /// Test only: a crash to stage on purpose (`OutputFault`).
    public var fault: OutputFault?
    static let prefix = ".reel-sequence-"
    static let marker = "reel-commit"

    /// Makes the staging folder beside the sequence.
    /// - Throws: `E-CLI-ARGUMENT` for a pattern that is not a sequence name; `E-IO-WRITE`.
    public init(pattern: String) throws {
        guard let parsed = PNGSequence.parse(pattern) else {
            throw ReelError(.badArgument, "'\(pattern)' is not a PNG sequence name", detail: PNGSequence.problem(pattern))
        }
        self.pattern = parsed
        folder = parsed.folder.isEmpty ? "." : String(parsed.folder.dropLast())
        var template = Array("\(folder)/\(Self.prefix)\(getpid())-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            let code = errno
            throw ReelError(.fileUnwritable, "cannot write into '\(folder)': \(String(cString: strerror(code)))",
                            detail: AtomicFile.hint(errno: code), nativeCode: Int(code), context: "mkdtemp")
        }
        staging = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Stages frame `frame` (flushed to disk). Safe to call from several threads at once for
    /// different frames.
    /// - Throws: `E-IO-WRITE` with the system's reason.
    public func stage(_ data: Data, frame: Int) throws {
        let name = pattern.name(frame: frame)
        do {
            // Written in place: the folder is trusted only once `commit` marks it, after every
            // frame is on disk, so a temporary and a rename per frame would add nothing but a
            // second flush.
            try AtomicFile.writeDurably(data, to: staging + "/" + name)
        } catch var error as ReelError {
            // Messages name the frame the user asked for, not the hidden folder it waits in.
            error.message = error.message.replacingOccurrences(of: "'\(staging)/", with: "'\(pattern.folder)")
            throw error
        }
    }

    /// Moves every staged frame into place, replacing frames of the same names.
    /// - Throws: `E-IO-WRITE` when the marker cannot be written (nothing was replaced) or a
    ///   frame cannot be moved (the rest are moved by the next Reel writing there).
    public func commit() throws {
        let marker = staging + "/" + Self.marker
        // Every frame's name is on disk before the marker that vouches for them.
        Self.syncFolder(staging)
        // Once the marker is on disk the sequence is whole: a crash after this point is
        // finished by `recover`, never undone.
        try AtomicFile.write(Data("complete\n".utf8), to: marker)
        Self.syncFolder(staging)
        let fault = self.fault
        try Self.moveIntoPlace(staging, folder: folder) { moved in
            if case let .killDuringCommit(after)? = fault, moved == after { kill(getpid(), SIGKILL) }
        }
        unlink(marker)
        rmdir(staging)
        Self.syncFolder(folder)
    }

    /// Removes the staging folder and what it holds; nothing in the sequence's folder changes.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// Finishes or removes what killed writers left in `folder`: marked staging folders are
    /// moved into place, unmarked ones removed; those of running processes are kept.
    /// - Returns: how many frames were moved into place and how many staging folders removed.
    @discardableResult
    public static func recover(in folder: String) -> (framesMoved: Int, foldersRemoved: Int) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return (0, 0) }
        var moved = 0, removed = 0
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), !AtomicFile.isRunning(pid) else { continue }
            let path = folder + "/" + entry
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            if FileManager.default.fileExists(atPath: path + "/" + marker) {
                moved += (try? moveIntoPlace(path, folder: folder)) ?? 0
            }
            try? FileManager.default.removeItem(atPath: path)
            removed += 1
        }
        if moved > 0 { syncFolder(folder) }
        return (moved, removed)
    }

    /// Renames every staged frame into `folder`. Idempotent: a frame already moved is gone
    /// from the staging folder.
    @discardableResult
    private static func moveIntoPlace(_ staging: String, folder: String, moving: (Int) -> Void = { _ in }) throws -> Int {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }
        var moved = 0
        for name in names.sorted() {
            moving(moved)
            guard rename(staging + "/" + name, folder + "/" + name) == 0 else {
                let code = errno
                throw ReelError(.fileUnwritable, "cannot move '\(name)' into '\(folder)': \(String(cString: strerror(code)))",
                                detail: "\(moved) of \(names.count) frames are in place; the rest stay staged in \(staging) and are moved by the next render into '\(folder)'",
                                nativeCode: Int(code), context: "rename")
            }
            moved += 1
        }
        return moved
    }

    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// A crash a test stages on purpose in a real render, to check what it leaves behind and
/// what the next render makes of it (`REEL_OUTPUT_FAULT`, read by the command line).
public enum OutputFault: Sendable, Hashable {
    /// SIGKILL after `afterFrames` frames of a PNG sequence are moved into place.
    case killDuringCommit(afterFrames: Int)

    /// `kill-during-commit@N`; nil for anything else.
    public init?(_ text: String) {
        let prefix = "kill-during-commit@"
        guard text.hasPrefix(prefix), let n = Int(text.dropFirst(prefix.count)), n >= 0 else { return nil }
        self = .killDuringCommit(afterFrames: n)
    }
}

extension PNGSequence {
    /// Checks the folder of `pattern` before a render writes frames `frames` there: the frames
    /// that exist are regular files and `overwrite` allows replacing them. Reads the folder
    /// once rather than asking for every frame, so a long range costs nothing extra.
    /// - Throws: `E-IO-EXISTS`, or `E-IO-WRITE` for a link or special file of a frame's name.
    static func checkExisting(_ pattern: String, frames: ClosedRange<Int>, overwrite: Bool) throws {
        guard let parsed = parse(pattern) else { return }
        let folder = parsed.folder.isEmpty ? "." : String(parsed.folder.dropLast())
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries.sorted() {
            guard let frame = parsed.frame(ofName: entry), frames.contains(frame),
                  parsed.name(frame: frame) == entry else { continue }
            try AtomicFile.checkTarget(parsed.folder + entry, overwrite: overwrite)
        }
    }
}
