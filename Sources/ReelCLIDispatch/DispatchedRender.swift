import Foundation
import Reel
import ReelCLI
import ReelCore
import ReelDispatch
import ReelMedia
import Synchronization

/// `reel render --dispatch`: the job goes to workers in chunks and comes back joined.
struct DispatchedRender: RenderDispatcher {
    func render(_ request: RenderDispatchRequest) throws {
        let target = try DispatchTarget.parse(request.target)
        let job = request.job, scene = job.scene, original = request.original
        let adjustments = SceneAdjustments(fps: scene.canvas.fps == original.canvas.fps ? nil : scene.canvas.fps,
                                           samples: scene.canvas.samples == original.canvas.samples ? nil : scene.canvas.samples,
                                           transparent: request.transparent)
        try run(request, target: target, adjustments: adjustments)
    }

    private func run(_ request: RenderDispatchRequest, target: DispatchTarget, adjustments: SceneAdjustments) throws {
        let job = request.job, options = request.options, progress = request.progress, cancel = request.cancel
        if case let .video(path, _) = job.output, !ChunkJoiner.containers.contains((path as NSString).pathExtension.lowercased()) {
            throw ReelError(.badArgument, "--dispatch joins video chunks into .mp4, .mov, .mkv or .webm, not '\(path)'",
                            detail: "render animated images (.gif, .apng, .webp) without --dispatch, or dispatch to a video and convert it")
        }
        let made = try SceneBundle.make(scenePath: request.scenePath, overrides: request.overrides, adjustments: adjustments, plugins: job.plugins)
        let dispatchJob = DispatchJob(bundle: made.bundle, scene: made.scene, sources: made.sources, frames: job.frames, output: job.output,
                                      scale: job.scale, plugins: job.plugins, overwrite: job.overwrite)
        var dispatchOptions = DispatchOptions()
        dispatchOptions.chunkFrames = options.chunkFrames
        dispatchOptions.retries = options.retries
        dispatchOptions.chunkTimeout = options.chunkTimeout
        dispatchOptions.allowMixedRenderers = options.allowMixedRenderers
        if let chunkCache = options.chunkCache { dispatchOptions.cacheFolder = chunkCache }
        // The plan's sample frames are drawn here, and take the faults a test asked for.
        dispatchOptions.glFaults = TestFaults.gl
        let token = try workerToken(file: nil)
        let maxInFlight = options.maxInFlight

        if options.plan {
            let coordinator = try Coordinator(job: dispatchJob, options: dispatchOptions, endpoints: [])
            printPlan(try coordinator.plan(slots: target.slots(maxInFlight: maxInFlight)), target: target, pricePerSecond: options.pricePerSecond)
            return
        }
        var local: LocalWorkers?
        defer { local?.stop() }
        let endpoints: [WorkerEndpoint]
        switch target {
        case let .local(n):
            if progress != .none { printError("dispatch: starting \(n) local worker\(n == 1 ? "" : "s")") }
            local = try LocalWorkers(count: n)
            endpoints = local?.endpoints ?? []
        case let .urls(urls):
            let each = max(1, ((maxInFlight ?? urls.count) + urls.count - 1) / urls.count)
            endpoints = urls.map { WorkerEndpoint(url: $0, token: token, slots: each) }
        case let .modal(url):
            let env = ProcessInfo.processInfo.environment
            var headers: [String: String] = [:]
            if let key = env["REEL_MODAL_KEY"], let secret = env["REEL_MODAL_SECRET"] {
                headers = ["Modal-Key": key, "Modal-Secret": secret]
            }
            endpoints = [WorkerEndpoint(url: url, token: token, headers: headers, slots: target.slots(maxInFlight: maxInFlight), name: "modal")]
        }
        if case .urls = target, token == nil, endpoints.contains(where: { !$0.url.contains("127.0.0.1") && !$0.url.contains("localhost") }) {
            printError("dispatch: REEL_WORKER_TOKEN is not set; workers on other machines will refuse the job")
        }
        let coordinator = try Coordinator(job: dispatchJob, options: dispatchOptions, endpoints: endpoints)
        let reporter = DispatchReporter(mode: progress)
        let outcome = Mutex<Result<DispatchSummary, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do {
                let summary = try await coordinator.run { reporter.update($0) }
                outcome.withLock { $0 = .success(summary) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        // Ctrl-C cancels the job: in-flight requests are dropped, finished chunks stay cached.
        while done.wait(timeout: .now() + 0.1) == .timedOut {
            if cancel.isCancelled { task.cancel() }
        }
        reporter.finish()
        if cancel.isCancelled {
            throw ReelError(.cancelled, "the dispatched render was cancelled; no output was written",
                            detail: "finished chunks are cached: the same command renders only the rest")
        }
        let summary = try outcome.withLock { $0 }!.get()
        let size = job.outputSize
        let workers = String(format: " on %d worker%@: %d chunks (%d cached, %d tries, %d straggler copies)", endpoints.count, endpoints.count == 1 ? "" : "s",
                             summary.chunks, summary.chunksCached, summary.attempts, summary.copies)
        RenderReport.finished(frames: summary.frames, seconds: summary.seconds, files: summary.files, bytes: summary.bytes, fallback: request.output,
                              width: size.width, height: size.height, fps: job.scene.canvas.fps, sceneFrames: request.sceneFrames,
                              extra: workers, json: progress == .json)
        if progress != .json { print("manifest: \(summary.manifest)") }
    }

    private func printPlan(_ plan: DispatchPlan, target: DispatchTarget, pricePerSecond: Double?) {
        let sizes = plan.chunks.map(\.count)
        let frames = sizes.reduce(0, +)
        print("plan: \(plan.chunks.count) chunks for frames \(plan.chunks.first?.lowerBound ?? 0)-\(plan.chunks.last?.upperBound ?? 0) (\(frames) frames; chunk sizes \(sizes.max() ?? 0) down to \(sizes.min() ?? 0))\(plan.reused ? ", the same cuts as the last run of this job" : "")")
        print("workers: \(plan.slots) render slot\(plan.slots == 1 ? "" : "s") (\(target))")
        guard let spf = plan.secondsPerFrame, let work = plan.workSeconds, let wall = plan.expectedSeconds else {
            print("cost: not estimated (--chunk-frames skips the sample render)")
            return
        }
        print(String(format: "cost: %.3f s a frame, measured here on %@ from %d frames; %.1f s per chunk besides", spf, plan.sampleRenderer ?? "?", plan.sampleFrames, plan.overheadSeconds))
        print(String(format: "expected: %.1f s of worker time; %.1f s with %d slots (ideal %.1f s)", work, wall, plan.slots, Double(frames) * spf / Double(plan.slots)))
        if let price = pricePerSecond {
            print(String(format: "price: %g per GPU-second → %.4g for the job", price, work * price))
        }
        print("GPU workers are usually faster than this machine; the chunk cuts hold either way.")
        for (i, chunk) in plan.chunks.enumerated() where i < 12 || i == plan.chunks.count - 1 {
            print("  chunk \(i + 1): frames \(chunk.lowerBound)-\(chunk.upperBound)")
        }
        if plan.chunks.count > 13 { print("  … \(plan.chunks.count - 13) more") }
    }
}

/// Dispatch progress: chunks and frames done, fps, ETA and what each worker does; a live
/// line on a terminal, a line per finished chunk otherwise, or JSON lines.
final class DispatchReporter: Sendable {
    private let mode: RenderProgressMode
    private let live: Bool

    init(mode: RenderProgressMode) {
        live = isatty(STDERR_FILENO) != 0
        self.mode = mode == .auto ? (live ? .bar : .none) : mode
    }

    func update(_ p: DispatchProgress) {
        switch mode {
        case .none, .auto: return
        case .json:
            var object: [String: Any] = ["chunks_done": p.chunksDone, "chunks_total": p.chunksTotal, "chunks_cached": p.chunksCached,
                                         "frames_done": p.framesDone, "frames_total": p.framesTotal, "elapsed": p.elapsed,
                                         "fps": p.framesPerSecond]
            if let eta = p.eta { object["eta"] = eta }
            if let (range, worker) = p.finished { object["finished"] = ["first": range.lowerBound, "last": range.upperBound, "worker": worker] }
            object["workers"] = p.workers.map { name, status -> [String: Any] in
                switch status {
                case .idle: return ["name": name, "state": "idle"]
                case let .rendering(ranges): return ["name": name, "state": "rendering", "chunks": ranges.map { "\($0.lowerBound)-\($0.upperBound)" }]
                case let .dropped(reason): return ["name": name, "state": "dropped", "reason": reason]
                }
            }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                printError(String(decoding: data, as: UTF8.self))
            }
        case .bar:
            let workers = p.workers.map { name, status -> String in
                switch status {
                case .idle: return "\(name) idle"
                case let .rendering(ranges): return "\(name) " + ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
                case .dropped: return "\(name) dropped"
                }
            }.joined(separator: " · ")
            let eta = p.eta.map { String(format: "ETA %.0f s", $0) } ?? "ETA –"
            let line = String(format: "chunks %d/%d · frames %d/%d · %.1f fps · %@ · %@", p.chunksDone, p.chunksTotal, p.framesDone, p.framesTotal,
                              p.framesPerSecond, eta, workers)
            if live {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line.prefix(200)).utf8))
            } else if p.finished != nil {
                printError(line)
            }
        }
    }

    func finish() {
        if mode == .bar, live { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
