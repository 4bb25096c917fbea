import Foundation
import ReelCore
import ReelMedia

/// Reads a scene's assets from disk, by the paths the scene resolved against its folder.
public struct FileAssetLoader: AssetLoader {
    private let paths: [String: String]

    public init(scene: Scene) {
        var paths: [String: String] = [:]
        for asset in scene.assets { paths[asset.name] = asset.resolvedPath ?? asset.path }
        self.paths = paths
    }

    public func image(named name: String) throws -> RGBAImage {
        guard let path = paths[name] else {
            throw ReelError(.imageAsset, "image asset '\(name)' is not declared by the scene")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReelError(.imageAsset, "cannot read image asset '\(name)' (\(path)): \(error.localizedDescription)")
        }
        guard data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw ReelError(.imageAsset, "image asset '\(name)' (\(path)) is not a PNG",
                            detail: "this build decodes PNG images; JPEG and WebP arrive with FFmpeg decoding")
        }
        do {
            return try PNGCodec.decode(data)
        } catch let error as ReelError {
            throw ReelError(.imageAsset, "image asset '\(name)' (\(path)) could not be decoded: \(error.message)")
        }
    }
}
