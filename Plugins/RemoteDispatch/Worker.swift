import Foundation
import Hummingbird
import Logging
import NIOCore
import Reel
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// How `reel worker` serves.
public struct WorkerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; the worker prints the one it got.
    public var port = 7600
    /// The bearer token every request must carry; nil serves loopback only, without one.
    public var token: String?
    /// Refuse to start on a software renderer.
    public var requireHardware = false
    /// Renders at once; more get 429. Each has a GL context of its own.
    public var maxRenders = 1
    /// Largest render request (JSON), in bytes.
    public var maxRequestBytes = 16 << 20
    /// Largest blob, in bytes.
    public var maxBlobBytes = 1 << 30
    /// Largest pixels × frames one request may ask for: 3 600 frames of 1080p.
    public var maxPixelFrames = 1920 * 1080 * 3600
    public var blobFolder: String
    public var blobCacheBytes: Int64 = 4 << 30
    /// Where chunks are rendered before they are sent.
    public var workFolder: String
    /// Test only: misbehave on purpose (`REEL_WORKER_FAULT`), to check the coordinator.
    public var fault: WorkerFault?

    public init(blobFolder: String, workFolder: String) {
        (self.blobFolder, self.workFolder) = (blobFolder, workFolder)
    }
}

/// Faults a worker can be told to inject on top of real rendering, for fault tests.
public enum WorkerFault: String, Sendable {
    /// Flip a byte of every chunk after its digest is computed.
    case corrupt
    /// Never answer a render request.
    case hang
}

/// `reel worker`: renders chunks for coordinators over HTTP.
public final class Worker: Sendable {
    public let configuration: WorkerConfiguration
    public let plugins: PluginRegistry
    public let info: GLInfo
    let blobs: BlobStore
    private let contexts: Mutex<[HeadlessGL]>
    private let busy = Atomic<Int>(0)

    /// Opens a GL context (kept for the first render) and the blob store.
    /// - Throws: `E-DISPATCH-WORKER` for a software renderer under `requireHardware` or a
    ///   public address without a token; GL and I/O errors.
    public init(configuration: WorkerConfiguration, plugins: PluginRegistry) throws {
        if configuration.token == nil, !Self.isLoopback(configuration.host) {
            throw ReelError(.workerUnavailable, "refusing to listen on \(configuration.host) without a token",
                            detail: "set REEL_WORKER_TOKEN (or --token-file) to serve other machines; without a token a worker listens on loopback only")
        }
        let gl = try HeadlessGL.open(label: "reel.worker")
        if configuration.requireHardware, gl.info.isSoftware {
            gl.close()
            throw ReelError(.workerUnavailable, "the renderer is \(gl.info.renderer), a software one, and --require-hardware was given",
                            detail: "the GPU is not visible to EGL here; in a container set NVIDIA_DRIVER_CAPABILITIES=all (graphics) and check `reel doctor`")
        }
        self.configuration = configuration
        self.plugins = plugins
        self.info = gl.info
        contexts = Mutex([gl])
        blobs = try BlobStore(folder: configuration.blobFolder, maxBytes: configuration.blobCacheBytes)
        try? FileManager.default.createDirectory(atPath: configuration.workFolder, withIntermediateDirectories: true)
    }

    /// True for `localhost`, `::1` and IPv4 literals in 127.0.0.0/8. A name that merely
    /// starts with "127." (`127.example.com`) can resolve anywhere, so it is not loopback.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in part.allSatisfy { "0"..."9" ~= $0 } && UInt8(part) != nil }
    }

    public var health: WorkerHealth {
        WorkerHealth(protocolVersion: workerProtocolVersion, version: ReelVersion.string,
                     plugins: plugins.plugins.map { "\($0.name)@\($0.version)" }.sorted(),
                     vendor: info.vendor, renderer: info.renderer, hardware: !info.isSoftware,
                     encoders: DoctorReport.knownEncoders(), maxRenders: configuration.maxRenders,
                     busy: busy.load(ordering: .relaxed), maxPixelFrames: configuration.maxPixelFrames)
    }

    /// Serves until SIGTERM or SIGINT; `listening` gets the bound port once it is up.
    public func run(listening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        router.add(middleware: BearerAuth(token: configuration.token))
        router.get("/v1/health") { _, _ in try Self.json(self.health) }
        router.head("/v1/blobs/:digest") { _, context in
            let digest = context.parameters.get("digest") ?? ""
            return Response(status: self.blobs.has(digest) ? .ok : .notFound)
        }
        router.put("/v1/blobs/:digest") { request, context in
            let digest = context.parameters.get("digest") ?? ""
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: self.configuration.maxBlobBytes)
            } catch {
                return Self.failure(.contentTooLarge, ReelError(.workerRequest, "the blob is larger than this worker's limit of \(self.configuration.maxBlobBytes) bytes"))
            }
            do {
                try self.blobs.put(digest, bytes: Array(body.readableBytesView))
                return Response(status: .created)
            } catch let error as ReelError {
                return Self.failure(error.code == .workerRequest ? .badRequest : .internalServerError, error)
            }
        }
        router.post("/v1/render") { request, _ in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: self.configuration.maxRequestBytes)
            } catch {
                return Self.failure(.contentTooLarge, ReelError(.workerRequest, "the request is larger than this worker's limit of \(self.configuration.maxRequestBytes) bytes"))
            }
            return await self.render(Array(body.readableBytesView))
        }
        var logger = Logger(label: "reel.worker")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reel-worker"),
                              onServerRunning: { channel in listening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }

    // MARK: - Render

    private func render(_ body: [UInt8]) async -> Response {
        let admitted: AdmittedRender
        do {
            admitted = try Self.admit(body, plugins: plugins, maxPixelFrames: configuration.maxPixelFrames) { digest in
                self.blobs.has(digest) ? self.blobs.path(of: digest) : nil
            }
        } catch {
            return Self.failure(error.status, error.error)
        }
        let (request, scene, frames) = (admitted.request, admitted.scene, admitted.frames)
        let digests = Array(Set(request.scene.files.values))
        guard busy.add(1, ordering: .relaxed).newValue <= configuration.maxRenders else {
            busy.subtract(1, ordering: .relaxed)
            var response = Self.failure(.tooManyRequests, ReelError(.workerBusy, "this worker is rendering \(configuration.maxRenders) chunk(s) already"))
            response.headers[.retryAfter] = "1"
            return response
        }
        defer { busy.subtract(1, ordering: .relaxed) }
        guard blobs.pin(digests) else {
            return Self.failure(.badRequest, ReelError(.blobMissing, "a file of the scene was evicted before the render began; upload it again"))
        }
        defer { blobs.unpin(digests) }
        log("render \(frames.lowerBound)-\(frames.upperBound): started")
        if configuration.fault == .hang {
            try? await Task.sleep(for: .seconds(24 * 3600))
        }
        do {
            let chunk = try await renderOnThread(scene: scene, frames: frames, output: request.output)
            var payload = chunk.payload
            let meta = ChunkMeta(first: frames.lowerBound, last: frames.upperBound, digest: SHA256Hasher.hex(payload),
                                 frameChecksums: chunk.frameChecksums, vendor: info.vendor, renderer: info.renderer,
                                 hardware: !info.isSoftware, seconds: chunk.seconds)
            if configuration.fault == .corrupt, !payload.isEmpty { payload[payload.count / 2] ^= 0x5A }
            let envelope = try ChunkEnvelope.encode(meta, payload: payload)
            log(String(format: "render %d-%d: done in %.2f s (%d bytes)", frames.lowerBound, frames.upperBound, chunk.seconds, payload.count))
            var headers = HTTPFields()
            headers[.contentType] = "application/vnd.reel.chunk"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: envelope)))
        } catch let error as ReportableError {
            log("render \(frames.lowerBound)-\(frames.upperBound): failed: \(error.reportSummary)")
            return Self.failure(.internalServerError, ReelError(reporting: error))
        } catch {
            return Self.failure(.internalServerError, ReelError(.dispatchFailed, "\(error)"))
        }
    }

    /// A render request that passed every check `admit` makes.
    package struct AdmittedRender: Sendable {
        package var request: RenderRequest
        /// The request's scene, decoded with its files and adjusted.
        package var scene: Scene
        package var frames: ClosedRange<Int>
    }

    /// Why `admit` refused a request: the status and error the worker answers with.
    package struct Refusal: Error {
        package var status: HTTPResponse.Status
        package var error: ReelError
    }

    /// Everything the worker checks of a render request before it takes a render slot: strict
    /// JSON, the protocol version, the scene and its files, the frame range, the scale, the
    /// output settings and encoder options, and `maxPixelFrames`. Reads no file but the blobs
    /// `blob` names (a digest's local path, nil when it is not here), so it runs without a
    /// worker: the fuzzer calls it.
    /// - Throws: `Refusal`, all with status 400.
    package static func admit(_ body: [UInt8], plugins: PluginRegistry, maxPixelFrames: Int,
                              blob: (String) -> String?) throws(Refusal) -> AdmittedRender {
        let request: RenderRequest
        do {
            request = try StrictJSON.decode(RenderRequest.self, from: body)
        } catch let error as ReelError {
            throw Refusal(status: .badRequest, error: error)
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "the request is not a render request: \(error)"))
        }
        guard request.protocolVersion == workerProtocolVersion else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "protocol version \(request.protocolVersion); this worker speaks \(workerProtocolVersion)",
                                                                detail: "use the same Reel version on the coordinator and the workers"))
        }
        let scene: Scene
        do {
            scene = try request.scene.decode(plugins: plugins, blob: blob)
        } catch let error as ReportableError {
            throw Refusal(status: .badRequest, error: ReelError(reporting: error))
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "\(error)"))
        }
        guard let frames = request.frames, frames.upperBound < scene.canvas.frameCount else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "frames \(request.first)-\(request.last) are not in the scene, which has frames 0-\(scene.canvas.frameCount - 1)"))
        }
        let scale = request.output.scale
        guard scale > 0, scale <= 8 else {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "scale \(scale) is out of range (more than 0, at most 8)"))
        }
        do {
            try request.output.check()
        } catch let error as ReelError {
            throw Refusal(status: .badRequest, error: error)
        } catch {
            throw Refusal(status: .badRequest, error: ReelError(.workerRequest, "\(error)"))
        }
        let pixels = Double(scene.canvas.width) * Double(scene.canvas.height) * scale * scale
        guard pixels * Double(frames.count) <= Double(maxPixelFrames) else {
            throw Refusal(status: .badRequest, error: ReelError(.workerLimit, "frames \(frames.lowerBound)-\(frames.upperBound) at \(Int(pixels)) pixels each exceed this worker's limit of \(maxPixelFrames) pixels × frames per request",
                                                                detail: "send smaller chunks (--chunk-frames)"))
        }
        return AdmittedRender(request: request, scene: scene, frames: frames)
    }

    private func renderOnThread(scene: Scene, frames: ClosedRange<Int>, output: ChunkOutput) async throws -> RenderedChunk {
        let gl = try contexts.withLock { $0.popLast() } ?? HeadlessGL.open(label: "reel.worker")
        let plugins = self.plugins, work = configuration.workFolder
        do {
            let chunk = try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result {
                        try ChunkRender.render(scene: scene, plugins: plugins, frames: frames, output: output, gl: gl, workFolder: work)
                    })
                }.start()
            }
            contexts.withLock { $0.append(gl) }
            return chunk
        } catch let error as ReelError where error.code == .glContextLost {
            // A lost context stays lost: the next render gets a fresh one instead.
            gl.close()
            log("the GL context was lost; it is replaced for the next render")
            throw error
        } catch {
            contexts.withLock { $0.append(gl) }
            throw error
        }
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data(("reel worker: " + line + "\n").utf8))
    }

    // MARK: - Answers

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func failure(_ status: HTTPResponse.Status, _ error: ReelError) -> Response {
        let body = WorkerErrorBody(error: error.message, code: error.code.rawValue, detail: error.detail)
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":"internal error","code":"E-DISPATCH"}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension ReelError.Code {
    /// A request over the worker's size limits.
    public static let workerLimit = Self("E-WORKER-LIMIT")
    /// Every render slot of the worker is taken (429).
    public static let workerBusy = Self("E-WORKER-BUSY")
    /// A request without the right bearer token (401).
    public static let workerAuth = Self("E-WORKER-AUTH")
}

/// Checks `Authorization: Bearer <token>` on every request, health included, in constant time.
struct BearerAuth<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else { return try await next(request, context) }
        let given = request.headers[.authorization] ?? ""
        guard given.hasPrefix("Bearer "), constantTimeEqual(Array(given.utf8.dropFirst(7)), Array(token.utf8)) else {
            var response = Worker.failure(.unauthorized, ReelError(.workerAuth, given.isEmpty ? "this worker needs a bearer token" : "the bearer token is wrong",
                                                                   detail: "set REEL_WORKER_TOKEN to the worker's token"))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) {
        difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
    }
    return difference == 0
}

extension ReelError {
    /// Any reportable error as a `ReelError`: its code, summary and detail lines.
    init(reporting error: any ReportableError) {
        let details = error.reportDetails
        self.init(error.reportCode, error.reportSummary, detail: details.isEmpty ? nil : details.joined(separator: "\n"))
    }
}
