import ArgumentParser
import Foundation
import Reel
import ReelCore
import RemoteDispatch
import Synchronization

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve chunk renders to coordinators over HTTP (remote dispatch).",
        discussion: """
        A coordinator (`reel render … --dispatch URL`) sends a scene with its files by hash and a frame range; the worker renders the chunk and answers with the encoded bytes, their SHA-256 and a checksum of every frame.

        Every request needs `Authorization: Bearer <token>`, health included. The token comes from REEL_WORKER_TOKEN or --token-file; the coordinator reads the same variable. Without a token the worker listens on loopback only.

        Endpoints: GET /v1/health, HEAD|PUT /v1/blobs/<sha256>, POST /v1/render.

        Examples:
          REEL_WORKER_TOKEN=s3cret reel worker --listen 0.0.0.0:7600
          reel worker --listen 127.0.0.1:0          (loopback, no token, a free port)
          reel worker --listen 0.0.0.0:7600 --token-file /etc/reel/token --require-hardware
        """
    )

    @Option(help: ArgumentHelp("Address and port to listen on; port 0 picks a free one (printed on start).", valueName: "host:port"))
    var listen = "127.0.0.1:7600"

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Read the bearer token from this file instead of REEL_WORKER_TOKEN.", valueName: "path"))
    var tokenFile: String?

    @Flag(name: .customLong("require-hardware"), help: "Refuse to serve when the renderer is a software one (llvmpipe): a GPU box that lost its GPU fails fast instead of crawling.")
    var requireHardware = false

    @Option(name: .customLong("max-renders"), help: ArgumentHelp("Chunks rendered at once; more requests get 429. The default is 1.", valueName: "n"))
    var maxRenders = 1

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Where received files are kept by hash. The default is ~/.cache/reel/worker.", valueName: "path"))
    var cacheDirectory: String?

    @Option(name: .customLong("cache-size"), help: ArgumentHelp("Keep at most this many MB of received files. The default is 4096.", valueName: "MB"))
    var cacheSize = 4096

    @Option(name: .customLong("max-pixel-frames"), help: ArgumentHelp("Refuse requests for more than this many pixels × frames. The default is 3600 frames of 1080p.", valueName: "n"))
    var maxPixelFrames = 1920 * 1080 * 3600

    @Option(name: .customLong("max-blob-size"), help: ArgumentHelp("Refuse uploaded files larger than this many MB (413). The default is 1024.", valueName: "MB"))
    var maxBlobSize = 1024

    @Flag(name: .customLong("exit-with-parent"), help: .hidden)
    var exitWithParent = false

    func validate() throws {
        guard (1...64).contains(maxRenders) else { throw ValidationError("--max-renders must be 1…64") }
        guard cacheSize > 0 else { throw ValidationError("--cache-size must be more than 0") }
        guard (1...(1 << 20)).contains(maxBlobSize) else { throw ValidationError("--max-blob-size must be 1…1048576 (MB)") }
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
            configuration.maxPixelFrames = maxPixelFrames
            configuration.maxBlobBytes = maxBlobSize << 20
            configuration.fault = ProcessInfo.processInfo.environment["REEL_WORKER_FAULT"].flatMap(WorkerFault.init(rawValue:))
            let worker = try Worker(configuration: configuration, plugins: ReelCLI.plugins)
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
