import Foundation
import Reel
import ReelCore
import ReelMedia

extension SceneBundle {
    /// Reads the scene at `path` as `reel render` would, and every file it names, for sending.
    /// - Returns: the bundle, the scene as a local render would see it, and where each
    ///   blob's bytes are on this machine.
    /// - Throws: the decoder's errors, `E-IO-READ` for a file that cannot be hashed.
    public static func make(scenePath: String, overrides: [String: String], adjustments: SceneAdjustments,
                            plugins: PluginRegistry) throws -> (bundle: SceneBundle, scene: Scene, sources: [String: String]) {
        let scene = try SceneDecoder(plugins: plugins, overrides: overrides).load(path: scenePath)
        let url = URL(fileURLWithPath: scenePath)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ReelError(.fileUnreadable, "cannot read scene '\(scenePath)': \(error.localizedDescription)")
        }
        var files: [String: String] = [:]
        var sources: [String: String] = [:]
        var paths = scene.assets.compactMap(\.resolvedPath)
        paths += scene.shaders.map(\.resolvedPath)
        paths += scene.shaders.compactMap(\.vertexPath)
        for path in Set(paths) {
            let digest = try hashFile(path)
            files[path] = digest
            sources[digest] = path
        }
        let bundle = SceneBundle(text: text, path: scenePath, folder: url.deletingLastPathComponent().path, files: files,
                                 overrides: overrides, adjustments: adjustments)
        return (bundle, adjustments.apply(to: scene), sources)
    }

    /// Decodes the bundle on a worker, reading files only from `blobs`.
    /// - Throws: `E-WORKER-REQUEST` for a file that is not a blob here or adjustments out of
    ///   range, the decoder's errors (`E-SCENE-FILE-NOT-SENT` for a path not sent by hash).
    public func decode(plugins: PluginRegistry, blobs: BlobStore) throws -> Scene {
        try decode(plugins: plugins) { digest in blobs.has(digest) ? blobs.path(of: digest) : nil }
    }

    /// Decodes the bundle reading files only where `blob` says: a digest's local path, or nil
    /// when that blob is not here.
    /// - Throws: as `decode(plugins:blobs:)`.
    package func decode(plugins: PluginRegistry, blob: (String) -> String?) throws -> Scene {
        try adjustments.check()
        var map: [String: String] = [:]
        for (path, digest) in files {
            guard SHA256Hasher.isDigest(digest) else {
                throw ReelError(.workerRequest, "file '\(path)' is sent as '\(digest)', which is not a SHA-256",
                                detail: "files travel by hash: upload the bytes to /v1/blobs/<sha256> and name the hash")
            }
            guard let local = blob(digest) else {
                throw ReelError(.blobMissing, "file '\(path)' (blob \(digest.prefix(12))…) has not been uploaded to this worker",
                                detail: "PUT it to /v1/blobs/\(digest) first")
            }
            map[path] = local
        }
        var decoder = SceneDecoder(plugins: plugins, overrides: overrides)
        decoder.files = map
        let scene = try decoder.decode(text, file: path, baseDirectory: folder)
        return adjustments.apply(to: scene)
    }
}

extension ReelError.Code {
    /// A render names a blob the worker does not have (the coordinator uploads and retries).
    public static let blobMissing = Self("E-WORKER-BLOB-MISSING")
}

/// The SHA-256 of a file, read in 1 MiB pieces.
/// - Throws: `E-IO-READ`.
public func hashFile(_ path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw ReelError(.fileUnreadable, "cannot read '\(path)' to send it to workers")
    }
    defer { try? handle.close() }
    var hasher = SHA256Hasher()
    while true {
        let data: Data
        do {
            data = try handle.read(upToCount: 1 << 20) ?? Data()
        } catch {
            throw ReelError(.fileUnreadable, "cannot read '\(path)' to send it to workers: \(error.localizedDescription)")
        }
        if data.isEmpty { break }
        data.withUnsafeBytes { hasher.update($0) }
    }
    return hasher.finalize()
}
