import ArgumentParser
import Foundation
import Reel
import ReelCLI
import ReelCore
import ReelDispatch
import Synchronization

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve chunk renders to coordinators over HTTP (remote dispatch).",
        discussion: """
        A coordinator (`reel render … --dispatch URL`) sends a scene with its files by hash and a frame range; the worker renders the chunk and answers with the encoded bytes, their SHA-256 and a checksum of every frame.

        Every request needs `Authorization: Bearer <token>`, health included. The token comes from REEL_WORKER_TOKEN or --token-file; the coordinator reads the same variable. Without a token the worker listens on loopback only.

        Endpoints: GET /v1/health, HEAD|PUT /v1/blobs/<sha256>, POST /v1/render.

        Each chunk is decoded, checked and rendered in a process of its own, which the worker kills when it runs over --chunk-time-limit or --render-memory (422, E-WORKER-LIMIT) or when its client goes away; its slot is free again at once. Requests over a limit get a JSON error and a 4xx; requests over a capacity (renders, admissions, uploads, request memory) get 429 with Retry-After. /v1/health reports the limits a coordinator needs.

        Examples:
          REEL_WORKER_TOKEN=s3cret reel worker --listen 0.0.0.0:7600
          reel worker --listen 127.0.0.1:0     # loopback, no token, a free port
          reel worker --listen 0.0.0.0:7600 --token-file token --require-hardware
        """
    )

    @Option(help: ArgumentHelp("Address and port to listen on; port 0 picks a free one (printed on start).", valueName: "host:port"))
    var listen = "127.0.0.1:7600"

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Read the bearer token from this file instead of REEL_WORKER_TOKEN.", valueName: "path"))
    var tokenFile: String?

    @Flag(name: .customLong("require-hardware"), help: "Refuse to serve when the renderer is a software one (llvmpipe): a GPU box that lost its GPU fails fast instead of crawling.")
    var requireHardware = false

    @Option(name: .customLong("max-renders"), help: ArgumentHelp("Chunks rendered at once; more requests get 429.", valueName: "n"))
    var maxRenders = 1

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Where received files are kept by hash. The default is ~/.cache/reel/worker.", valueName: "path"))
    var cacheDirectory: String?

    @Option(name: .customLong("cache-size"), help: ArgumentHelp("Keep at most this many MB of received files.", valueName: "MB"))
    var cacheSize = 4096

    @Option(name: .customLong("max-pixel-frames"), help: ArgumentHelp("Refuse requests for more than this many pixels × frames (400); a frame counts as at least 320 × 180 pixels, however small its canvas. 7464960000 is 3600 frames of 1080p.", valueName: "n"))
    var maxPixelFrames = AdmissionLimits().maxPixelFrames

    @Option(name: .customLong("max-frames"), help: ArgumentHelp("Refuse requests for more than this many frames (400).", valueName: "n"))
    var maxFrames = AdmissionLimits().maxFrames

    @Option(name: .customLong("max-request-size"), help: ArgumentHelp("Refuse render requests (JSON) larger than this many MB (413).", valueName: "MB"))
    var maxRequestSize = 16

    @Option(name: .customLong("request-memory"), help: ArgumentHelp("Use at most this many MB for render requests being read and checked, a request counting three times its size (its bytes and their parse); one that would go over gets 429 before its body is read. At least three times --max-request-size.", valueName: "MB"))
    var requestMemory = 64

    @Option(name: .customLong("max-admissions"), help: ArgumentHelp("Decode and check at most this many requests' scenes at once, each in a process of its own; more get 429. The default is one more than --max-renders.", valueName: "n"))
    var maxAdmissions: Int?

    @Option(name: .customLong("max-blob-size"), help: ArgumentHelp("Refuse uploaded files larger than this many MB (413).", valueName: "MB"))
    var maxBlobSize = 1024

    @Option(name: .customLong("max-uploads"), help: ArgumentHelp("Receive at most this many uploads at once (each streamed to disk); more get 429.", valueName: "n"))
    var maxUploads = 4

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Keep at most this many connections open; when one more opens, one waiting for a request is closed (the one silent longest first). Lowered to half the file descriptors the worker may open (its soft RLIMIT_NOFILE, raised to the hard limit at start).", valueName: "n"))
    var maxConnections = 512

    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Close a connection that has not sent a complete request head this many seconds after it opened or after its previous answer (idle keep-alive connections too).", valueName: "seconds"))
    var headerTimeout = 10.0

    @Option(name: .customLong("min-body-rate"), help: ArgumentHelp("Close a connection whose request body arrives slower than this many KB a second over a --header-timeout window.", valueName: "KB/s"))
    var minBodyRate = 16

    @Option(name: .customLong("chunk-time-limit"), help: ArgumentHelp("Stop a render that runs longer than this many seconds once it has its slot (422, E-WORKER-LIMIT).", valueName: "seconds"))
    var chunkTimeLimit = 900.0

    @Option(name: .customLong("admission-time-limit"), help: ArgumentHelp("Stop a render process that takes longer than this many seconds to decode and check its scene (422).", valueName: "seconds"))
    var admissionTimeLimit = 60.0

    @Option(name: .customLong("render-memory"), help: ArgumentHelp("Stop a render process whose resident memory goes over this many MB (422, E-WORKER-LIMIT); checked at least 20 times a second.", valueName: "MB"))
    var renderMemory = 4096

    @Flag(name: .customLong("exit-with-parent"), help: .hidden)
    var exitWithParent = false

    func validate() throws {
        guard (1...64).contains(maxRenders) else { throw ValidationError("--max-renders must be 1…64") }
        guard cacheSize > 0 else { throw ValidationError("--cache-size must be more than 0") }
        guard (1...(1 << 20)).contains(maxBlobSize) else { throw ValidationError("--max-blob-size must be 1…1048576 (MB)") }
        guard maxPixelFrames > 0 else { throw ValidationError("--max-pixel-frames must be more than 0") }
        guard maxFrames > 0 else { throw ValidationError("--max-frames must be more than 0") }
        guard (1...1024).contains(maxRequestSize) else { throw ValidationError("--max-request-size must be 1…1024 (MB)") }
        guard ((3 * maxRequestSize)...(1 << 20)).contains(requestMemory) else { throw ValidationError("--request-memory must be at least three times --max-request-size (\(3 * maxRequestSize) MB)") }
        if let maxAdmissions, !(1...64).contains(maxAdmissions) { throw ValidationError("--max-admissions must be 1…64") }
        guard (1...256).contains(maxUploads) else { throw ValidationError("--max-uploads must be 1…256") }
        guard (8...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 8…1000000") }
        guard headerTimeout >= 0.5, headerTimeout <= 3600 else { throw ValidationError("--header-timeout must be 0.5…3600 (seconds)") }
        guard minBodyRate >= 0 else { throw ValidationError("--min-body-rate must be 0 or more (KB/s)") }
        guard chunkTimeLimit >= 0.5 else { throw ValidationError("--chunk-time-limit must be at least 0.5 (seconds)") }
        guard admissionTimeLimit >= 0.5 else { throw ValidationError("--admission-time-limit must be at least 0.5 (seconds)") }
        guard (64...(1 << 24)).contains(renderMemory) else { throw ValidationError("--render-memory must be 64…16777216 (MB)") }
        guard Self.address(listen) != nil else { throw ValidationError("--listen \(listen) is not host:port (e.g. 0.0.0.0:7600 or 127.0.0.1:0)") }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() throws {
        try reportingErrors {
            guard let (host, port) = Self.address(listen) else { return }
            let token = try workerToken(file: tokenFile)
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()
            let cache = cacheDirectory ?? home + "/.cache/reel/worker"
            var configuration = WorkerConfiguration(blobFolder: cache + "/blobs", workFolder: cache + "/work")
            configuration.host = host
            configuration.port = port
            configuration.token = token
            configuration.requireHardware = requireHardware
            configuration.maxRenders = maxRenders
            configuration.blobCacheBytes = Int64(cacheSize) << 20
            configuration.admission.maxPixelFrames = maxPixelFrames
            configuration.admission.maxFrames = maxFrames
            configuration.maxRequestBytes = maxRequestSize << 20
            configuration.requestMemoryBytes = requestMemory << 20
            configuration.maxAdmissions = maxAdmissions
            configuration.maxBlobBytes = maxBlobSize << 20
            configuration.maxUploads = maxUploads
            configuration.maxConnections = maxConnections
            configuration.headerTimeout = headerTimeout
            configuration.minBodyBytesPerSecond = minBodyRate << 10
            configuration.chunkTimeLimit = chunkTimeLimit
            configuration.admissionTimeLimit = admissionTimeLimit
            configuration.renderMemoryBytes = renderMemory << 20
            configuration.fault = TestFaults.worker
            configuration.glFaults = TestFaults.gl
            let worker = try Worker(configuration: configuration, plugins: ReelCLI.plugins)
            if worker.configuration.maxConnections < maxConnections {
                printError("reel worker: at most \(worker.configuration.maxConnections) connections, half of the \(worker.descriptorLimit) files this process may open (ulimit -n)")
            }
            if exitWithParent {
                // Workers `--dispatch local:N` started: they go when their coordinator goes,
                // however it ends (a SIGKILL gives it no chance to stop them).
                let parent = getppid()
                Thread {
                    while getppid() == parent { usleep(250_000) }
                    Foundation.exit(0)
                }.start()
            }
            let info = worker.info
            let failure = Mutex<(any Error)?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await worker.run { port in
                        let shown = host.contains(":") ? "[\(host)]" : host
                        let line = "reel worker: listening on http://\(shown):\(port) (\(info.renderer), \(info.isSoftware ? "software" : "hardware")\(token == nil ? ", no token: loopback only" : ""))\n"
                        FileHandle.standardOutput.write(Data(line.utf8))
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                done.signal()
            }
            done.wait()
            if let error = failure.withLock({ $0 }) {
                throw ReelError(.workerUnavailable, "the worker stopped: \(error)",
                                detail: "is port \(port) already in use? pick another with --listen")
            }
        }
    }
}

/// The bearer token shared by workers and coordinators: `--token-file`, else REEL_WORKER_TOKEN.
/// - Throws: `E-IO-READ` for an unreadable or empty token file.
func workerToken(file: String?) throws -> String? {
    if let file {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ReelError(.fileUnreadable, "cannot read the token file '\(file)'")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ReelError(.fileUnreadable, "the token file '\(file)' is empty") }
        return token
    }
    let token = ProcessInfo.processInfo.environment["REEL_WORKER_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines)
    return token?.isEmpty == false ? token : nil
}
