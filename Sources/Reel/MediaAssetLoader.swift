import Foundation
import ReelCore
import ReelMedia
import Synchronization

/// Reads a scene's assets from disk by the paths the scene resolved against its folder:
/// PNG through libpng, other pictures (JPEG, WebP, …) and video clips through FFmpeg.
/// Video decoders stay open between frames, so consecutive frames decode forward.
public final class MediaAssetLoader: AssetDataLoader, @unchecked Sendable {
    private let paths: [String: String]
    private let decoders = Mutex<[String: MediaDecoder]>([:])

    public init(scene: Scene) {
        var paths: [String: String] = [:]
        for asset in scene.assets { paths[asset.name] = asset.resolvedPath ?? asset.path }
        self.paths = paths
    }

    private func path(_ name: String, code: ReelError.Code) throws -> String {
        guard let path = paths[name] else { throw ReelError(code, "asset '\(name)' is not declared by the scene") }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReelError(code, "asset '\(name)' (\(path)) does not exist")
        }
        return path
    }

    public func image(named name: String) throws -> RGBAImage {
        let path = try path(name, code: .imageAsset)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReelError(.imageAsset, "cannot read image asset '\(name)' (\(path)): \(error.localizedDescription)")
        }
        do {
            if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNGCodec.decode(data) }
            return try MediaDecoder.decodeImage(path: path)
        } catch let error as ReelError {
            throw ReelError(.imageAsset, "image asset '\(name)' (\(path)) could not be decoded: \(error.message)")
        }
    }

    public func videoFrame(named name: String, at time: Double, loop: Bool) throws -> RGBAImage {
        let path = try path(name, code: .videoAsset)
        return try decoders.withLock { decoders in
            do {
                let decoder = try decoders[name] ?? MediaDecoder(path: path)
                decoders[name] = decoder
                var t = max(time, 0)
                if loop, decoder.duration > 0 { t = t.truncatingRemainder(dividingBy: decoder.duration) }
                return try decoder.frame(at: t)
            } catch let error as ReelError {
                throw ReelError(.videoAsset, "video asset '\(name)' (\(path)): \(error.message)")
            }
        }
    }

    public func data(named name: String) throws -> [UInt8] {
        let path = try path(name, code: .assetData)
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ReelError(.assetData, "cannot read asset '\(name)' (\(path)): \(error.localizedDescription)")
        }
    }
}
