import Foundation
import ReelCore
import ReelMedia

/// Checks a decoded scene's asset files before anything is rendered, in milliseconds and
/// without decoding a picture: each must be a regular file, pictures and clips must be
/// self-contained formats Reel opens (no playlists), each picture and video frame must be
/// within `SceneLimits.maxImagePixels` by the size its header declares, and the scene's
/// distinct pictures together within `SceneLimits.maxSceneImagePixels`.
///
/// `reel validate`, `reel still`, `reel render` and a worker's admission call it, so a hostile
/// asset is refused with the scene's line and column instead of half-way through a render
/// (`MediaAssetLoader` enforces the same again while rendering).
///
/// Which assets are pictures: those a layer shows as an image, and any other asset whose
/// bytes are a picture format (a shader's image input), unless a layer plays it as video.
public enum AssetPreflight {
    /// Every problem found, each located at the asset's declaration.
    public static func diagnostics(_ scene: Scene, limits: SceneLimits = SceneLimits()) -> [Diagnostic] {
        var imageUses: [String: String] = [:], videoUses: [String: String] = [:]
        for layer in scene.allLayers {
            switch layer.content {
            case let .image(content): if imageUses[content.asset] == nil { imageUses[content.asset] = layer.id }
            case let .video(content): if videoUses[content.asset] == nil { videoUses[content.asset] = layer.id }
            default: break
            }
        }
        var problems: [Diagnostic] = []
        var pictures: [String: Int] = [:]  // resolved path → pixels, each file counted once
        var total = 0
        for asset in scene.assets {
            let path = asset.resolvedPath ?? asset.path
            let isVideo = videoUses[asset.name] != nil, isImage = imageUses[asset.name] != nil
            let code: ReelError.Code = isVideo ? .videoAsset : isImage ? .imageAsset : .assetData
            let user = videoUses[asset.name] ?? imageUses[asset.name]
            let label = (user.map { "layer '\($0)': " } ?? "") + (isVideo ? "video asset" : isImage ? "image asset" : "asset")
                + " '\(asset.name)' (\(asset.path))"
            func report(_ code: ReelError.Code, _ message: String) {
                problems.append(Diagnostic(code, message, at: asset.location, path: asset.declaration))
            }
            guard let kind = AssetFile.kind(atPath: path) else {
                report(.assetMissing, "\(label) does not exist (looked for \(path))")
                continue
            }
            guard kind == .regular else {
                report(code, "\(label) is \(kind), not a regular file; assets must be ordinary files")
                continue
            }
            let file: AssetFile, head: [UInt8]
            do {
                file = try AssetFile(path: path, code: code)
                head = try file.head(MediaContainer.sniffLength, code: code)
            } catch {
                report(code, "\(label): \(describe(error))")
                continue
            }
            let container: MediaContainer
            do {
                container = try MediaContainer.identify(head, name: asset.path, code: code)
            } catch {
                // Only what a layer shows must be media; other assets (a LUT) are data.
                if isVideo || isImage { report(code, "\(label): \(describe(error))") }
                continue
            }
            let size: ImageHeader
            if container.isPicture && !isVideo {
                guard let header = ImageHeader.read(file) else {
                    if isImage { report(code, "\(label) is \(container.description) whose header cannot be read; the file is cut short or damaged") }
                    continue
                }
                size = header
            } else if isVideo || isImage {
                // A clip's frame size is in its container's header; MediaDecoder reads it (and
                // bounds the one trial frame FFmpeg decodes to find it) without decoding more.
                do {
                    let decoder = try MediaDecoder(path: path, maxPixels: limits.maxImagePixels)
                    size = ImageHeader(width: decoder.width, height: decoder.height)
                } catch let error as ReelError {
                    report(error.code == .limitExceeded ? .limitExceeded : code, "\(label): \(error.message)")
                    continue
                } catch {
                    report(code, "\(label): \(describe(error))")
                    continue
                }
                if isVideo { continue }
            } else {
                continue
            }
            guard size.pixels <= limits.maxImagePixels else {
                report(.limitExceeded, "\(label) is \(size.width)×\(size.height) pixels; a picture may have at most \(PixelCount.describe(limits.maxImagePixels))")
                continue
            }
            guard pictures[path] == nil else { continue }
            pictures[path] = size.pixels
            total += size.pixels
            if total > limits.maxSceneImagePixels {
                report(.limitExceeded, "\(label), \(size.width)×\(size.height) pixels, brings the scene's distinct pictures to \(PixelCount.describe(total)); a scene may have at most \(PixelCount.describe(limits.maxSceneImagePixels))")
            }
        }
        return problems
    }

    private static func describe(_ error: any Error) -> String {
        (error as? ReelError)?.message ?? "\(error)"
    }

    /// As `diagnostics`, throwing when there is any.
    /// - Throws: `SceneError` with every problem, located where each asset is declared.
    public static func check(_ scene: Scene, limits: SceneLimits = SceneLimits()) throws(SceneError) {
        let problems = diagnostics(scene, limits: limits)
        if !problems.isEmpty { throw SceneError(problems) }
    }
}
