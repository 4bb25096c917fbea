import Foundation
import ReelCore
import ReelMedia
import Synchronization

/// A worker's content-addressed files: each blob is named by the SHA-256 of its bytes,
/// checked on the way in, and the folder is kept under a size bound by dropping the least
/// recently used blobs that no render is reading.
public final class BlobStore: Sendable {
    public let folder: String
    public let maxBytes: Int64
    private struct Entry { var size: Int64; var used: UInt64 }
    private struct State {
        var entries: [String: Entry] = [:]
        var pins: [String: Int] = [:]
        var clock: UInt64 = 0
        var total: Int64 = 0
    }
    private let state = Mutex(State())

    /// Opens (and creates) `folder`, taking stock of the blobs already there.
    /// - Throws: `E-IO-WRITE` when the folder cannot be made.
    public init(folder: String, maxBytes: Int64) throws {
        self.folder = folder
        self.maxBytes = maxBytes
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReelError(.fileUnwritable, "cannot create the blob folder '\(folder)': \(error.localizedDescription)")
        }
        var found: [String: Entry] = [:]
        var total: Int64 = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = folder + "/" + name
            guard SHA256Hasher.isDigest(name) else {
                if name.hasPrefix(".") { try? FileManager.default.removeItem(atPath: path) }  // an upload cut short
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            found[name] = Entry(size: size, used: 0)
            total += size
        }
        state.withLock { $0.entries = found; $0.total = total }
    }

    public func path(of digest: String) -> String { folder + "/" + digest }

    public func has(_ digest: String) -> Bool {
        guard SHA256Hasher.isDigest(digest) else { return false }
        return state.withLock { s in
            guard s.entries[digest] != nil else { return false }
            s.clock += 1
            s.entries[digest]?.used = s.clock
            return true
        }
    }

    /// Stores `bytes` as `digest` after checking they hash to it.
    /// - Throws: `E-WORKER-REQUEST` on a mismatch or a bad name, `E-IO-WRITE`.
    public func put(_ digest: String, bytes: [UInt8]) throws {
        guard SHA256Hasher.isDigest(digest) else {
            throw ReelError(.workerRequest, "'\(digest)' is not a blob name; blobs are named by 64 lower-case hex digits of their SHA-256")
        }
        let actual = SHA256Hasher.hex(bytes)
        guard actual == digest else {
            throw ReelError(.workerRequest, "the bytes sent hash to \(actual), not \(digest)", detail: "the upload was damaged; send it again")
        }
        guard Int64(bytes.count) <= maxBytes else {
            throw ReelError(.workerRequest, "a \(bytes.count)-byte blob does not fit in this worker's \(maxBytes)-byte blob cache")
        }
        if has(digest) { return }
        try AtomicFile.write(Data(bytes), to: path(of: digest))
        state.withLock { s in
            s.clock += 1
            if s.entries[digest] == nil { s.total += Int64(bytes.count) }
            s.entries[digest] = Entry(size: Int64(bytes.count), used: s.clock)
        }
        evict()
    }

    /// Takes the file at `file` (in this store's folder, already checked to hash to `digest`)
    /// as the blob `digest`, renaming it into place; removes it when the store has the blob.
    /// - Throws: `E-WORKER-REQUEST` for a bad name or a blob larger than the whole store,
    ///   `E-IO-WRITE` when the rename fails (the file is removed).
    public func adopt(_ digest: String, file: String, size: Int64) throws {
        guard SHA256Hasher.isDigest(digest) else {
            unlink(file)
            throw ReelError(.workerRequest, "'\(digest)' is not a blob name; blobs are named by 64 lower-case hex digits of their SHA-256")
        }
        guard size <= maxBytes else {
            unlink(file)
            throw ReelError(.workerRequest, "a \(size)-byte blob does not fit in this worker's \(maxBytes)-byte blob cache")
        }
        if has(digest) {
            unlink(file)
            return
        }
        guard rename(file, path(of: digest)) == 0 else {
            let code = errno
            unlink(file)
            throw ReelError(.fileUnwritable, "cannot store blob \(digest.prefix(12))…: \(String(cString: strerror(code)))", nativeCode: Int(code), context: "rename")
        }
        state.withLock { s in
            s.clock += 1
            if s.entries[digest] == nil { s.total += size }
            s.entries[digest] = Entry(size: size, used: s.clock)
        }
        evict()
    }

    /// Keeps `digests` from eviction until `unpin`: a render is reading them.
    /// - Returns: false (and pins nothing) when one of them is not here.
    public func pin(_ digests: [String]) -> Bool {
        state.withLock { s in
            guard digests.allSatisfy({ s.entries[$0] != nil }) else { return false }
            for d in digests { s.pins[d, default: 0] += 1 }
            return true
        }
    }

    public func unpin(_ digests: [String]) {
        state.withLock { s in
            for d in digests {
                let n = (s.pins[d] ?? 1) - 1
                s.pins[d] = n > 0 ? n : nil
            }
        }
        evict()
    }

    /// Bytes held now.
    public var totalBytes: Int64 { state.withLock { $0.total } }

    private func evict() {
        let doomed: [String] = state.withLock { s in
            var doomed: [String] = []
            guard s.total > maxBytes else { return [] }
            for (digest, entry) in s.entries.sorted(by: { $0.value.used < $1.value.used }) where s.pins[digest] == nil {
                guard s.total > maxBytes else { break }
                s.entries[digest] = nil
                s.total -= entry.size
                doomed.append(digest)
            }
            return doomed
        }
        for digest in doomed { try? FileManager.default.removeItem(atPath: path(of: digest)) }
    }
}
