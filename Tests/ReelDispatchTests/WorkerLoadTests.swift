import Foundation
import Testing

/// `reel worker` under load from a second process (Support/worker_load.py, raw loopback
/// sockets): hundreds of concurrent health requests, malformed requests of every kind, idle
/// connections held open and a burst of renders over its slots, eight times. The worker must stay
/// up, answer every well-formed request, refuse every malformed one with a 4xx (or close it),
/// never a 5xx, answer 429 with Retry-After when full, and its memory must stop growing.
@Suite(.serialized) struct WorkerLoadTests {
    /// Memory the first four rounds may add, and how far four more, identical rounds may raise
    /// their high-water mark. The worker renders in processes of its own and streams chunks
    /// from disk, so rounds leave nothing behind: measured +4.4 MiB over the first four
    /// rounds (HTTP buffers, malloc arenas of its threads) and +0.4 MiB over the next four
    /// (66 → 70.7 MiB). Rendering in the worker itself, with a GL context per slot, it grew
    /// 162 → 243 MiB and was still climbing. A worker that kept 7 KB of each of a round's 640
    /// requests would raise the peak 16 MiB.
    static let firstRoundsMiB = 32.0
    static let laterRoundsMiB = 8.0

    struct LoadReport: Decodable {
        struct Round: Decodable {
            var answers: [String: [String: Int]]
            var retry_after: [String?]
            var idle_held: Int
            var seconds: Double
            var health_ms_p50: Double?
            var health_ms_p99: Double?
        }
        var rss_mib: [Double]
        var rounds: [Round]
        var alive: Bool
    }

    /// A 256×256, 20-frame render: long enough that a burst of 24 overlaps on two slots.
    static let scene = """
        reel: 1
        canvas: { size: [256, 256], duration: 20f, background: "#101018" }
        layers:
          - circle: { radius: 60 }
            position: { keys: [[0f, [60, 128]], [19f, [196, 128]]] }
            fill: "#4ecca3"

        """

    @Test func theWorkerStaysUpAndBoundedUnderConcurrentAndMalformedLoad() async throws {
        let worker = try WorkerProcess(arguments: ["--max-renders", "2"])
        defer { worker.stop() }
        var body = RenderRequestJSON.tiny(scene: Self.scene)
        // Frames 0-19, not the fixture's 0-2.
        RenderRequestJSON.set(&body, ["last"], to: 19)
        let file = NSTemporaryDirectory() + "reel-load-\(UUID().uuidString).json"
        try Data(RenderRequestJSON.encode(body)).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        // One render first, so both rounds start from a worker that has rendered.
        let warm = try await worker.http.render(RenderRequestJSON.encode(body))
        try #require(warm.status == 200, "a valid render: \(warm)")

        let script = WorkerProcess.packageRoot.appendingPathComponent("Tests/ReelDispatchTests/Support/worker_load.py").path
        let arguments = [script, String(worker.port), worker.token ?? "", file, String(worker.process.processIdentifier), "8"]
        let output = try await offThread { try runToEnd("/usr/bin/python3", arguments, limit: 240) }
        let report = try JSONDecoder().decode(LoadReport.self, from: Data(output.utf8))

        #expect(report.alive && worker.isRunning, "the worker died: \(worker.stderr.suffix(1500))")
        for (index, round) in report.rounds.enumerated() {
            let note = "round \(index + 1): \(round.answers)"
            #expect(round.answers["health"] == ["200": 400], "\(note)")
            #expect(round.answers["wrong-token"] == ["401": 50], "\(note)")
            #expect(round.answers["bad-json"] == ["400": 30], "\(note)")
            #expect(round.answers["unknown-path"] == ["404": 20], "\(note)")
            for kind in ["random-bytes", "unfinished-head", "huge-header", "body-cut-short", "declared-too-large", "bad-blob-name"] {
                let statuses = round.answers[kind] ?? [:]
                #expect(statuses.values.reduce(0, +) > 0, "\(kind) was sent")
                // A refusal or a closed connection; never a server error, never silence.
                #expect(statuses.keys.allSatisfy { $0 == "closed" || $0.hasPrefix("4") }, "\(kind): \(statuses)")
            }
            let renders = round.answers["render"] ?? [:]
            #expect((renders["200"] ?? 0) >= 2, "renders: \(renders)")
            #expect((renders["429"] ?? 0) >= 1, "a burst over the slots is told to come back: \(renders)")
            #expect(renders.keys.allSatisfy { $0 == "200" || $0 == "429" }, "renders: \(renders)")
            #expect(round.retry_after.allSatisfy { $0 == "1" }, "every 429 carries Retry-After: \(round.retry_after)")
            #expect(round.idle_held == 50, "idle connections were held open through the round")
        }
        let rss = report.rss_mib
        try #require(rss.count == 9)
        let early = rss[1...4].max() ?? 0, later = rss[5...].max() ?? 0
        #expect(early - rss[0] <= Self.firstRoundsMiB, "the first four rounds grew the worker from \(rss[0]) to \(early) MiB")
        #expect(later - early <= Self.laterRoundsMiB, "four more, identical rounds raised its high-water mark from \(early) to \(later) MiB")
        // After all that, a valid render still works.
        let after = try await worker.http.render(RenderRequestJSON.encode(body))
        #expect(after.status == 200, "a render after the load: \(after)")
        print("worker load: RSS \(rss) MiB; health p50/p99 \(report.rounds.map { "\($0.health_ms_p50 ?? 0)/\($0.health_ms_p99 ?? 0) ms" }); answers \(report.rounds.map(\.answers))")
    }
}

/// Runs a program to its end and returns its standard output; throws with its standard error
/// when it fails or outlives `limit` seconds.
func runToEnd(_ executable: String, _ arguments: [String], limit: Double) throws -> String {
    struct Failed: Error, CustomStringConvertible { var description: String }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("reel-run-\(UUID().uuidString)")
    let err = out.appendingPathExtension("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
    }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = Date().addingTimeInterval(limit)
    while process.isRunning, Date() < deadline { usleep(50_000) }
    if process.isRunning {
        process.terminate()
        while process.isRunning { usleep(50_000) }
        throw Failed(description: "\(executable) did not finish in \(Int(limit)) s")
    }
    let stderr = String(decoding: FileManager.default.contents(atPath: err.path) ?? Data(), as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw Failed(description: "\(executable) exited \(process.terminationStatus): \(stderr.suffix(2000))")
    }
    return String(decoding: FileManager.default.contents(atPath: out.path) ?? Data(), as: UTF8.self)
}
