import Foundation
import Reel
import ReelCore
import ReelMedia

// The worker protocol (HTTP/1.1, JSON, bearer token), shared by `reel worker` and the
// coordinator. See ../README.md for the endpoints.

/// Version of the wire format; a worker refuses requests of another.
public let workerProtocolVersion = 1

/// `GET /v1/health`: who the worker is and what it can do.
public struct WorkerHealth: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    /// Reel's version on the worker.
    public var version: String
    /// Plugins and their versions, as `name@version`.
    public var plugins: [String]
    public var vendor: String
    public var renderer: String
    /// False for software renderers (llvmpipe, softpipe, SwiftShader).
    public var hardware: Bool
    /// Video encoders libavcodec offers there.
    public var encoders: [String]
    /// Renders the worker runs at once; more get 429.
    public var maxRenders: Int
    /// Renders running now.
    public var busy: Int
    /// Largest pixels × frames one request may ask for.
    public var maxPixelFrames: Int
    /// Most frames one request may ask for.
    public var maxFrames: Int
    /// What a frame counts as, at least, towards `maxPixelFrames`.
    public var minFramePixels: Int
    /// Largest render request body, in bytes.
    public var maxRequestBytes: Int
    /// Largest blob, in bytes.
    public var maxBlobBytes: Int
    /// Uploads received at once; more get 429.
    public var maxUploads: Int
    /// Seconds a chunk may render before it is stopped (422).
    public var chunkTimeLimit: Double
    /// Resident bytes a render may use before it is stopped (422).
    public var renderMemoryBytes: Int
}

/// A scene as it travels: its text, as written, and every file it reads, by hash.
///
/// Paths stay the coordinator's (the scene resolves them against `folder` as it would at
/// home), but a worker reads none of them: each resolved path must be a key of `files`, and
/// the worker reads the blob with that hash instead. A path not in `files` is refused.
public struct SceneBundle: Codable, Sendable, Hashable {
    /// The scene file's text (YAML or JSON).
    public var text: String
    /// Its path on the coordinator, for messages and resolving relative paths.
    public var path: String
    /// Its folder on the coordinator.
    public var folder: String
    /// Resolved path → SHA-256 of the file's bytes.
    public var files: [String: String]
    /// `--set name=value` overrides.
    public var overrides: [String: String]
    /// What the command line changed after decoding (rate, quality, transparency).
    public var adjustments: SceneAdjustments
}

/// Changes `reel render` makes to a decoded scene, which a worker must make the same way.
public struct SceneAdjustments: Codable, Sendable, Hashable {
    /// Retime to this frame rate (`--fps`, `--quality`).
    public var fps: Double?
    /// Multisample count instead of the scene's (`--quality draft` turns MSAA off).
    public var samples: Int?
    /// Transparent background (`--transparent`).
    public var transparent: Bool

    public init(fps: Double? = nil, samples: Int? = nil, transparent: Bool = false) {
        (self.fps, self.samples, self.transparent) = (fps, samples, transparent)
    }

    /// Checks the values against what `reel render` accepts, before a worker applies them.
    /// - Throws: `E-WORKER-REQUEST` for a rate outside (0, 1000] or a sample count other
    ///   than 1, 2, 4, 8 or 16.
    public func check() throws {
        // A huge rate would trap converting the frame count to Int: one request, a dead worker.
        if let fps, !(fps > 0 && fps <= 1000) {
            throw ReelError(.workerRequest, "adjustments.fps \(fps) is out of range (more than 0, at most 1000)")
        }
        if let samples, ![1, 2, 4, 8, 16].contains(samples) {
            throw ReelError(.workerRequest, "adjustments.samples \(samples) is not 1, 2, 4, 8 or 16")
        }
    }

    public func apply(to scene: Scene) -> Scene {
        var scene = scene
        if transparent { scene.canvas.background.alpha = 0 }
        if let fps { scene = scene.retimed(fps: fps) }
        if let samples { scene.canvas.samples = samples }
        return scene
    }
}

/// How a chunk is encoded: the same for every chunk of a job, which is what lets video
/// chunks join without re-encoding.
public struct ChunkOutput: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case video, png }
    public var kind: Kind
    /// Container extension for video (mp4, mov, mkv, webm).
    public var container: String
    public var codec: String
    public var crf: Int?
    public var bitrate: Int?
    public var preset: String?
    public var pixelFormat: String?
    public var options: [String: String]
    public var pngCompression: Int
    public var pngAlpha: Bool?
    public var pngFilter: String
    /// Drawing size as a multiple of the canvas (`--scale`).
    public var scale: Double

    public init(_ output: RenderOutput, scale: Double) {
        self.scale = scale
        switch output {
        case let .video(path, settings):
            kind = .video
            container = (path as NSString).pathExtension.lowercased()
            (codec, crf, bitrate, preset, pixelFormat, options) =
                (settings.codec, settings.crf, settings.bitrate, settings.preset, settings.pixelFormat, settings.options)
            (pngCompression, pngAlpha, pngFilter) = (6, nil, PNGSettings.Filter.up.rawValue)
        case let .pngSequence(_, png):
            kind = .png
            container = "png"
            let video = VideoSettings()
            (codec, crf, bitrate, preset, pixelFormat, options) = (video.codec, nil, nil, nil, nil, [:])
            (pngCompression, pngAlpha, pngFilter) = (png.compressionLevel, png.alpha, png.filter.rawValue)
        }
    }

    public var videoSettings: VideoSettings {
        VideoSettings(codec: codec, crf: crf, bitrate: bitrate, preset: preset, pixelFormat: pixelFormat, options: options)
    }

    /// Encoder options a worker passes to FFmpeg. Encoders also take options that name files
    /// and write them wherever they say (x264's `stats` with `flags=+pass1`, `dump-yuv` in
    /// `x264-params`), which would let a request write on the worker's disk; files travel by
    /// hash, so a worker takes only these plain settings, with plain values. Add a name here
    /// once it is known to touch no file.
    public static let workerEncoderOptions: Set<String> = [
        "tune", "profile", "level", "tier", "quality", "lossless", "cq", "qp", "rc", "b", "maxrate", "bufsize",
        "g", "bf", "aq-mode", "deadline", "cpu-used", "speed", "row-mt", "tile-columns", "tile-rows",
    ]

    /// Checks what a worker must refuse before it renders, so a bad request is a 400 and not
    /// a render that fails (500) after the scene was decoded and a slot taken.
    /// - Throws: `E-WORKER-REQUEST` for settings no chunk can be encoded with, and for
    ///   encoder options not in `workerEncoderOptions` or with values other than a plain word.
    public func check() throws {
        _ = try renderOutput(at: "chunk")
        for (name, value) in options.sorted(by: { $0.key < $1.key }) {
            guard Self.workerEncoderOptions.contains(name) else {
                throw ReelError(.workerRequest, "encoder option '\(name.prefix(64))' is not one a worker passes on",
                                detail: "workers take only \(Self.workerEncoderOptions.sorted().joined(separator: ", ")): options that name files are refused")
            }
            guard value.range(of: "^[A-Za-z0-9._:+-]{1,64}$", options: .regularExpression) != nil else {
                throw ReelError(.workerRequest, "encoder option '\(name.prefix(64))' has a value that is not a plain word (letters, digits and . _ : + -)")
            }
        }
    }

    /// The output for one chunk written at `path` (a video file, or a PNG pattern).
    /// - Throws: `E-WORKER-REQUEST` for settings no chunk can be encoded with.
    public func renderOutput(at path: String) throws -> RenderOutput {
        switch kind {
        case .video:
            guard ["mp4", "mov", "mkv", "m4v", "webm"].contains(container) else {
                throw ReelError(.workerRequest, "container '\(container)' cannot be joined from chunks; use mp4, mov, mkv or webm")
            }
            return .video(path: path, settings: videoSettings)
        case .png:
            guard (0...9).contains(pngCompression), let filter = PNGSettings.Filter(rawValue: pngFilter) else {
                throw ReelError(.workerRequest, "PNG settings out of range (compression \(pngCompression), filter '\(pngFilter)')")
            }
            return .pngSequence(pattern: path, settings: PNGSettings(compressionLevel: pngCompression, alpha: pngAlpha, filter: filter))
        }
    }
}

/// `POST /v1/render`.
public struct RenderRequest: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var scene: SceneBundle
    public var first: Int
    public var last: Int
    public var output: ChunkOutput

    public init(scene: SceneBundle, frames: ClosedRange<Int>, output: ChunkOutput) {
        (protocolVersion, self.scene, first, last, self.output) = (workerProtocolVersion, scene, frames.lowerBound, frames.upperBound, output)
    }

    public var frames: ClosedRange<Int>? { first >= 0 && last >= first ? first...last : nil }
}

/// What comes back with a chunk's bytes.
public struct ChunkMeta: Codable, Sendable, Hashable {
    public var first: Int
    public var last: Int
    /// SHA-256 of the chunk bytes.
    public var digest: String
    /// `FrameChecksum` of each frame's raw RGBA pixels, first to last.
    public var frameChecksums: [String]
    public var vendor: String
    public var renderer: String
    public var hardware: Bool
    /// Seconds the worker spent, warm-up included.
    public var seconds: Double
}

/// The body of a successful render: `REELCHNK`, a 4-byte big-endian length, the `ChunkMeta`
/// JSON, then the chunk (a video file, or a tar of PNGs). One body, so the meta and the bytes
/// it describes cannot be separated, and no header limit applies to long checksum lists.
public enum ChunkEnvelope {
    static let magic = Array("REELCHNK".utf8)

    public static func encode(_ meta: ChunkMeta, payload: [UInt8]) throws -> [UInt8] {
        try header(meta) + payload
    }

    /// Everything before the payload: the magic, the length and the meta JSON.
    public static func header(_ meta: ChunkMeta) throws -> [UInt8] {
        let json = try JSONEncoder().encode(meta)
        let length = UInt32(json.count)
        return magic + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + json
    }

    /// Splits a body and checks the payload against the digest the meta states.
    /// - Throws: `E-DISPATCH-CORRUPT` for anything malformed or a digest mismatch.
    public static func decode(_ body: [UInt8]) throws -> (meta: ChunkMeta, payload: ArraySlice<UInt8>) {
        guard body.count >= magic.count + 4, Array(body[0..<magic.count]) == magic else {
            throw ReelError(.chunkCorrupt, "the worker's answer is not a chunk (\(body.count) bytes without the REELCHNK header)")
        }
        let l = body[magic.count..<magic.count + 4].reduce(0) { $0 << 8 | Int($1) }
        let start = magic.count + 4
        guard l > 0, start + l <= body.count else { throw ReelError(.chunkCorrupt, "the chunk's header is cut short") }
        let meta: ChunkMeta
        do {
            meta = try JSONDecoder().decode(ChunkMeta.self, from: Data(body[start..<start + l]))
        } catch {
            throw ReelError(.chunkCorrupt, "the chunk's header is not valid JSON")
        }
        let payload = body[(start + l)...]
        var hasher = SHA256Hasher()
        payload.withUnsafeBytes { hasher.update($0) }
        let digest = hasher.finalize()
        guard digest == meta.digest else {
            throw ReelError(.chunkCorrupt, "chunk \(meta.first)-\(meta.last): its bytes hash to \(digest.prefix(12))…, the worker said \(meta.digest.prefix(12))…",
                            detail: "the bytes were damaged on the way or by the worker; the chunk is rendered again")
        }
        guard meta.frameChecksums.count == meta.last - meta.first + 1 else {
            throw ReelError(.chunkCorrupt, "chunk \(meta.first)-\(meta.last) came with \(meta.frameChecksums.count) frame checksums")
        }
        return (meta, payload)
    }
}

/// The body of every error answer: `{"error": "...", "code": "E-..."}`.
public struct WorkerErrorBody: Codable, Sendable {
    public var error: String
    public var code: String
    public var detail: String?
}

extension ReelError.Code {
    /// A render request the worker cannot accept (bad JSON, unknown fields, limits).
    public static let workerRequest = Self("E-WORKER-REQUEST")
    /// A chunk whose bytes do not match its digest or whose checksums are missing.
    public static let chunkCorrupt = Self("E-DISPATCH-CORRUPT")
    /// A dispatched job that could not complete.
    public static let dispatchFailed = Self("E-DISPATCH")
    /// A worker that could not be reached, refused us, or is not fit to serve.
    public static let workerUnavailable = Self("E-DISPATCH-WORKER")
}
