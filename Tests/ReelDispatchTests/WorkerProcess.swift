import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

// Helpers for tests that talk to a real `reel worker` over HTTP: `WorkerProcess` starts and
// stops one, `WorkerHTTP` sends it requests. The binary is `.build/debug/reel`, which
// `swift test` does not build for this target: run `swift build --product reel` first.

/// A `reel worker` process listening on a free loopback port, with its own cache folder.
///
/// Stopped with SIGTERM, then SIGKILL when it has not exited after a grace period, by
/// `stop()` or at the latest by `deinit`; the cache folder is removed with it.
final class WorkerProcess: Sendable {
    /// The package root, found from this file's path so tests run from any folder.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The `reel` the workers run: REEL_WORKER_BINARY when set (to run these tests against
    /// another build, an earlier one to see a test fail before its fix), else this package's.
    static let binary = ProcessInfo.processInfo.environment["REEL_WORKER_BINARY"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.appendingPathComponent(".build/debug/reel")

    /// A worker that exited, or never said it was listening.
    struct StartFailure: Error, CustomStringConvertible {
        /// The exit status, or nil when it was still running (and then killed) at the deadline.
        var status: Int32?
        var stdout: String
        var stderr: String
        var description: String {
            "reel worker " + (status.map { "exited with status \($0)" } ?? "did not start listening in time") + "\nstdout: \(stdout)\nstderr: \(stderr)"
        }
    }

    let process: Process
    /// The bound port.
    let port: Int
    /// The token in the worker's environment; nil for a worker without one.
    let token: String?
    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    /// The `--cache-dir` (blobs and scratch), removed on stop.
    let cacheFolder: URL
    private let output: OutputLog

    /// Starts `reel worker --listen <host>:0 --cache-dir <fresh folder> <arguments>` and
    /// waits for its "listening on" line.
    /// - Parameters:
    ///   - token: put in REEL_WORKER_TOKEN; nil leaves the variable out of the environment.
    ///   - environment: more variables (`REEL_WORKER_FAULT`…).
    ///   - ulimit: arguments for the shell's `ulimit` before the worker starts (`-n 256`): the
    ///     worker is then exec'd by `/bin/sh`, and is still the process this object holds.
    /// - Throws: `StartFailure` when it exits or does not listen within `timeout` seconds.
    init(token: String? = WorkerProcess.makeToken(), arguments: [String] = [], environment: [String: String] = [:],
         host: String = "127.0.0.1", ulimit: String? = nil, timeout: Double = 60) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw StartFailure(status: nil, stdout: "", stderr: "\(Self.binary.path) is missing: run `swift build --product reel` first")
        }
        cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-worker-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        for name in ["REEL_WORKER_TOKEN", "REEL_WORKER_FAULT"] { env[name] = nil }
        env["REEL_WORKER_TOKEN"] = token
        env.merge(environment) { $1 }

        let process = Process()
        let workerArguments = ["worker", "--listen", "\(host):0", "--cache-dir", cacheFolder.path] + arguments
        if let ulimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit \(ulimit) && exec \"$0\" \"$@\"", Self.binary.path] + workerArguments
        } else {
            process.executableURL = Self.binary
            process.arguments = workerArguments
        }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        let output = OutputLog()
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        output.collect(out, isError: false)
        output.collect(err, isError: true)
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: cacheFolder)
            throw error
        }
        (self.process, self.output, self.token) = (process, output, token)

        let deadline = Date().addingTimeInterval(timeout)
        var port: Int?
        while port == nil, process.isRunning, Date() < deadline {
            port = Self.listeningPort(in: output.stdout)
            if port == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        port = port ?? Self.listeningPort(in: output.stdout)
        guard let port else {
            let exited = !process.isRunning
            Self.stop(process, grace: 1)
            output.waitForEnd(timeout: 2)
            try? FileManager.default.removeItem(at: cacheFolder)
            throw StartFailure(status: exited ? process.terminationStatus : nil, stdout: output.stdout, stderr: output.stderr)
        }
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit {
        stop()
    }

    /// A fresh random token.
    static func makeToken() -> String { "test-" + UUID().uuidString }

    /// A client for this worker that sends its token.
    var http: WorkerHTTP { WorkerHTTP(baseURL: baseURL, token: token) }

    /// What the worker printed so far.
    var stdout: String { output.stdout }
    var stderr: String { output.stderr }

    var isRunning: Bool { process.isRunning }

    /// Its child processes now (its render processes), from /proc.
    var children: [Int32] {
        let tasks = "/proc/\(process.processIdentifier)/task"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        return ids.flatMap { id in
            ((try? String(contentsOfFile: "\(tasks)/\(id)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
        }
    }

    /// The names of its threads now, from /proc.
    var threadNames: [String] {
        let tasks = "/proc/\(process.processIdentifier)/task"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        return ids.compactMap { try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// A line of /proc/PID/status (`VmRSS`, …) as its first number.
    func status(_ field: String) -> Int? {
        let text = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
    func waitUntil(timeout: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// Waits (polling) until the worker's stderr contains `text`.
    /// - Returns: false when it did not within `timeout` seconds.
    func waitForLog(_ text: String, timeout: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.stderr.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return output.stderr.contains(text)
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; removes the cache folder. Idempotent.
    func stop(grace: Double = 5) {
        Self.stop(process, grace: grace)
        try? FileManager.default.removeItem(at: cacheFolder)
    }

    private static func stop(_ process: Process, grace: Double) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        // Polled, not `waitUntilExit()`: Foundation's spins a run loop and was seen never to
        // return for a process it had already reaped, holding a test thread at full CPU.
        let killed = Date().addingTimeInterval(5)
        while process.isRunning, Date() < killed { Thread.sleep(forTimeInterval: 0.02) }
    }

    /// The port of `reel worker: listening on http://HOST:PORT (...)`.
    static func listeningPort(in stdout: String) -> Int? {
        for line in stdout.split(separator: "\n") where line.hasPrefix("reel worker: listening on http://") {
            let address = line.dropFirst("reel worker: listening on http://".count).prefix { $0 != " " }
            if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) { return port }
        }
        return nil
    }
}

/// A child's stdout and stderr, gathered as they come.
private final class OutputLog: Sendable {
    private struct State { var stdout = Data(), stderr = Data(), open = 2 }
    private let state = Mutex(State())

    var stdout: String { state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    var stderr: String { state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    func collect(_ pipe: Pipe, isError: Bool) {
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            state.withLock { s in
                if data.isEmpty {
                    s.open -= 1
                } else if isError {
                    s.stderr.append(data)
                } else {
                    s.stdout.append(data)
                }
            }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
    }

    /// Waits for both pipes to close (the child exited), so the last lines are in.
    func waitForEnd(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while state.withLock({ $0.open > 0 }), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }
}

// MARK: - HTTP

/// Sends requests to a worker and hands back status, headers and body as they came,
/// whatever the status: tests assert on error answers as much as on successes.
struct WorkerHTTP: Sendable {
    /// What goes in `Authorization`.
    enum Credentials: Sendable {
        /// `Bearer <the worker's token>` (nothing when it has none).
        case token
        /// No `Authorization` header.
        case none
        /// This header value, as given.
        case header(String)
    }

    /// One answer.
    struct Answer: Sendable, CustomStringConvertible {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a worker error (`{"error", "code", "detail"}`), if it is one.
        var error: (message: String, code: String, detail: String?)? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let message = object["error"] as? String, let code = object["code"] as? String else { return nil }
            return (message, code, object["detail"] as? String)
        }
        /// The error code of a JSON error answer.
        var code: String? { error?.code }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

        var description: String {
            "\(status) " + (body.count > 600 ? "(\(body.count) bytes) " + String(decoding: body.prefix(600), as: UTF8.self) + "…" : text)
        }
    }

    var baseURL: String
    var token: String?

    /// Sends one request; `timeout` bounds the whole exchange.
    /// - Throws: AsyncHTTPClient's errors (connection refused, timeout): no answer came.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
              credentials: Credentials = .token, timeout: Double = 60) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        switch credentials {
        case .token: if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        case .none: break
        case let .header(value): request.headers.add(name: "Authorization", value: value)
        }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        var buffer = try await response.body.collect(upTo: 1 << 30)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
    }

    func health(credentials: Credentials = .token) async throws -> Answer {
        try await send(.GET, "/v1/health", credentials: credentials)
    }

    func render(_ json: [UInt8], credentials: Credentials = .token, timeout: Double = 60) async throws -> Answer {
        try await send(.POST, "/v1/render", body: json, contentType: "application/json", credentials: credentials, timeout: timeout)
    }

    /// Uploads `bytes` as `/v1/blobs/<name>` (their SHA-256 unless told otherwise).
    func putBlob(_ bytes: [UInt8], as name: String, credentials: Credentials = .token) async throws -> Answer {
        try await send(.PUT, "/v1/blobs/\(name)", body: bytes, contentType: "application/octet-stream", credentials: credentials)
    }

    func headBlob(_ name: String, credentials: Credentials = .token) async throws -> Answer {
        try await send(.HEAD, "/v1/blobs/\(name)", credentials: credentials)
    }
}
