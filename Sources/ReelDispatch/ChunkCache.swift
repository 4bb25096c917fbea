import Foundation
import Reel
import ReelCore
import ReelMedia

/// Finished chunks on the coordinator's disk, by content key: the chunk's bytes and its meta
/// (digest, frame checksums, who rendered it). A re-run finds what an interrupted or earlier
/// job already has and renders only the rest.
public struct ChunkCache: Sendable {
    public let folder: String

    /// - Throws: `E-IO-WRITE` when the folder cannot be made.
    public init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReelError(.fileUnwritable, "cannot create the chunk cache '\(folder)': \(error.localizedDescription)",
                            detail: "pick another with --chunk-cache")
        }
    }

    /// `$XDG_CACHE_HOME/reel/chunks`, else `~/.cache/reel/chunks`.
    public static var defaultFolder: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? NSTemporaryDirectory()) + "/.cache"
        return base + "/reel/chunks"
    }

    public func payloadPath(_ key: String) -> String { folder + "/" + key + ".chunk" }
    private func metaPath(_ key: String) -> String { folder + "/" + key + ".json" }

    /// The cached meta of `key`, if the chunk is there and its bytes still match their digest.
    public func lookup(_ key: String) -> ChunkMeta? {
        guard let data = FileManager.default.contents(atPath: metaPath(key)),
              let meta = try? JSONDecoder().decode(ChunkMeta.self, from: data),
              let digest = try? hashFile(payloadPath(key)), digest == meta.digest else { return nil }
        return meta
    }

    /// Stores a chunk: bytes first, then the meta that vouches for them, each renamed into
    /// place, so a crash leaves either a whole entry or none.
    /// - Throws: `E-IO-WRITE`.
    public func store(_ key: String, meta: ChunkMeta, payload: ArraySlice<UInt8>) throws {
        try AtomicFile.write(Data(payload), to: payloadPath(key))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(meta), to: metaPath(key))
    }

    /// Records that the chunk whose frames digest to `stateKey` is stored as `key`, so an
    /// edited scene that draws these frames the same finds it.
    public func alias(_ stateKey: String, to key: String) {
        try? AtomicFile.write(Data(key.utf8), to: folder + "/state-" + stateKey)
    }

    /// The stored chunk that draws frames digesting to `stateKey`, if any.
    public func lookup(state stateKey: String) -> (key: String, meta: ChunkMeta)? {
        guard let data = FileManager.default.contents(atPath: folder + "/state-" + stateKey) else { return nil }
        let key = String(decoding: data, as: UTF8.self)
        guard SHA256Hasher.isDigest(key), let meta = lookup(key) else { return nil }
        return (key, meta)
    }

    /// Saved chunk boundaries of a job, so a re-run cuts the same chunks (and finds them).
    public func plan(_ key: String) -> [ClosedRange<Int>]? {
        guard let data = FileManager.default.contents(atPath: folder + "/plan-" + key + ".json"),
              let pairs = try? JSONDecoder().decode([[Int]].self, from: data) else { return nil }
        let ranges = pairs.compactMap { $0.count == 2 && $0[0] <= $0[1] ? $0[0]...$0[1] : nil }
        return ranges.count == pairs.count ? ranges : nil
    }

    public func savePlan(_ key: String, _ chunks: [ClosedRange<Int>]) {
        guard let data = try? JSONEncoder().encode(chunks.map { [$0.lowerBound, $0.upperBound] }) else { return }
        try? AtomicFile.write(data, to: folder + "/plan-" + key + ".json")
    }
}
