import Foundation
import Reel
import ReelCore

/// Where `--dispatch` sends chunks.
public enum DispatchTarget: Sendable, Hashable, CustomStringConvertible {
    /// N `reel worker` processes started on loopback for this job.
    case local(Int)
    /// Self-hosted workers.
    case urls([String])
    /// One Modal web endpoint that scales containers out; many chunks go to it at once.
    case modal(String)

    /// Parses `local:N`, `URL[,URL…]` or `modal:URL`.
    /// - Throws: `E-CLI-ARGUMENT` with the accepted forms.
    public static func parse(_ text: String) throws -> DispatchTarget {
        let forms = "use local:N (N worker processes here), http://host:port[,http://host:port…] or modal:https://…modal.run"
        if text.hasPrefix("local:") {
            guard let n = Int(text.dropFirst(6)), (1...256).contains(n) else {
                throw ReelError(.badArgument, "--dispatch \(text): N must be 1…256", detail: forms)
            }
            return .local(n)
        }
        if text.hasPrefix("modal:") {
            let url = String(text.dropFirst(6))
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ReelError(.badArgument, "--dispatch \(text): the Modal endpoint must be a URL", detail: "`modal deploy reel_modal.py` prints it; " + forms)
            }
            return .modal(url)
        }
        let urls = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !urls.isEmpty, urls.allSatisfy({ $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
            throw ReelError(.badArgument, "--dispatch \(text) is not a dispatch target", detail: forms)
        }
        return .urls(urls)
    }

    public var description: String {
        switch self {
        case let .local(n): return "\(n) local worker\(n == 1 ? "" : "s")"
        case let .urls(urls): return urls.joined(separator: ", ")
        case let .modal(url): return "Modal at " + url
        }
    }

    /// Render slots this target offers before asking any worker.
    public func slots(maxInFlight: Int?) -> Int {
        switch self {
        case let .local(n): return n
        case let .urls(urls): return maxInFlight.map { max($0, urls.count) } ?? urls.count
        case .modal: return maxInFlight ?? 16
        }
    }
}

/// `reel worker` processes on loopback, started for one job and stopped after it.
public final class LocalWorkers: @unchecked Sendable {
    public private(set) var endpoints: [WorkerEndpoint] = []
    private var processes: [Process] = []
    private let folder: String

    /// Starts `count` workers from this same executable, each with its own cache folder and
    /// a token made for this job.
    /// - Throws: `E-DISPATCH-WORKER` when one does not come up within 60 s.
    public init(count: Int, executable: String = LocalWorkers.currentExecutable) throws {
        folder = NSTemporaryDirectory() + "reel-local-workers-\(UUID().uuidString)"
        let token = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        do {
            for index in 0..<count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["worker", "--listen", "127.0.0.1:0", "--cache-dir", folder + "/w\(index + 1)", "--exit-with-parent"]
                var environment = ProcessInfo.processInfo.environment
                environment["REEL_WORKER_TOKEN"] = token
                process.environment = environment
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                processes.append(process)
                let port = try Self.waitForPort(out.fileHandleForReading, timeout: 60)
                endpoints.append(WorkerEndpoint(url: "http://127.0.0.1:\(port)", token: token, name: "local \(index + 1)"))
            }
        } catch {
            stop()
            if let error = error as? ReelError { throw error }
            throw ReelError(.workerUnavailable, "cannot start local workers: \(error.localizedDescription)")
        }
    }

    /// Stops every worker (SIGTERM, then SIGKILL after 5 s) and removes their folders.
    public func stop() {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        processes = []
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit { stop() }

    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private static func waitForPort(_ handle: FileHandle, timeout: Double) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }  // the worker exited
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"listening on http://[^ ]*:(\d+)"#, options: .regularExpression) {
                let match = String(text[range])
                if let port = Int(match.split(separator: ":").last ?? "") { return port }
            }
        }
        throw ReelError(.workerUnavailable, "a local worker did not start", detail: text.isEmpty ? "run `reel worker --listen 127.0.0.1:0` to see why" : text)
    }
}
