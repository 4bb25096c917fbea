import Foundation
import Testing

/// Floods on a real `reel worker` from a second process (Support/worker_flood.py, raw
/// loopback sockets), each with a health request on a fresh connection every 100 ms and the
/// worker's resident memory sampled every 50 ms (issue #15): slow heads, idle connections and
/// slow bodies; connections past the descriptor limit; large uploads; large requests the
/// worker must refuse; then all of them at once. The worker must stay up, close what a client
/// holds for nothing, answer every health request, 95 in 100 of them within `healthBound`
/// and none later than `healthCeiling`, and keep its memory within its configured limits. One
/// flood at a time: they measure latency.
@Suite(.serialized) struct WorkerFloodTests {
    /// What the issue asks of health under any flood. Measured on a two-core machine shared
    /// with two compilers (load 6): a median of 2-3 ms, and a probe in twenty or so between
    /// 60 and 300 ms when all floods start at once and the machine's scheduler is full, which
    /// is why the bound is on the 95th percentile. Before, health took 6.5 s under the
    /// admission flood alone, and the descriptor flood killed the worker.
    static let healthBound = 200.0
    /// No health answer may take longer than this, whatever the machine is doing.
    static let healthCeiling = 1000.0

    /// One run of the script: its JSON report.
    struct Report {
        var json: [String: Any]

        var alive: Bool { json["alive"] as? Bool ?? false }
        /// Health answers: status and milliseconds.
        var health: [(status: String, ms: Double)] {
            (json["health"] as? [[String: Any]] ?? []).map { ($0["status"] as? String ?? "?", $0["ms"] as? Double ?? .infinity) }
        }
        var rssBefore: Double { json["rss_before_mib"] as? Double ?? 0 }
        var rssPeak: Double { (json["rss_mib"] as? [Double] ?? []).max() ?? .infinity }
        /// Seconds each connection of `kind` took to be closed by the worker (nil: still open).
        func closedAfter(_ kind: String) -> [Double?] { (json[kind] as? [Any] ?? []).map { $0 as? Double } }
        /// Answers of `kind` ("uploads", "admissions"): status, Retry-After, seconds.
        func answers(_ kind: String) -> [(status: String, retryAfter: String?, seconds: Double?)] {
            (json[kind] as? [[String: Any]] ?? []).map { ($0["status"] as? String ?? "?", $0["retry-after"] as? String, $0["seconds"] as? Double) }
        }

        var healthSummary: String {
            let ms = health.map(\.ms).sorted()
            let p95 = ms.isEmpty ? 0 : ms[(ms.count - 1) * 95 / 100]
            return "health: \(ms.count) answers, median \(ms.isEmpty ? 0 : ms[ms.count / 2]) ms, p95 \(p95) ms, max \(ms.last ?? 0) ms; RSS \(rssBefore) → peak \(rssPeak) MiB"
        }
    }

    static func flood(_ worker: WorkerProcess, _ floods: String, _ options: [String]) async throws -> Report {
        let script = WorkerProcess.packageRoot.appendingPathComponent("Tests/ReelDispatchTests/Support/worker_flood.py").path
        let arguments = [script, String(worker.port), worker.token ?? "", String(worker.process.processIdentifier), floods] + options
        let output = try await offThread { try runToEnd("/usr/bin/python3", arguments, limit: 180) }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        return Report(json: json)
    }

    /// The worker lived, every health request was answered 200, 95 in 100 within
    /// `healthBound`, none after `healthCeiling`.
    static func expectHealthy(_ report: Report, _ worker: WorkerProcess, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.alive && worker.isRunning, "the worker died: \(worker.stderr.suffix(1500))", sourceLocation: sourceLocation)
        #expect(report.health.count >= 3, "health was asked during the flood: \(report.healthSummary)", sourceLocation: sourceLocation)
        #expect(report.health.allSatisfy { $0.status == "200" }, "\(report.health.filter { $0.status != "200" })", sourceLocation: sourceLocation)
        let ms = report.health.map(\.ms).sorted()
        let p95 = ms.isEmpty ? .infinity : ms[(ms.count - 1) * 95 / 100]
        #expect(p95 <= healthBound, "95th percentile \(p95) ms; \(report.healthSummary)", sourceLocation: sourceLocation)
        #expect((ms.last ?? .infinity) <= healthCeiling, "\(report.healthSummary)", sourceLocation: sourceLocation)
    }

    /// A small render request, in a file for the script.
    static func renderFile() throws -> String {
        let file = NSTemporaryDirectory() + "reel-flood-\(UUID().uuidString).json"
        try Data(RenderRequestJSON.encode(RenderRequestJSON.tiny())).write(to: URL(fileURLWithPath: file))
        return file
    }

    // MARK: - One flood at a time

    /// 10: a head sent a byte a second, a connection that sends nothing and a body sent a byte
    /// a second are each closed after `--header-timeout` (the body by `--min-body-rate`).
    @Test func slowHeadsIdleConnectionsAndSlowBodiesAreClosedWhileHealthAnswers() async throws {
        let worker = try WorkerProcess(arguments: ["--header-timeout", "1"])
        defer { worker.stop() }
        let report = try await Self.flood(worker, "slowloris", ["--heads", "100", "--idle", "50", "--slow-bodies", "10", "--seconds", "4"])
        for kind in ["slow-head", "idle", "slow-body"] {
            let closed = report.closedAfter(kind)
            #expect(closed.count == (kind == "slow-head" ? 100 : kind == "idle" ? 50 : 10), "\(kind) sent")
            // One second, and as much again for timer slack on a busy machine.
            #expect(closed.allSatisfy { $0.map { $0 <= 3 } ?? false }, "\(kind): closed after \(closed) s (nil: held to the end)")
        }
        Self.expectHealthy(report, worker)
        print("slowloris: \(report.healthSummary)")
    }

    /// 11: with 256 descriptors (soft and hard), 400 idle connections and four renders: the
    /// worker closes the longest idle to make room and stays up; the renders get their answer.
    @Test func connectionsPastTheDescriptorLimitDoNotKillTheWorker() async throws {
        let worker = try WorkerProcess(arguments: ["--max-renders", "2"], ulimit: "-n 256")
        defer { worker.stop() }
        #expect(worker.stderr.contains("at most 128 connections"), "\(worker.stderr)")
        let file = try Self.renderFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let report = try await Self.flood(worker, "descriptors", ["--connections", "400", "--renders", "4", "--render", file, "--seconds", "4"])
        let renders = report.json["renders"] as? [String] ?? []
        #expect(renders.count == 4 && renders.allSatisfy { $0 == "200" || $0 == "429" } && renders.contains("200"), "renders: \(renders)")
        #expect(report.json["opened"] as? Int == 400, "the worker kept accepting: \(report.json["opened"] ?? "?")")
        Self.expectHealthy(report, worker)
        // A render the flood left running may hold the slot a moment longer: a client waits as
        // Retry-After says, so this one does too (for up to a minute on a loaded machine).
        var after = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        let retryUntil = Date().addingTimeInterval(60)
        while after.status == 429, Date() < retryUntil {
            try await Task.sleep(for: .seconds(1))
            after = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        }
        #expect(after.status == 200, "\(after)")
        print("descriptors: \(report.healthSummary)")
    }

    /// 12: four 128 MiB uploads at once on `--max-uploads 2`: two are streamed to disk (the
    /// worker's memory grows by buffers, not by the bytes in flight) and two get 429.
    @Test func uploadsAreStreamedToDiskAndCappedAtOnce() async throws {
        let worker = try WorkerProcess(arguments: ["--max-uploads", "2"])
        defer { worker.stop() }
        let report = try await Self.flood(worker, "uploads", ["--uploads", "4", "--upload-mib", "128", "--seconds", "120"])
        let uploads = report.answers("uploads")
        #expect(uploads.map(\.status).sorted() == ["201", "201", "429", "429"], "\(uploads)")
        #expect(uploads.filter { $0.status == "429" }.allSatisfy { $0.retryAfter == "1" }, "\(uploads)")
        // 256 MiB were in flight; holding them would have taken 1.4-3 times that.
        #expect(report.rssPeak - report.rssBefore <= 32, "\(report.healthSummary)")
        let stored = try FileManager.default.contentsOfDirectory(atPath: worker.cacheFolder.path + "/blobs")
        #expect(stored.count == 2 && !stored.contains { $0.hasPrefix(".") }, "\(stored)")
        for name in stored {
            let size = try FileManager.default.attributesOfItem(atPath: worker.cacheFolder.path + "/blobs/" + name)[.size] as? Int
            #expect(size == 128 << 20)
        }
        Self.expectHealthy(report, worker)
        print("uploads: \(report.healthSummary)")
    }

    /// 14: twelve 7 MB requests at once with frame ranges the worker must refuse (half over
    /// `--max-frames`, half past the scene's end): no scene is decoded on the worker's own
    /// threads, those over its request memory get 429 at once, and health keeps answering.
    /// A scene's decode (in a render process) that outlives `--admission-time-limit` is
    /// stopped with 422.
    @Test func largeBadRequestsAreRefusedWithoutStallingHealth() async throws {
        let worker = try WorkerProcess(arguments: ["--admission-time-limit", "2"])
        defer { worker.stop() }
        let report = try await Self.flood(worker, "admissions", ["--admissions", "12", "--admission-mib", "7", "--seconds", "120"])
        let answers = report.answers("admissions")
        #expect(answers.count == 12 && answers.allSatisfy { ["400", "422", "429"].contains($0.status) }, "\(answers)")
        #expect(answers.contains { $0.status == "400" }, "\(answers)")
        let busy = answers.filter { $0.status == "429" }
        #expect(busy.allSatisfy { $0.retryAfter == "1" && ($0.seconds ?? .infinity) < 5 }, "429s come at once: \(busy)")
        Self.expectHealthy(report, worker)
        print("admissions: \(report.healthSummary)")
    }

    // MARK: - Everything at once

    /// Under every flood above at once, with 256 descriptors: the worker stays up, answers
    /// health, and its memory stays under what its limits allow plus 64 MiB. Those limits
    /// here: `--request-memory` 64 MiB (requests being read and parsed), two uploads' buffers
    /// (NIO reads 64 KiB at a time, a few queued: 1 MiB each at most), and 128 connections'
    /// decoder and channel buffers (64 KiB each at most): 64 + 2 + 8 = 74 MiB over its idle size.
    @Test func theWorkerStaysUpAndBoundedUnderEveryFloodAtOnce() async throws {
        let worker = try WorkerProcess(arguments: ["--header-timeout", "1", "--max-uploads", "2", "--admission-time-limit", "2"], ulimit: "-n 256")
        defer { worker.stop() }
        let file = try Self.renderFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let idle = Double(worker.status("VmRSS") ?? 0) / 1024
        let report = try await Self.flood(worker, "slowloris,descriptors,uploads,admissions",
                                          ["--connections", "400", "--render", file, "--uploads", "4", "--upload-mib", "64",
                                           "--admissions", "12", "--admission-mib", "7", "--seconds", "8"])
        Self.expectHealthy(report, worker)
        let configured = 64.0 + 2 + 128.0 / 16
        #expect(report.rssPeak - idle <= configured + 64, "idle \(idle) MiB; \(report.healthSummary)")
        // A render the flood left running may hold the slot a moment longer: a client waits as
        // Retry-After says, so this one does too (for up to a minute on a loaded machine).
        var after = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        let retryUntil = Date().addingTimeInterval(60)
        while after.status == 429, Date() < retryUntil {
            try await Task.sleep(for: .seconds(1))
            after = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        }
        #expect(after.status == 200, "\(after)")
        print("every flood: idle \(idle) MiB; \(report.healthSummary); uploads \(report.answers("uploads").map(\.status)); admissions \(report.answers("admissions").map(\.status)); renders \(report.json["renders"] ?? "?")")
    }
}
