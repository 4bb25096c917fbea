import Foundation
import Hummingbird
import Reel
import ReelCore
import ReelMedia

/// What a render request may ask of a worker, checked before anything is drawn.
public struct AdmissionLimits: Sendable, Hashable {
    /// Most frames one request may ask for. The default is 36 000 (ten minutes at 60 fps).
    public var maxFrames = 36_000
    /// Most pixels × frames one request may ask for. The default is 3 600 frames of 1080p.
    public var maxPixelFrames = 1920 * 1080 * 3600
    /// What a frame counts as, at least, towards `maxPixelFrames`, however small its canvas:
    /// evaluating, reading back and encoding a frame cost something at any size, so a 1 × 1
    /// canvas must not buy millions of frames. The default is 320 × 180.
    public var minFramePixels = 320 * 180

    public init() {}
}

extension Worker {
    /// A render request that passed every check `admit` makes.
    package struct AdmittedRender: Sendable {
        package var request: RenderRequest
        /// The request's scene, decoded with its files and adjusted.
        package var scene: Scene
        package var frames: ClosedRange<Int>
    }

    /// Why `screen` or `admit` refused a request: the status and error the worker answers with.
    package struct Refusal: Error {
        package var status: HTTPResponse.Status
        package var error: ReelError
    }

    /// The checks of a render request that need no scene decoded, cheapest first: strict JSON,
    /// the protocol version, the frame range against `maxFrames` and (at `minFramePixels` a
    /// frame) `maxPixelFrames`, the scale, the output settings and encoder options, the
    /// adjustments, and every file a blob that is here. The worker runs these itself, so a
    /// request that fails them never costs a scene decode.
    /// - Throws: `Refusal`, all with status 400.
    package static func screen(_ body: [UInt8], limits: AdmissionLimits, blob: (String) -> String?) throws(Refusal) -> RenderRequest {
        try screen(Data(body), limits: limits, blob: blob)
    }

    /// `screen` of a body already in a `Data` (the worker's, without another copy).
    package static func screen(_ body: Data, limits: AdmissionLimits, blob: (String) -> String?) throws(Refusal) -> RenderRequest {
        let request: RenderRequest
        do {
            request = try StrictJSON.decode(RenderRequest.self, from: body) { $0.scene.text = "" }
        } catch let error as ReelError {
            throw Refusal(status: .badRequest, error: error)
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "the request is not a render request: \(error)"))
        }
        guard request.protocolVersion == workerProtocolVersion else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "protocol version \(request.protocolVersion); this worker speaks \(workerProtocolVersion)",
                                                                detail: "use the same Reel version on the coordinator and the workers"))
        }
        guard let frames = request.frames else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "frames \(request.first)-\(request.last) are not a frame range (first ≥ 0, last ≥ first)"))
        }
        // `frames.count` of 0...Int.max overflows: count by subtraction, which cannot here.
        let count = frames.upperBound - frames.lowerBound
        guard count < limits.maxFrames else {
            throw Refusal(status: .badRequest, error: ReelError(.workerLimit, "frames \(frames.lowerBound)-\(frames.upperBound) are more than this worker's limit of \(limits.maxFrames) frames per request (--max-frames)",
                                                                detail: "send smaller chunks (--chunk-frames)"))
        }
        try checkPixelFrames(frames, pixels: 0, limits: limits)
        let scale = request.output.scale
        guard scale > 0, scale <= 8 else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "scale \(scale) is out of range (more than 0, at most 8)"))
        }
        do {
            try request.output.check()
            try request.scene.adjustments.check()
            try request.scene.checkFiles(blob: blob)
        } catch let error as ReelError {
            throw Refusal(status: .badRequest, error: error)
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "\(error)"))
        }
        return request
    }

    /// Everything a worker checks of a render request before it renders: `screen`, then the
    /// scene decoded from its bundle (files only by hash), the frame range against the scene,
    /// and `maxPixelFrames` at the scene's size. Reads no file but the blobs `blob` names (a
    /// digest's local path, nil when it is not here), so it runs without a worker: a worker's
    /// render process and the fuzzer call it.
    /// - Throws: `Refusal`, all with status 400.
    package static func admit(_ body: [UInt8], plugins: PluginRegistry, limits: AdmissionLimits,
                              blob: (String) -> String?) throws(Refusal) -> AdmittedRender {
        let request = try screen(body, limits: limits, blob: blob)
        let scene: Scene
        do {
            scene = try request.scene.decode(plugins: plugins, blob: blob)
            // Its files (regular, self-contained, within the pixel limits) and what a few of its
            // frames cost to draw at the size asked for: refused here, located, not mid-render.
            try AssetPreflight.check(scene)
            try FrameCost.checkSampleFrames(scene, plugins: plugins, scale: request.output.scale)
        } catch let error as ReportableError {
            throw Refusal(status: .badRequest, error: ReelError(reporting: error))
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "\(error)"))
        }
        guard let frames = request.frames, frames.upperBound < scene.canvas.frameCount else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "frames \(request.first)-\(request.last) are not in the scene, which has frames 0-\(scene.canvas.frameCount - 1)"))
        }
        let scale = request.output.scale
        try checkPixelFrames(frames, pixels: Double(scene.canvas.width) * Double(scene.canvas.height) * scale * scale, limits: limits)
        return AdmittedRender(request: request, scene: scene, frames: frames)
    }

    /// `admit` with the default limits but `maxPixelFrames`.
    package static func admit(_ body: [UInt8], plugins: PluginRegistry, maxPixelFrames: Int,
                              blob: (String) -> String?) throws(Refusal) -> AdmittedRender {
        var limits = AdmissionLimits()
        limits.maxPixelFrames = maxPixelFrames
        return try admit(body, plugins: plugins, limits: limits, blob: blob)
    }

    /// Refuses `frames` of `pixels` each (counted as at least `minFramePixels`) over `maxPixelFrames`.
    private static func checkPixelFrames(_ frames: ClosedRange<Int>, pixels: Double, limits: AdmissionLimits) throws(Refusal) {
        let counted = max(pixels, Double(limits.minFramePixels))
        let frameCount = Double(frames.upperBound) - Double(frames.lowerBound) + 1
        guard counted * frameCount <= Double(limits.maxPixelFrames) else {
            let each = pixels == 0 ? ", each counted as at least \(limits.minFramePixels) pixels,"
                : pixels < Double(limits.minFramePixels) ? " at \(Int(pixels)) pixels each, counted as \(limits.minFramePixels),"
                : " at \(Int(pixels)) pixels each"
            throw Refusal(status: .badRequest, error: ReelError(.workerLimit, "frames \(frames.lowerBound)-\(frames.upperBound)\(each) exceed this worker's limit of \(limits.maxPixelFrames) pixels × frames per request (--max-pixel-frames)",
                                                                detail: "send smaller chunks (--chunk-frames)"))
        }
    }
}

extension SceneBundle {
    /// Checks that every file is named by a SHA-256 whose blob `blob` finds, without decoding.
    /// - Throws: `E-WORKER-REQUEST` for a name that is not a SHA-256, `E-WORKER-BLOB-MISSING`.
    func checkFiles(blob: (String) -> String?) throws {
        for (path, digest) in files.sorted(by: { $0.key < $1.key }) {
            guard SHA256Hasher.isDigest(digest) else {
                throw ReelError(.workerRequest, "file '\(path)' is sent as '\(digest.prefix(80))', which is not a SHA-256",
                                detail: "files travel by hash: upload the bytes to /v1/blobs/<sha256> and name the hash")
            }
            guard blob(digest) != nil else {
                throw ReelError(.blobMissing, "file '\(path)' (blob \(digest.prefix(12))…) has not been uploaded to this worker",
                                detail: "PUT it to /v1/blobs/\(digest) first")
            }
        }
    }
}
