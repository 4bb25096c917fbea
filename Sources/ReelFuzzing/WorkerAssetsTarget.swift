import Foundation
import Reel
import ReelCore
import ReelMedia
import ReelDispatch

extension Fuzz {
    /// A worker's render request *with assets*: the input is a scene and the bytes of the files
    /// it names, separated by `blobSeparator` lines (the first part the scene's text, then
    /// blob 0, blob 1, …, which the scene names as `blob0`, `blob1`, …). The blobs are written
    /// to a folder as a worker's blob store holds them, the request is admitted with the
    /// worker's rules (`Worker.admit`: files only by hash), then the scene's assets go through
    /// `AssetPreflight` and are decoded as a render would: each image layer's picture and a few
    /// frames of each video layer's clip, through `MediaAssetLoader`.
    ///
    /// The pixel limits are smaller than a render's (1024 × 1024 a picture) so that a valid
    /// picture at the limit decodes in milliseconds under the sanitizers; the code that
    /// enforces them is the same.
    /// - Throws: `ReelError` with the code the worker or the render would answer with.
    public static func workerAssets(_ bytes: [UInt8]) throws(ReelError) {
        let parts = split(bytes, on: Array(blobSeparator.utf8))
        guard let text = String(validating: parts[0], as: UTF8.self) else {
            throw ReelError(.workerRequest, "the scene is not UTF-8 text")
        }
        let blobs = Array(parts.dropFirst().prefix(8))
        var files: [(String, JSONValue)] = [], local: [String: String] = [:]
        for (i, blob) in blobs.enumerated() {
            let digest = SHA256Hasher.hex(blob)
            let path = AssetFolder.shared.path + "/blob\(i)"
            guard FileManager.default.createFile(atPath: path, contents: Data(blob)) else {
                fatalError("reel-fuzz cannot write its blob folder \(AssetFolder.shared.path)")
            }
            files.append(("/coordinator/Scenes/blob\(i)", .string(digest)))
            local[digest] = path
        }
        let request: JSONValue = .object([
            ("protocolVersion", 1),
            ("scene", .object([
                ("text", .string(text)), ("path", "/coordinator/Scenes/fuzz.yaml"), ("folder", "/coordinator/Scenes"),
                ("files", .object(files)), ("overrides", .object([])), ("adjustments", .object([("transparent", false)])),
            ])),
            ("first", 0), ("last", 0),
            ("output", .object([("kind", "png"), ("container", "png"), ("codec", "libx264"), ("options", .object([])),
                                ("pngCompression", 1), ("pngFilter", "up"), ("scale", 1)])),
        ])
        let admitted: Worker.AdmittedRender
        do {
            admitted = try Worker.admit(Array(request.serialized().utf8), plugins: .standard, maxPixelFrames: maxPixelFrames) { local[$0] }
        } catch {
            throw error.error
        }
        let scene = admitted.scene
        do {
            try AssetPreflight.check(scene, limits: assetLimits)
        } catch {
            keep(error.description)
            throw refusal(error)
        }
        let loader = MediaAssetLoader(scene: scene, limits: assetLimits)
        do {
            for layer in scene.allLayers {
                switch layer.content {
                case let .image(content):
                    keep(try loader.image(named: content.asset).pixels.count)
                case let .video(content):
                    for time in [0, 0.35, 0.1, 5] { keep(try loader.videoFrame(named: content.asset, at: time, loop: content.loop).width) }
                default:
                    break
                }
            }
        } catch {
            throw refusal(error)
        }
    }

    /// Separates the scene from each blob, and blobs from each other.
    public static let blobSeparator = "\n--reel-blob--\n"

    /// A render's limits, with pictures held to 1024 × 1024 (see `workerAssets`).
    static let assetLimits: SceneLimits = {
        var limits = SceneLimits()
        limits.maxImagePixels = 1024 * 1024
        limits.maxSceneImagePixels = 2 * 1024 * 1024
        return limits
    }()

    /// `bytes` cut at each occurrence of `separator` (at least one part, maybe empty).
    static func split(_ bytes: [UInt8], on separator: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = [], start = 0, i = 0
        while i + separator.count <= bytes.count {
            if bytes[i] == separator[0], bytes[i..<i + separator.count].elementsEqual(separator) {
                parts.append(Array(bytes[start..<i]))
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(Array(bytes[start...]))
        return parts
    }
}

/// The folder this process writes fuzzed blobs to, made once and reused for every input.
private enum AssetFolder {
    static let shared: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reel-fuzz-blobs-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("reel-fuzz cannot make its blob folder \(url.path): \(error)")
        }
        return url
    }()
}
