import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Reel
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// How `reel worker` serves, and the limits that keep hostile or mistaken requests from
/// exhausting it. `reel worker --help` explains each limit with its default.
public struct WorkerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; the worker prints the one it got.
    public var port = 7600
    /// The bearer token every request must carry; nil serves loopback only, without one.
    public var token: String?
    /// Refuse to start on a software renderer.
    public var requireHardware = false
    /// Renders at once, each in a process with a GL context of its own; more get 429. The
    /// default is 1.
    public var maxRenders = 1
    /// Largest render request (JSON), in bytes. The default is 16 MiB.
    public var maxRequestBytes = 16 << 20
    /// Memory for render requests being received and screened, at three times a request's
    /// size (its bytes and their parse); a request that would go over gets 429 before its
    /// body is read. At least three times `maxRequestBytes`. The default is 64 MiB.
    public var requestMemoryBytes = 64 << 20
    /// Requests whose scene is decoded and checked at once, each in a render process; more
    /// get 429. Nil means one more than `maxRenders`, the default.
    public var maxAdmissions: Int?
    /// Largest blob, in bytes. The default is 1 GiB.
    public var maxBlobBytes = 1 << 30
    /// Blob uploads received at once (each streamed to disk through a small buffer); more
    /// get 429. The default is 4.
    public var maxUploads = 4
    /// Frames and pixels one request may ask for.
    public var admission = AdmissionLimits()
    /// Connections open at once; when one more opens, the longest idle one is closed. The
    /// worker lowers it to half its descriptor limit. The default is 512.
    public var maxConnections = 512
    /// Seconds a connection may take to send a complete request head after it opens or after
    /// its previous answer: idle keep-alive connections close after this long too. The
    /// default is 10.
    public var headerTimeout = 10.0
    /// Slowest request body accepted, in bytes a second, measured over each `headerTimeout`
    /// window. The default is 16 KiB/s.
    public var minBodyBytesPerSecond = 16 << 10
    /// Seconds a render may run once it has its slot; it is stopped (422) after. The default
    /// is 900.
    public var chunkTimeLimit = 900.0
    /// Seconds a render process may take to decode and check its scene. The default is 60.
    public var admissionTimeLimit = 60.0
    /// Resident memory a render process may use, in bytes; it is stopped (422) above it. The
    /// default is 4 GiB.
    public var renderMemoryBytes = 4 << 30
    public var blobFolder: String
    public var blobCacheBytes: Int64 = 4 << 30
    /// Where chunks are rendered before they are sent.
    public var workFolder: String
    /// The program run for each render as `<executable> worker-render …`: ReelCLI's `reel`
    /// answers it. The default is this process's own executable.
    public var executable = "/proc/self/exe"
    /// Test only: misbehave on purpose (`REEL_WORKER_FAULT`, read by the command line), to
    /// check the coordinator.
    public var fault: WorkerFault?
    /// Test only: faults for the render processes' GL contexts (`REEL_GL_FAULT`, read by the
    /// command line). A `lose-context` goes to render processes until one of them reports its
    /// context lost, so it fires once a worker. None by default.
    public var glFaults = GLFaults.none

    /// `maxAdmissions`, or its default.
    public var admissionSlots: Int { maxAdmissions ?? maxRenders + 1 }

    /// Most pixels × frames one request may ask for (`admission.maxPixelFrames`).
    public var maxPixelFrames: Int {
        get { admission.maxPixelFrames }
        set { admission.maxPixelFrames = newValue }
    }

    public init(blobFolder: String, workFolder: String) {
        (self.blobFolder, self.workFolder) = (blobFolder, workFolder)
    }
}

/// Faults a worker can be told to inject on top of real rendering, for fault tests.
public enum WorkerFault: String, Sendable {
    /// Flip a byte of every chunk after its digest is computed.
    case corrupt
    /// Never start a render that was admitted: it holds its slot until its client leaves or
    /// `chunkTimeLimit` passes.
    case hang
}

/// `reel worker`: renders chunks for coordinators over HTTP.
///
/// The worker itself holds no GL context and renders nothing: each render request is decoded,
/// checked and rendered by a `reel worker-render` process (`WorkerRenderChild`), which the
/// worker kills when it outlives its time, outgrows its memory or its client leaves. What
/// the worker does in-process is cheap and bounded: connections, uploads streamed to disk,
/// a first screening of requests on a few threads of its own.
public final class Worker: Sendable {
    public let configuration: WorkerConfiguration
    public let plugins: PluginRegistry
    /// The GL vendor and renderer its render processes get, probed once at start.
    public let info: GLInfo
    let blobs: BlobStore
    let ledger: ConnectionLedger
    /// Parsing and screening requests, writing job files, spawning: never on the cooperative pool.
    let pool = BlockingPool(threads: 2, label: "reel.worker.blocking")
    /// Hashing and writing uploads, fsync: apart from `pool`, so that an upload never waits
    /// behind the parse of a large request (its connection would time out meanwhile).
    let uploadPool: BlockingPool
    let renders: Slots
    let admissions: Slots
    let uploads: Slots
    let requestBytes: Slots
    /// The soft descriptor limit after raising it to the hard one.
    public let descriptorLimit: Int
    private let encoders: [String]
    /// Render processes waiting for a job, their GL context open: started ahead, or done with
    /// a chunk. The last is the one used most recently.
    let idle = Mutex<[RenderProcess]>([])
    let refilling = Atomic<Bool>(false)
    /// Whether a render process reported its context lost: `configuration.glFaults`'s
    /// `lose-context` then goes to no more of them, so it fires once a worker, as it does once
    /// a process.
    let contextLossSeen = Atomic<Bool>(false)

    /// Probes GL once, in a render process of its own (this process opens no display), raises
    /// the descriptor limit, opens the blob store.
    /// - Throws: `E-DISPATCH-WORKER` for a software renderer under `requireHardware` or a
    ///   public address without a token; GL and I/O errors.
    public init(configuration: WorkerConfiguration, plugins: PluginRegistry) throws {
        if configuration.token == nil, !Self.isLoopback(configuration.host) {
            throw ReelError(.workerUnavailable, "refusing to listen on \(configuration.host) without a token",
                            detail: "set REEL_WORKER_TOKEN (or --token-file) to serve other machines; without a token a worker listens on loopback only")
        }
        let info = try Self.probe(executable: configuration.executable)
        if configuration.requireHardware, info.isSoftware {
            throw ReelError(.workerUnavailable, "the renderer is \(info.renderer), a software one, and --require-hardware was given",
                            detail: "the GPU is not visible to EGL here; in a container set NVIDIA_DRIVER_CAPABILITIES=all (graphics) and check `reel doctor`")
        }
        var configuration = configuration
        descriptorLimit = Self.raiseDescriptorLimit()
        // Half the descriptors for connections: renders (pipes), uploads, blobs and the
        // runtime itself always have the other half. Reaching the limit is not survivable:
        // libdispatch aborts when it cannot open /proc/self/task/<tid>/stat.
        configuration.maxConnections = max(8, min(configuration.maxConnections, descriptorLimit / 2))
        self.configuration = configuration
        self.plugins = plugins
        self.info = info
        encoders = DoctorReport.knownEncoders()
        blobs = try BlobStore(folder: configuration.blobFolder, maxBytes: configuration.blobCacheBytes)
        ledger = ConnectionLedger(limits: .init(maxConnections: configuration.maxConnections, bodyWindow: configuration.headerTimeout,
                                                minBodyBytesPerSecond: configuration.minBodyBytesPerSecond,
                                                sendTimeout: max(30, 3 * configuration.headerTimeout)))
        renders = Slots(configuration.maxRenders)
        admissions = Slots(configuration.admissionSlots)
        uploads = Slots(configuration.maxUploads)
        uploadPool = BlockingPool(threads: min(configuration.maxUploads, 4), label: "reel.worker.uploads")
        requestBytes = Slots(configuration.requestMemoryBytes)
        try? FileManager.default.createDirectory(atPath: configuration.workFolder, withIntermediateDirectories: true)
        // Job folders a killed worker left behind.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: configuration.workFolder)) ?? [] where name.hasPrefix(".job-") {
            try? FileManager.default.removeItem(atPath: configuration.workFolder + "/" + name)
        }
    }

    deinit {
        pool.stop()
        uploadPool.stop()
    }

    /// The GL info of a context opened by `<executable> worker-render --probe`, so this
    /// process never initialises a display of its own.
    /// - Throws: the probe's error (`E-GL-NO-CONTEXT`…), `E-DISPATCH-WORKER` when it cannot run.
    static func probe(executable: String) throws -> GLInfo {
        let process = try RenderProcess(executable: executable, arguments: ["worker-render", "--probe"],
                                        environment: ProcessInfo.processInfo.environment.filter { $0.key != "REEL_WORKER_TOKEN" })
        var output: [String] = []
        let deadline = ContinuousClock.now + .seconds(120)
        while process.exitStatus() == nil {
            output += process.lines()
            if ContinuousClock.now > deadline {
                process.kill()
                while process.exitStatus() == nil { usleep(10_000) }
                throw ReelError(.workerUnavailable, "opening a GL context took longer than 120 s", detail: "check `reel doctor`")
            }
            usleep(10_000)
        }
        output += process.lines()
        guard let line = output.last, let answer = try? JSONDecoder().decode(WorkerRenderChild.ProbeAnswer.self, from: Data(line.utf8)) else {
            throw ReelError(.workerUnavailable, "the worker cannot run its render process '\(executable) worker-render' (\(process.exitStatus().map { "\($0)" } ?? "?"))",
                            detail: "a program embedding the worker must answer `worker-render` as ReelCLI does")
        }
        if let info = answer.info { return info }
        let error = answer.error ?? WorkerErrorBody(error: "no GL context", code: ReelError.Code.workerUnavailable.rawValue, detail: nil)
        throw ReelError(.init(error.code), error.error, detail: error.detail)
    }

    /// Raises the soft RLIMIT_NOFILE to the hard one and returns it.
    static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
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
        let c = configuration
        return WorkerHealth(protocolVersion: workerProtocolVersion, version: ReelVersion.string,
                            plugins: plugins.plugins.map { "\($0.name)@\($0.version)" }.sorted(),
                            vendor: info.vendor, renderer: info.renderer, hardware: !info.isSoftware,
                            encoders: encoders, maxRenders: c.maxRenders, busy: renders.inUse, maxPixelFrames: c.admission.maxPixelFrames,
                            maxFrames: c.admission.maxFrames, minFramePixels: c.admission.minFramePixels, maxRequestBytes: c.maxRequestBytes,
                            maxBlobBytes: c.maxBlobBytes, maxUploads: c.maxUploads, chunkTimeLimit: c.chunkTimeLimit,
                            renderMemoryBytes: c.renderMemoryBytes)
    }

    /// Serves until SIGTERM or SIGINT; `listening` gets the bound port once it is up.
    public func run(listening: @escaping @Sendable (Int) -> Void) async throws {
        refillIdle()
        let router = Router(context: WorkerRequestContext.self)
        router.add(middleware: BearerAuth(token: configuration.token))
        router.get("/v1/health") { _, _ in try Self.json(self.health) }
        router.head("/v1/blobs/:digest") { _, context in
            let digest = context.parameters.get("digest") ?? ""
            return Response(status: self.blobs.has(digest) ? .ok : .notFound)
        }
        router.put("/v1/blobs/:digest") { request, context in
            await self.receiveBlob(request, digest: context.parameters.get("digest") ?? "")
        }
        router.post("/v1/render") { request, context in
            await self.render(request, channel: context.channel)
        }
        var logger = Logger(label: "reel.worker")
        logger.logLevel = .warning
        let ledger = self.ledger
        let http = HTTP1Channel.Configuration(additionalChannelHandlers: [WorkerConnectionHandler(ledger: ledger)],
                                              idleTimeout: TimeAmount(seconds: configuration.headerTimeout))
        let app = Application(router: router, server: .http1(configuration: http),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reel-worker",
                                                   backlog: Self.backlog, availableConnectionsDelegate: ConnectionCap(ledger: ledger)),
                              onServerRunning: { channel in listening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }

    /// Connections the kernel queues before the worker accepts them (it clamps this to
    /// net.core.somaxconn). A full queue drops new connections' handshakes, which their
    /// clients retry only a second later: a burst of hundreds of connections must not make a
    /// health request wait that second. Queued connections hold no descriptor of the worker's.
    static let backlog = 4096

    func log(_ line: String) {
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

    /// A JSON error answer; a 429 says when to come back.
    static func failure(_ status: HTTPResponse.Status, _ error: ReelError) -> Response {
        let body = WorkerErrorBody(error)
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":"internal error","code":"E-DISPATCH"}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == .tooManyRequests { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `failure`, closing the connection after it: for a body the worker stops reading.
    static func refusal(_ status: HTTPResponse.Status, _ error: ReelError) -> Response {
        var response = failure(status, error)
        response.headers[.connection] = "close"
        return response
    }

    /// Bodies of refused requests up to this size are read and dropped before the answer.
    static let drainBytes = 32 << 20

    /// Answers a request refused before its body was read. A declared body of up to
    /// `drainBytes` is read and dropped first: a client that sends its whole body before it
    /// reads (AsyncHTTPClient writes it in one piece) would otherwise see its upload fail
    /// instead of the answer. A larger body, or one of unknown length, is not worth reading:
    /// the connection closes after the answer (the rest is read for a moment, so the client
    /// still sees it).
    static func refuse(_ request: Request, _ status: HTTPResponse.Status, _ error: ReelError) async -> Response {
        guard let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared <= drainBytes else {
            return refusal(status, error)
        }
        var drained = 0
        do {
            for try await part in request.body {
                drained += part.readableBytes
                if drained > declared { return refusal(status, error) }
            }
        } catch _ {
            return refusal(status, error)  // cut short: no one reads this answer
        }
        return failure(status, error)
    }
}

extension ReelError.Code {
    /// A request over the worker's limits: at admission (400), or a render that outgrew its
    /// time or memory (422).
    public static let workerLimit = Self("E-WORKER-LIMIT")
    /// Every render slot (or admission, upload or request-memory slot) of the worker is taken (429).
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
            var response = await Worker.refuse(request, .unauthorized, ReelError(.workerAuth, given.isEmpty ? "this worker needs a bearer token" : "the bearer token is wrong",
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
