import Foundation
import ReelCore
import ReelMedia
import Synchronization

/// Reads a scene's assets from disk by the paths the scene resolved against its folder:
/// PNG through libpng, other pictures (JPEG, WebP, …) and video clips through FFmpeg.
/// Video decoders stay open between frames, so consecutive frames decode forward.
///
/// Hostile files are refused before they cost anything: every asset must be a regular file
/// (a FIFO would block the render), a picture's declared size is read from its header and
/// held to `SceneLimits.maxImagePixels`, and the distinct pictures one loader decodes are
/// held together to `SceneLimits.maxSceneImagePixels`. `AssetPreflight` checks the same
/// before rendering, with the scene's line and column; this is the last line of defence
/// for renders that skip it.
public final class MediaAssetLoader: AssetDataLoader, @unchecked Sendable {
    private let paths: [String: String]
    private let limits: SceneLimits
    private let decoders = Mutex<[String: MediaDecoder]>([:])
    /// Pixels of each distinct picture file decoded so far, by path.
    private let charged = Mutex<[String: Int]>([:])

    /// The most bytes read from one picture or data asset. PNG and data files are read whole;
    /// the pixel limit keeps pictures far below this.
    public static let maxFileBytes = 512 << 20

    public init(scene: Scene, limits: SceneLimits = SceneLimits()) {
        var paths: [String: String] = [:]
        for asset in scene.assets { paths[asset.name] = asset.resolvedPath ?? asset.path }
        self.paths = paths
        self.limits = limits
    }

    private func path(_ name: String, code: ReelError.Code) throws -> String {
        guard let path = paths[name] else { throw ReelError(code, "asset '\(name)' is not declared by the scene") }
        return path
    }

    /// Opens asset `name`'s file, refusing anything but a regular file.
    private func open(_ name: String, _ path: String, code: ReelError.Code, kind: String) throws -> AssetFile {
        do {
            return try AssetFile(path: path, code: code)
        } catch let error as ReelError {
            throw error.adding(context: "\(kind) asset '\(name)'", code: code)
        }
    }

    public func image(named name: String) throws -> RGBAImage {
        let path = try path(name, code: .imageAsset)
        let file = try open(name, path, code: .imageAsset, kind: "image")
        do {
            // The size the header declares is checked, and counted against the scene, before
            // anything is decoded; a picture without a readable header is counted once decoded.
            let header = ImageHeader.read(file)
            if let header { try charge(path, width: header.width, height: header.height) }
            let image: RGBAImage
            let head = try file.head(8, code: .imageAsset)
            if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
                image = try PNGCodec.decode(try file.contents(limit: Self.maxFileBytes, code: .imageAsset))
            } else {
                image = try MediaDecoder.decodeImage(path: path, maxPixels: limits.maxImagePixels)
            }
            if header == nil { try charge(path, width: image.width, height: image.height) }
            return image
        } catch let error as ReelError where error.code == .limitExceeded {
            throw error.adding(context: "image asset '\(name)' (\(path)) is refused", code: .imageAsset)
        } catch let error as ReelError {
            throw error.adding(context: "image asset '\(name)' (\(path)) could not be decoded", code: .imageAsset)
        }
    }

    /// Counts a picture of `width` × `height` at `path` against the limits, once per path.
    /// - Throws: `E-SCENE-LIMIT` worded as the limit it breaks.
    private func charge(_ path: String, width: Int, height: Int) throws {
        let pixels = ImageHeader(width: width, height: height).pixels
        guard pixels <= limits.maxImagePixels else {
            throw ReelError(.limitExceeded, "the picture is \(width)×\(height) pixels; a picture may have at most \(PixelCount.describe(limits.maxImagePixels))",
                            detail: "scale it down before using it")
        }
        try charged.withLock { charged in
            guard charged[path] == nil else { return }
            let total = charged.values.reduce(0, +) + pixels
            guard total <= limits.maxSceneImagePixels else {
                throw ReelError(.limitExceeded, "this \(width)×\(height) picture brings the scene's distinct pictures to \(PixelCount.describe(total)); a scene may have at most \(PixelCount.describe(limits.maxSceneImagePixels))",
                                detail: "use fewer or smaller pictures")
            }
            charged[path] = pixels
        }
    }

    public func videoFrame(named name: String, at time: Double, loop: Bool) throws -> RGBAImage {
        let path = try path(name, code: .videoAsset)
        return try decoders.withLock { decoders in
            do {
                let decoder = try decoders[name] ?? MediaDecoder(path: path, maxPixels: limits.maxImagePixels)
                decoders[name] = decoder
                var t = max(time, 0)
                if loop, decoder.duration > 0 { t = t.truncatingRemainder(dividingBy: decoder.duration) }
                return try decoder.frame(at: t)
            } catch let error as ReelError {
                throw error.adding(context: "video asset '\(name)' (\(path))", code: .videoAsset)
            }
        }
    }

    public func data(named name: String) throws -> [UInt8] {
        let path = try path(name, code: .assetData)
        let file = try open(name, path, code: .assetData, kind: "data")
        do {
            return [UInt8](try file.contents(limit: Self.maxFileBytes, code: .assetData))
        } catch let error as ReelError {
            throw error.adding(context: "cannot read asset '\(name)' (\(path))", code: .assetData)
        }
    }
}
