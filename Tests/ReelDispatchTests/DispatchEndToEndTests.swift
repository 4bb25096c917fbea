import Foundation
import Reel
import ReelGL
import ReelMedia
@testable import ReelDispatch
import Synchronization
import Testing

/// `reel render --dispatch` against real `reel worker` processes on loopback: the output
/// must be what a single-machine render gives, whatever the workers do wrong.
@Suite(.serialized)
final class DispatchEndToEndTests {
    static let scenes = WorkerProcess.packageRoot.appendingPathComponent("Scenes").path

    /// A scratch folder with its own chunk cache.
    let folder: String = {
        let path = NSTemporaryDirectory() + "reel-dispatch-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    var cache: String { folder + "/cache" }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    @Test func localWorkersWriteTheSamePNGsAsALocalRenderWarmUpIncluded() async throws {
        // fireworks: particles under a persistent-buffer shader with a 60-frame warm-up, so
        // every chunk must draw its warm-up window to match.
        let scene = Self.scenes + "/fireworks.yaml"
        let dispatched = try await reel(["render", scene, "-o", folder + "/d/####.png", "--frames", "60-71", "--scale", "0.25",
                                   "--dispatch", "local:3", "--chunk-frames", "4", "--chunk-cache", cache])
        #expect(dispatched.status == 0, "\(dispatched.stderr)")
        let local = try await reel(["render", scene, "-o", folder + "/l/####.png", "--frames", "60-71", "--scale", "0.25"])
        #expect(local.status == 0, "\(local.stderr)")
        for frame in 60...71 {
            let name = String(format: "/%04d.png", frame)
            let a = FileManager.default.contents(atPath: folder + "/d" + name)
            let b = FileManager.default.contents(atPath: folder + "/l" + name)
            #expect(a != nil && a == b, "frame \(frame) differs")
        }
        let manifest = try readManifest(folder + "/d/reel-manifest.json")
        #expect(manifest.chunks.count == 3 && manifest.frameChecksums.count == 12)
    }

    @Test func workerURLsGiveTheFramesOfALocalRenderInOnePlayableFile() async throws {
        let token = WorkerProcess.makeToken()
        let workers = try [WorkerProcess(token: token), WorkerProcess(token: token)]
        defer { workers.forEach { $0.stop() } }
        let scene = Self.scenes + "/effects.yaml"  // a LUT file travels as a blob
        let out = folder + "/urls.mp4"
        let run = try await reel(["render", scene, "-o", out, "--frames", "0-29", "--scale", "0.25", "--dispatch", workers.map(\.baseURL).joined(separator: ","),
                            "--chunk-frames", "8", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try readManifest(out + ".manifest.json")
        #expect(Set(manifest.chunks.compactMap(\.worker)).count == 2, "both workers rendered")
        // The checksums equal the same chunks rendered here, and the frames of a plain render.
        let expected = try await localChecksums(scene: scene, frames: 0...29, chunks: manifest.chunks.map { $0.first...$0.last }, out: out)
        #expect(manifest.frameChecksums == expected.chunked)
        #expect(manifest.frameChecksums == expected.whole)
        let report = try ChunkJoiner.verify(out, expectedFrames: 30)
        #expect(report.frames == 30)
        try await expectPlaysThrough(out, frames: 30)
    }

    @Test func aWorkerKilledMidChunkIsRoutedAround() async throws {
        let token = WorkerProcess.makeToken()
        let workers = try (0..<3).map { _ in try WorkerProcess(token: token) }
        defer { workers.forEach { $0.stop() } }
        let out = folder + "/killed.mp4"
        let job = try startReel(["render", Self.scenes + "/effects.yaml", "-o", out, "--frames", "0-47", "--scale", "0.25",
                                 "--dispatch", workers.map(\.baseURL).joined(separator: ","), "--chunk-frames", "4", "--chunk-cache", cache],
                                environment: ["REEL_WORKER_TOKEN": token])
        #expect(await workers[0].waitForLog("started"), "worker 1 never got a chunk")
        kill(workers[0].process.processIdentifier, SIGKILL)
        let result = await job.wait()
        #expect(result.status == 0, "\(result.stderr)")
        try await expectSameAsLocal(out, scene: Self.scenes + "/effects.yaml", frames: 0...47)
    }

    @Test func corruptChunksAreRejectedAndTheWorkerDropped() async throws {
        let token = WorkerProcess.makeToken()
        let liar = try WorkerProcess(token: token, environment: ["REEL_WORKER_FAULT": "corrupt"])
        let honest = try WorkerProcess(token: token)
        defer { liar.stop(); honest.stop() }
        let out = folder + "/corrupt.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-39", "--dispatch", "\(liar.baseURL),\(honest.baseURL)",
                            "--chunk-frames", "5", "--chunk-cache", cache, "--progress", "json"], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(liar.stderr.contains("started"), "the corrupting worker was never asked")
        let manifest = try readManifest(out + ".manifest.json")
        #expect(manifest.chunks.allSatisfy { $0.worker == "127.0.0.1:\(honest.port)" }, "a corrupt chunk was kept")
        #expect(run.stderr.contains("\"state\":\"dropped\""), "the corrupting worker was not dropped")
        try await expectSameAsLocal(out, scene: Self.scenes + "/hello.yaml", frames: 0...39)
    }

    @Test func aHangingWorkerTimesOutAndTheChunkMovesOn() async throws {
        let token = WorkerProcess.makeToken()
        let hung = try WorkerProcess(token: token, environment: ["REEL_WORKER_FAULT": "hang"])
        let good = try WorkerProcess(token: token)
        defer { hung.stop(); good.stop() }
        let out = folder + "/hang.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-19", "--dispatch", "\(hung.baseURL),\(good.baseURL)",
                            "--chunk-frames", "5", "--chunk-timeout", "10", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        // 10 s, not less: the good worker's first chunk starts a render process and a GL
        // context, which on a loaded two-core machine took more than 2 s (CI failed on it).
        #expect(run.status == 0, "\(run.stderr)")
        #expect(hung.stderr.contains("started"))
        try await expectSameAsLocal(out, scene: Self.scenes + "/hello.yaml", frames: 0...19)
    }

    @Test func aWorkerWhoseGLContextIsLostReplacesItAndTheJobCompletes() async throws {
        let token = WorkerProcess.makeToken()
        // The context of the render process drawing frame 12 is really released from its
        // thread before that frame, once a worker: later render processes do not get the fault.
        let worker = try WorkerProcess(token: token, environment: ["REEL_GL_FAULT": "lose-context@12"])
        defer { worker.stop() }
        let out = folder + "/lost.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-19", "--dispatch", worker.baseURL,
                            "--chunk-frames", "5", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(worker.stderr.contains("the GL context was lost; it is replaced"), "\(worker.stderr.suffix(1500))")
        try await expectSameAsLocal(out, scene: Self.scenes + "/hello.yaml", frames: 0...19)
    }

    @Test func chunksAreCutToTheFramesAWorkerTakes() async throws {
        let token = WorkerProcess.makeToken()
        let worker = try WorkerProcess(token: token, arguments: ["--max-frames", "5"])
        defer { worker.stop() }
        let out = folder + "/capped.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-19", "--dispatch", worker.baseURL,
                                  "--chunk-frames", "8", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try readManifest(out + ".manifest.json")
        #expect(manifest.chunks.map { $0.last - $0.first + 1 } == [4, 4, 4, 4, 4], "\(manifest.chunks)")
        #expect(!worker.stderr.contains("E-WORKER-LIMIT"))
        try await expectSameAsLocal(out, scene: Self.scenes + "/hello.yaml", frames: 0...19)
    }

    @Test func aWorkerWithAnotherTokenIsLeftOutAndNoServableWorkerFailsClearly() async throws {
        let token = WorkerProcess.makeToken()
        let stranger = try WorkerProcess(token: WorkerProcess.makeToken())
        let ours = try WorkerProcess(token: token)
        defer { stranger.stop(); ours.stop() }
        let out = folder + "/auth.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-9", "--dispatch", "\(stranger.baseURL),\(ours.baseURL)",
                            "--chunk-frames", "5", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!stranger.stderr.contains("started"))
        try await expectSameAsLocal(out, scene: Self.scenes + "/hello.yaml", frames: 0...9)

        let refused = try await reel(["render", Self.scenes + "/hello.yaml", "-o", folder + "/none.mp4", "--dispatch", stranger.baseURL,
                                "--chunk-frames", "5", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no worker can serve") && refused.stderr.contains("token"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.mp4"))
    }

    @Test func aChunkThatFailsEverywhereFailsTheJobWithAReportAndNoOutput() async throws {
        let token = WorkerProcess.makeToken()
        let workers = try (0..<2).map { _ in try WorkerProcess(token: token, environment: ["REEL_WORKER_FAULT": "corrupt"]) }
        defer { workers.forEach { $0.stop() } }
        let out = folder + "/failed.mp4"
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", out, "--frames", "0-9", "--dispatch", workers.map(\.baseURL).joined(separator: ","),
                            "--chunk-frames", "5", "--retries", "2", "--chunk-cache", cache], environment: ["REEL_WORKER_TOKEN": token])
        #expect(run.status != 0)
        #expect(run.stderr.contains("E-DISPATCH") && run.stderr.contains("hash to"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: out + ".manifest.json"))
    }

    @Test func aResumedJobRendersOnlyTheMissingChunks() async throws {
        let token = WorkerProcess.makeToken()
        let workers = try (0..<2).map { _ in try WorkerProcess(token: token) }
        defer { workers.forEach { $0.stop() } }
        let out = folder + "/resume.mp4"
        let arguments = ["render", Self.scenes + "/effects.yaml", "-o", out, "--frames", "0-63", "--scale", "0.25",
                         "--dispatch", workers.map(\.baseURL).joined(separator: ","), "--chunk-frames", "4", "--chunk-cache", cache, "--progress", "json"]
        let first = try startReel(arguments, environment: ["REEL_WORKER_TOKEN": token])
        #expect(await first.waitForStderr(count: "\"finished\"", atLeast: 4), "the first run finished no chunks")
        kill(first.process.processIdentifier, SIGKILL)
        _ = await first.wait()
        #expect(!FileManager.default.fileExists(atPath: out))
        let stored = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".json") && !$0.hasPrefix("plan-") }.count
        #expect(stored >= 4 && stored < 16, "\(stored) chunks cached when the coordinator was killed")
        let second = try await reel(arguments, environment: ["REEL_WORKER_TOKEN": token])
        #expect(second.status == 0, "\(second.stderr)")
        // Counted from the resumed coordinator's own chunk events, not from the workers' logs:
        // a render the killed coordinator asked for may still start late, and the scheduler may
        // run a straggling chunk twice, so the workers' "started" lines over-count by design.
        let events = second.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let cachedOnResume = events.compactMap { $0["chunks_cached"] as? Int }.max() ?? -1
        let rendered = Set(events.compactMap { event -> String? in
            guard let chunk = event["finished"] as? [String: Any], let first = chunk["first"] as? Int else { return nil }
            return "\(first)"
        })
        #expect(cachedOnResume == stored, "the resumed run took \(cachedOnResume) chunks from the cache, \(stored) were stored")
        #expect(rendered.count == 16 - stored, "rendered \(rendered.count) chunks on resume with \(stored) of 16 cached")
        try await expectSameAsLocal(out, scene: Self.scenes + "/effects.yaml", frames: 0...63, scale: 0.25)
    }

    @Test func editingTheEndOfASceneRendersOnlyTheChunksItChanged() async throws {
        let original = try String(contentsOfFile: Self.scenes + "/hello.yaml", encoding: .utf8)
        let scene = folder + "/edit.yaml"
        try original.write(toFile: scene, atomically: true, encoding: .utf8)
        let arguments = ["render", scene, "-o", folder + "/edit.mp4", "--dispatch", "local:2", "--chunk-frames", "15", "--chunk-cache", cache, "--overwrite"]
        let first = try await reel(arguments)
        #expect(first.status == 0 && first.stdout.contains("4 chunks (0 cached"), "\(first.stdout) \(first.stderr)")
        // The ring fades out over the last half second: frames 45-59 change, the rest do not.
        try (original + "    opacity: { keys: [[0s, 1], [1.5s, 1], [2s, 0.2]] }\n").write(toFile: scene, atomically: true, encoding: .utf8)
        let second = try await reel(arguments)
        #expect(second.status == 0 && second.stdout.contains("4 chunks (3 cached, 1 tries"), "\(second.stdout) \(second.stderr)")
    }

    @Test func planPrintsChunksTimeAndCostWithoutRendering() async throws {
        let run = try await reel(["render", Self.scenes + "/hello.yaml", "-o", folder + "/plan.mp4", "--dispatch", "local:4", "--plan", "--price", "0.001",
                            "--chunk-cache", cache])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("plan: ") && run.stdout.contains("expected: ") && run.stdout.contains("price: "), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/plan.mp4"))
    }

    // MARK: - Helpers

    func readManifest(_ path: String) throws -> JobManifest {
        try JSONDecoder().decode(JobManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Checksums of the frames rendered here: chunk by chunk as a worker would, and in one go.
    func localChecksums(scene path: String, frames: ClosedRange<Int>, chunks: [ClosedRange<Int>], out: String,
                        scale: Double = 0.25) async throws -> (chunked: [String], whole: [String]) {
        let folder = self.folder
        return try await offThread { try Self.checksums(scene: path, frames: frames, chunks: chunks, out: out, scale: scale, folder: folder) }
    }

    static func checksums(scene path: String, frames: ClosedRange<Int>, chunks: [ClosedRange<Int>], out: String,
                          scale: Double, folder: String) throws -> (chunked: [String], whole: [String]) {
        let scene = try SceneDecoder(plugins: .standard).load(path: path)
        let gl = try HeadlessGL.open()
        defer { gl.close() }
        let output = ChunkOutput(try RenderOutput.forPath(out), scale: scale)
        var chunked: [String] = []
        for chunk in chunks {
            chunked += try ChunkRender.render(scene: scene, plugins: .standard, frames: chunk, output: output, gl: gl, workFolder: folder).frameChecksums
        }
        var job = RenderJob(scene: scene, frames: frames, output: try RenderOutput.forPath(folder + "/whole-\(UUID().uuidString).mp4"), plugins: .standard)
        job.scale = scale
        let sums = Mutex<[Int: String]>([:])
        job.frameChecksums = { frame, sum in sums.withLock { $0[frame] = sum } }
        _ = try job.run(gl: gl)
        return (chunked, sums.withLock { s in frames.map { s[$0] ?? "" } })
    }

    /// The dispatched file holds exactly the frames a local render draws (by checksum) and
    /// plays through.
    func expectSameAsLocal(_ out: String, scene: String, frames: ClosedRange<Int>, scale: Double = 0.25) async throws {
        let manifest = try readManifest(out + ".manifest.json")
        let expected = try await localChecksums(scene: scene, frames: frames, chunks: [], out: out, scale: manifest.output.scale)
        #expect(manifest.frameChecksums == expected.whole, "frames differ from a local render")
        let verified = try ChunkJoiner.verify(out, expectedFrames: frames.count)
        #expect(verified.frames == frames.count)
        try await expectPlaysThrough(out, frames: frames.count)
    }

    /// ffprobe (when installed) counts the frames and sees increasing timestamps.
    func expectPlaysThrough(_ path: String, frames: Int) async throws {
        guard let ffprobe = ["/usr/bin/ffprobe", "/usr/local/bin/ffprobe"].first(where: FileManager.default.isExecutableFile) else {
            print("skipped ffprobe check: ffprobe is not installed (ChunkJoiner.verify checked frame count and timestamps)")
            return
        }
        let probe = try await run(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts", "-of", "csv=p=0", path])
        let rows = probe.stdout.split(separator: "\n").map { $0.split(separator: ",").compactMap { Int($0) } }
        #expect(rows.count == frames, "ffprobe counts \(rows.count) frames")
        let dts = rows.compactMap { $0.count == 2 ? $0[1] : nil }
        #expect(zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 }, "timestamps go back")
        #expect(Set(rows.compactMap(\.first)).count == frames)
    }
}

// MARK: - Running reel

struct Finished { var status: Int32; var stdout: String; var stderr: String }

/// Bytes a pipe delivers, collected on a thread of its own.
final class PipeSink: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLock { $0.append(chunk) }
            }
            done.signal()
        }.start()
    }

    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
    func waitForEnd() { done.wait() }
}

/// A `reel` process whose output is collected as it runs.
final class RunningReel: @unchecked Sendable {
    let process = Process()
    private let out: PipeSink, err: PipeSink

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["REEL_WORKER_TOKEN"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        out = PipeSink(outPipe)
        err = PipeSink(errPipe)
        try process.run()
    }

    var stderr: String { err.text }

    func waitForStderr(count text: String, atLeast n: Int, timeout: Double = 120) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning {
            if stderr.components(separatedBy: text).count - 1 >= n { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return stderr.components(separatedBy: text).count - 1 >= n
    }

    /// Waits on a thread of its own: blocking the few threads Swift concurrency has would
    /// stall every other test running meanwhile.
    func wait() async -> Finished {
        (try? await offThread { [self] in
            // Polled: Foundation's `waitUntilExit()` can spin forever (see WorkerProcess.stop).
            while process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
            out.waitForEnd()
            err.waitForEnd()
            return Finished(status: process.terminationStatus, stdout: out.text, stderr: err.text)
        }) ?? Finished(status: -1, stdout: "", stderr: "")
    }
}

func startReel(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningReel {
    try RunningReel(WorkerProcess.binary.path, arguments, environment: environment)
}

func reel(_ arguments: [String], environment: [String: String] = [:]) async throws -> Finished {
    try await startReel(arguments, environment: environment).wait()
}

func run(_ executable: String, _ arguments: [String]) async throws -> Finished {
    try await RunningReel(executable, arguments, environment: [:]).wait()
}

/// Runs blocking work (a process, a GL render) on a thread of its own.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
