import AsyncHTTPClient
import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// Everything a dispatched render needs besides the workers.
public struct DispatchJob: Sendable {
    public var bundle: SceneBundle
    /// The scene as decoded here (adjustments applied): for keys, planning and samples.
    public var scene: Scene
    /// Where each blob's bytes are on this machine.
    public var sources: [String: String]
    public var frames: ClosedRange<Int>
    public var output: RenderOutput
    public var chunkOutput: ChunkOutput
    public var plugins: PluginRegistry
    public var overwrite: Bool

    public init(bundle: SceneBundle, scene: Scene, sources: [String: String], frames: ClosedRange<Int>, output: RenderOutput,
                scale: Double, plugins: PluginRegistry, overwrite: Bool) {
        (self.bundle, self.scene, self.sources, self.frames, self.output, self.plugins, self.overwrite) =
            (bundle, scene, sources, frames, output, plugins, overwrite)
        chunkOutput = ChunkOutput(output, scale: scale)
    }
}

public struct DispatchOptions: Sendable {
    /// Fixed chunk length; nil lets the planner choose from sample frames.
    public var chunkFrames: Int?
    /// Failed attempts a chunk may have before the job fails.
    public var retries = 4
    /// Seconds one chunk may take on a worker before it is tried elsewhere.
    public var chunkTimeout = 600.0
    /// Allow hardware and software renderers (or Reel versions) in one job.
    public var allowMixedRenderers = false
    public var cacheFolder = ChunkCache.defaultFolder
    /// Seconds each chunk costs besides its frames (the planner's estimate).
    public var overheadSeconds = 0.5
    /// Longest chunk the planner makes, in seconds (a proxy may cut longer requests).
    public var maxChunkSeconds = 120.0
    /// Test only: faults for the context the plan's sample frames are drawn with (the command
    /// line reads them from `REEL_GL_FAULT`). None by default.
    public var glFaults = GLFaults.none

    public init() {}
}

/// What the coordinator reports as it goes.
public struct DispatchProgress: Sendable {
    public enum WorkerStatus: Sendable { case idle, rendering([ClosedRange<Int>]), dropped(String) }
    public var chunksDone: Int
    public var chunksTotal: Int
    /// Chunks found in the cache, not rendered.
    public var chunksCached: Int
    public var framesDone: Int
    public var framesTotal: Int
    public var elapsed: Double
    public var workers: [(name: String, status: WorkerStatus)]
    /// The chunk that just finished, if that is what this update is about.
    public var finished: (range: ClosedRange<Int>, worker: String)?

    /// Frames rendered (not cached) per second.
    public var framesPerSecond: Double
    public var eta: Double? {
        framesPerSecond > 0 ? Double(framesTotal - framesDone) / framesPerSecond : nil
    }
}

/// A dispatch plan: the chunks and what they should cost.
public struct DispatchPlan: Sendable {
    public var chunks: [ClosedRange<Int>]
    public var slots: Int
    /// Measured here on `sampleRenderer` from `sampleFrames` frames; nil with --chunk-frames.
    public var secondsPerFrame: Double?
    public var sampleFrames: Int
    public var sampleRenderer: String?
    public var overheadSeconds: Double
    /// True when the chunks were the ones saved by an earlier run of the same job.
    public var reused: Bool

    /// Seconds of worker time in all: frames plus per-chunk overhead.
    public var workSeconds: Double? {
        secondsPerFrame.map { spf in chunks.reduce(0) { $0 + Double($1.count) * spf + overheadSeconds } }
    }

    /// Wall seconds with `slots` slots: chunks in order, each to the slot free first.
    public var expectedSeconds: Double? {
        guard let spf = secondsPerFrame else { return nil }
        var free = Array(repeating: 0.0, count: max(slots, 1))
        for chunk in chunks {
            let i = free.indices.min { free[$0] < free[$1] }!
            free[i] += Double(chunk.count) * spf + overheadSeconds
        }
        return free.max()
    }
}

/// What a finished dispatched render did.
public struct DispatchSummary: Sendable {
    public var frames: Int
    public var chunks: Int
    public var chunksCached: Int
    public var attempts: Int
    public var copies: Int
    public var seconds: Double
    public var files: [String]
    public var bytes: Int64
    public var manifest: String
}

/// Splits a render into chunks, runs them on workers, and joins the results.
public final class Coordinator: Sendable {
    public let job: DispatchJob
    public let options: DispatchOptions
    public let endpoints: [WorkerEndpoint]
    let cache: ChunkCache

    public init(job: DispatchJob, options: DispatchOptions, endpoints: [WorkerEndpoint]) throws {
        (self.job, self.options, self.endpoints) = (job, options, endpoints)
        cache = try ChunkCache(folder: options.cacheFolder)
    }

    // MARK: - Plan

    /// Identifies the job's chunk boundaries: the scene file and settings, not its content,
    /// so an edited scene is cut the same way and its unchanged chunks are found.
    var planKey: String {
        var hasher = SHA256Hasher()
        hasher.update("plan-v1|\(job.bundle.path)|\(job.frames)|\(job.scene.canvas.frameCount)|\(options.chunkFrames ?? 0)|")
        hasher.update(String(decoding: (try? sortedJSON(job.chunkOutput)) ?? Data(), as: UTF8.self))
        return hasher.finalize()
    }

    /// Chooses chunks: `--chunk-frames`, else the boundaries an earlier run of this job used,
    /// else the planner's, from a few frames rendered here to measure cost per frame.
    public func plan(slots: Int) throws -> DispatchPlan {
        if let size = options.chunkFrames {
            let chunks = ChunkPlanner.fixed(job.frames, size: size)
            return DispatchPlan(chunks: chunks, slots: slots, secondsPerFrame: nil, sampleFrames: 0,
                                sampleRenderer: nil, overheadSeconds: options.overheadSeconds, reused: cache.plan(planKey) == chunks)
        }
        let (spf, count, renderer) = try sampleCost()
        let planner = ChunkPlanner(slots: slots, secondsPerFrame: spf, overheadSeconds: options.overheadSeconds,
                                   warmUpFrames: warmUp(for: job.frames.upperBound).count, maxChunkSeconds: options.maxChunkSeconds)
        if let saved = cache.plan(planKey), saved.first?.lowerBound == job.frames.lowerBound, saved.last?.upperBound == job.frames.upperBound {
            return DispatchPlan(chunks: saved, slots: slots, secondsPerFrame: spf, sampleFrames: count, sampleRenderer: renderer,
                                overheadSeconds: options.overheadSeconds, reused: true)
        }
        return DispatchPlan(chunks: planner.plan(job.frames), slots: slots, secondsPerFrame: spf, sampleFrames: count,
                            sampleRenderer: renderer, overheadSeconds: options.overheadSeconds, reused: false)
    }

    /// Renders up to 8 frames from the start of the range here, encoded as the chunks will be.
    private func sampleCost() throws -> (secondsPerFrame: Double, frames: Int, renderer: String) {
        let first = job.frames.lowerBound
        let sample = first...min(job.frames.upperBound, first + 7)
        let gl = try HeadlessGL.open(label: "reel.plan", faults: options.glFaults)
        defer { gl.close() }
        let chunk = try ChunkRender.render(scene: job.scene, plugins: job.plugins, frames: sample, output: job.chunkOutput, gl: gl,
                                           workFolder: NSTemporaryDirectory())
        return (chunk.seconds / Double(sample.count), sample.count, gl.info.renderer)
    }

    func warmUp(for first: Int) -> Range<Int> {
        RenderJob(scene: job.scene, frames: first...first, output: job.output, plugins: job.plugins).warmUpFrames
    }

    // MARK: - Keys

    /// Content keys of the chunks, cheap to compute: the scene text, its files, overrides and
    /// adjustments, the output settings, the versions and the frame range (warm-up included).
    func textKeys(for chunks: [ClosedRange<Int>]) -> [String] {
        let base = commonKey(content: "text|\(job.bundle.text)|\(job.bundle.overrides.sorted { $0.key < $1.key })|" +
            String(decoding: (try? sortedJSON(job.bundle.adjustments)) ?? Data(), as: UTF8.self))
        return chunks.map { chunk in
            let warm = warmUp(for: chunk.lowerBound)
            return SHA256Hasher.hex("\(base)|\(warm.lowerBound)|\(chunk.lowerBound)-\(chunk.upperBound)")
        }
    }

    /// Content keys from what the chunks show: the digest of every frame state they draw,
    /// warm-up included. Equal for a chunk whose frames an edit did not touch, so editing the
    /// end of a scene re-renders only the chunks at the end. Costlier (every frame is
    /// evaluated), so it is computed only when the text key misses or while workers render.
    func stateKeys(for chunks: [ClosedRange<Int>]) -> [String] {
        var frameDigests: [Int: String] = [:]
        let scene = job.scene, plugins = job.plugins
        func digest(_ frame: Int) -> String {
            if let known = frameDigests[frame] { return known }
            let d = StableDigest.of(Timeline.evaluate(scene, frame: frame, plugins: plugins))
            frameDigests[frame] = d
            return d
        }
        let base = commonKey(content: "state|\(scene.canvas)|\(scene.seed)")
        return chunks.map { chunk in
            var hasher = SHA256Hasher()
            hasher.update("\(base)|\(chunk.lowerBound)-\(chunk.upperBound)|")
            let warm = warmUp(for: chunk.lowerBound)
            for frame in warm.lowerBound...chunk.upperBound { hasher.update(digest(frame)) }
            return hasher.finalize()
        }
    }

    private func commonKey(content: String) -> String {
        var hasher = SHA256Hasher()
        hasher.update("chunk-v1|reel \(ReelVersion.string)|")
        hasher.update(job.plugins.plugins.map { "\($0.name)@\($0.version)" }.sorted().joined(separator: ","))
        hasher.update(String(decoding: (try? sortedJSON(job.chunkOutput)) ?? Data(), as: UTF8.self))
        hasher.update(job.bundle.files.values.sorted().joined(separator: ","))
        hasher.update(content)
        return hasher.finalize()
    }

    // MARK: - Run

    /// Runs the job: plans, renders what the cache lacks, joins, writes the manifest.
    /// - Throws: `E-DISPATCH` with a report of every chunk that failed and why;
    ///   `E-DISPATCH-WORKER` when no worker can serve; output and join errors.
    public func run(progress: @escaping @Sendable (DispatchProgress) -> Void = { _ in }) async throws -> DispatchSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        try checkOutput()
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, endpoints.map(\.slots).reduce(0, +)))
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await run(http: http, elapsed: elapsed, progress: progress)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func checkOutput() throws {
        // The same checks, folders and crash recovery as a local render.
        _ = try RenderJob.prepareOutput(job.output, frames: job.frames, overwrite: job.overwrite)
    }

    private func run(http: HTTPClient, elapsed: @escaping () -> Double,
                     progress: @escaping @Sendable (DispatchProgress) -> Void) async throws -> DispatchSummary {
        let clients = endpoints.map { WorkerClient(endpoint: $0, http: http) }
        // Who can serve: health of every worker at once.
        let healths = await withTaskGroup(of: (Int, Result<WorkerHealth, any Error>).self) { group in
            for (i, client) in clients.enumerated() {
                group.addTask { (i, await asyncResult { try await client.health() }) }
            }
            var all = [Result<WorkerHealth, any Error>?](repeating: nil, count: clients.count)
            for await (i, result) in group { all[i] = result }
            return all.map { $0! }
        }
        var unusable: [Int: String] = [:]
        for (i, health) in healths.enumerated() {
            switch health {
            case let .failure(error): unusable[i] = Self.reason(error)
            case let .success(h) where h.protocolVersion != workerProtocolVersion || h.version != ReelVersion.string:
                unusable[i] = "it runs Reel \(h.version) (protocol \(h.protocolVersion)); this is \(ReelVersion.string)"
            default: break
            }
        }
        let live = healths.enumerated().compactMap { i, h in unusable[i] == nil ? (try? h.get()).map { (i, $0) } : nil }
        guard !live.isEmpty else {
            let lines = endpoints.enumerated().map { "\($0.element.name): \(unusable[$0.offset] ?? "?")" }
            throw ReelError(.workerUnavailable, "no worker can serve this job", detail: lines.joined(separator: "\n"))
        }
        let kinds = Set(live.map { $0.1.hardware })
        if kinds.count > 1, !options.allowMixedRenderers {
            let lines = live.map { "\(endpoints[$0.0].name): \($0.1.renderer) (\($0.1.hardware ? "hardware" : "software"))" }
            throw ReelError(.workerUnavailable, "the workers mix hardware and software renderers, whose frames differ",
                            detail: (lines + ["pass --allow-mixed-renderers to use them all anyway, or dispatch to one kind"]).joined(separator: "\n"))
        }

        var plan = try self.plan(slots: endpoints.map(\.slots).reduce(0, +))
        // Workers refuse a chunk over their frame or pixel limits: cut the chunks to fit the
        // strictest of them.
        let pixels = Double(job.scene.canvas.width) * Double(job.scene.canvas.height) * job.chunkOutput.scale * job.chunkOutput.scale
        if let cap = live.map({ Self.framesPerChunk($0.1, pixelsPerFrame: pixels) }).min() {
            let cut = ChunkPlanner.split(plan.chunks, atMost: cap)
            if cut != plan.chunks {
                plan.chunks = cut
                plan.reused = false
            }
        }
        cache.savePlan(planKey, plan.chunks)
        let chunks = plan.chunks
        var keys = self.textKeys(for: chunks)
        var metas: [ChunkMeta?] = keys.map { self.cache.lookup($0) }
        // A re-run after an edit: chunks whose frames are drawn as before are found by state.
        if plan.reused, metas.contains(where: { $0 == nil }) {
            let missing = metas.indices.filter { metas[$0] == nil }
            for (i, stateKey) in zip(missing, stateKeys(for: missing.map { chunks[$0] })) {
                if let (key, meta) = cache.lookup(state: stateKey) {
                    keys[i] = key
                    metas[i] = meta
                }
            }
        }
        let cached = metas.filter { $0 != nil }.count
        // State keys of the chunks rendered now, computed while the workers render.
        let toAlias = metas.indices.filter { metas[$0] == nil }
        let aliasing = Task.detached { [self] in
            zip(toAlias, self.stateKeys(for: toAlias.map { chunks[$0] })).map { ($0, $1) }
        }
        var scheduler = ChunkScheduler(frames: chunks.map(\.count), slots: endpoints.map(\.slots), done: metas.map { $0 != nil },
                                       policy: { var p = ChunkScheduler.Policy(); p.retries = options.retries; return p }(),
                                       seed: UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds))
        for (i, reason) in unusable { scheduler.drop(i, reason) }
        var workerOf: [Int: String] = [:]
        var attempts = 0, copies = 0
        var framesRendered = 0
        let renderStart = elapsed()
        let uploads = BlobUploads()

        func report(finished: (ClosedRange<Int>, String)? = nil) {
            let statuses: [(String, DispatchProgress.WorkerStatus)] = endpoints.enumerated().map { i, endpoint in
                if case let .dropped(reason) = scheduler.workers[i] { return (endpoint.name, .dropped(reason)) }
                let ranges = scheduler.running.values.filter { $0.worker == i }.map { chunks[$0.chunk] }.sorted { $0.lowerBound < $1.lowerBound }
                return (endpoint.name, ranges.isEmpty ? .idle : .rendering(ranges))
            }
            let framesDone = zip(chunks, scheduler.done).filter(\.1).reduce(0) { $0 + $1.0.count }
            let rendering = elapsed() - renderStart
            progress(DispatchProgress(chunksDone: scheduler.chunksDone, chunksTotal: chunks.count, chunksCached: cached, framesDone: framesDone,
                                      framesTotal: job.frames.count, elapsed: elapsed(), workers: statuses, finished: finished,
                                      framesPerSecond: rendering > 0 ? Double(framesRendered) / rendering : 0))
        }

        enum Event: Sendable {
            case finished(Int, Result<ChunkMeta, any Error>)
            case tick
        }
        let (events, continuation) = AsyncStream<Event>.makeStream()
        var tasks: [Int: Task<Void, Never>] = [:]
        var tickAt: Double?
        let bundle = job.bundle, sources = job.sources, output = job.chunkOutput, timeout = options.chunkTimeout, store = self.cache
        report()
        while !scheduler.isFinished {
            for attempt in scheduler.assign(now: elapsed()) {
                attempts += 1
                if attempt.speculative { copies += 1 }
                let client = clients[attempt.worker], range = chunks[attempt.chunk], key = keys[attempt.chunk]
                tasks[attempt.id] = Task {
                    let result: Result<ChunkMeta, any Error> = await asyncResult {
                        try await uploads.ensure(client: client, worker: attempt.worker, blobs: sources)
                        let (meta, payload) = try await client.render(RenderRequest(scene: bundle, frames: range, output: output), timeout: timeout)
                        try Task.checkCancellation()
                        try store.store(key, meta: meta, payload: payload)
                        return meta
                    }
                    continuation.yield(.finished(attempt.id, result))
                }
            }
            report()
            if let wake = scheduler.nextWakeUp(after: elapsed()), tickAt.map({ wake < $0 }) ?? true {
                tickAt = wake
                let delay = max(0, wake - elapsed())
                Task {
                    try? await Task.sleep(for: .milliseconds(Int(delay * 1000) + 1))
                    continuation.yield(.tick)
                }
            }
            guard let event = await events.first(where: { _ in true }) else { break }
            switch event {
            case .tick:
                tickAt = nil
            case let .finished(id, result):
                tasks[id] = nil
                guard let attempt = scheduler.running[id] else { continue }  // a cancelled copy
                switch result {
                case let .success(meta):
                    metas[attempt.chunk] = meta
                    workerOf[attempt.chunk] = endpoints[attempt.worker].name
                    framesRendered += chunks[attempt.chunk].count
                    for other in scheduler.succeeded(id, now: elapsed()) { tasks[other.id]?.cancel() }
                    report(finished: (chunks[attempt.chunk], endpoints[attempt.worker].name))
                case let .failure(error):
                    let failure: ChunkScheduler.Failure
                    switch error {
                    case WorkerCallError.busy: failure = .busy
                    case WorkerCallError.blobMissing:
                        await uploads.forget(worker: attempt.worker)
                        failure = .busy
                    case let WorkerCallError.unusable(reason): failure = .workerUnusable(reason)
                    default: failure = .failed(Self.reason(error))
                    }
                    scheduler.failed(id, now: elapsed(), failure, workerName: endpoints[attempt.worker].name)
                }
            }
        }
        for task in tasks.values { task.cancel() }
        continuation.finish()
        if let fatal = scheduler.fatal {
            var lines: [String] = []
            for (i, failures) in scheduler.failures.enumerated() where !failures.isEmpty && !scheduler.done[i] {
                lines.append("frames \(chunks[i].lowerBound)-\(chunks[i].upperBound):")
                lines += failures.map { "  " + $0 }
            }
            for (i, state) in scheduler.workers.enumerated() {
                if case let .dropped(reason) = state { lines.append("\(endpoints[i].name) dropped: \(reason)") }
            }
            let done = scheduler.chunksDone
            throw ReelError(.dispatchFailed, "the dispatched render failed: \(fatal == "every worker was dropped" ? fatal : "a chunk failed on every try") (\(done) of \(chunks.count) chunks done and cached; a re-run renders only the rest)",
                            detail: lines.joined(separator: "\n"))
        }

        for (i, stateKey) in await aliasing.value { cache.alias(stateKey, to: keys[i]) }

        // Join, then the manifest beside the output.
        let finalMetas = metas.map { $0! }
        let files = try stitch(chunks: chunks, keys: keys, metas: finalMetas)
        let manifest = try writeManifest(chunks: chunks, keys: keys, metas: finalMetas, cachedBefore: cached, workerOf: workerOf,
                                         healths: healths, plan: plan)
        let bytes = files.reduce(Int64(0)) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int64) ?? 0) }
        return DispatchSummary(frames: job.frames.count, chunks: chunks.count, chunksCached: cached, attempts: attempts, copies: copies,
                               seconds: elapsed(), files: files, bytes: bytes, manifest: manifest)
    }

    /// The most frames of `pixelsPerFrame` each a worker takes in one request (its health's
    /// `maxFrames`, and `maxPixelFrames` at `minFramePixels` a frame at least).
    static func framesPerChunk(_ health: WorkerHealth, pixelsPerFrame: Double) -> Int {
        let byPixels = Double(health.maxPixelFrames) / max(pixelsPerFrame, Double(health.minFramePixels), 1)
        return max(1, min(health.maxFrames, Int(min(byPixels, Double(Int.max / 2)))))
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let WorkerCallError.failed(reason), let WorkerCallError.unusable(reason): return reason
        case WorkerCallError.busy: return "busy (429)"
        case WorkerCallError.blobMissing: return "a file was evicted from its cache"
        case let error as any ReportableError: return error.reportSummary
        default: return WorkerClient.describe(error)
        }
    }

    // MARK: - Stitch

    private func stitch(chunks: [ClosedRange<Int>], keys: [String], metas: [ChunkMeta]) throws -> [String] {
        switch job.output {
        case let .video(path, _):
            try ChunkJoiner.join(keys.map { cache.payloadPath($0) }, into: path, expectedFrames: job.frames.count)
            return [path]
        case let .pngSequence(pattern, _):
            // Staged and committed as one, as a local render's sequence is: a failure part-way
            // leaves the previous sequence whole, a crash is finished or removed next time.
            let staging = try SequenceStaging(pattern: pattern)
            do {
                for (chunk, key) in zip(chunks, keys) {
                    let bytes = try ChunkRender.readAll(cache.payloadPath(key))
                    let entries = try TarArchive.read(bytes, maxEntries: chunk.count)
                    let expected = chunk.map { PNGSequence.path("######.png", frame: $0) }
                    guard entries.map(\.name) == expected else {
                        throw ReelError(.chunkCorrupt, "chunk \(chunk.lowerBound)-\(chunk.upperBound) does not hold exactly its frames")
                    }
                    for (frame, entry) in zip(chunk, entries) { try staging.stage(Data(entry.bytes), frame: frame) }
                }
                try staging.commit()
            } catch {
                staging.discard()
                throw error
            }
            return chunks.flatMap { $0.map { PNGSequence.path(pattern, frame: $0) } }
        }
    }

    private func writeManifest(chunks: [ClosedRange<Int>], keys: [String], metas: [ChunkMeta], cachedBefore: Int, workerOf: [Int: String],
                               healths: [Result<WorkerHealth, any Error>], plan: DispatchPlan) throws -> String {
        let path: String
        switch job.output {
        case let .video(output, _): path = output + ".manifest.json"
        case let .pngSequence(pattern, _):
            let folder = (pattern as NSString).deletingLastPathComponent
            path = (folder.isEmpty ? "." : folder) + "/reel-manifest.json"
        }
        let manifest = JobManifest(
            reel: ReelVersion.string, scene: job.bundle.path, first: job.frames.lowerBound, last: job.frames.upperBound,
            output: job.chunkOutput,
            workers: endpoints.enumerated().map { i, e in
                let h = try? healths[i].get()
                return JobManifest.Worker(name: e.name, url: e.url, renderer: h?.renderer, hardware: h?.hardware)
            },
            chunks: chunks.enumerated().map { i, c in
                JobManifest.Chunk(first: c.lowerBound, last: c.upperBound, key: keys[i], digest: metas[i].digest,
                                  worker: workerOf[i], renderer: metas[i].renderer, cached: workerOf[i] == nil, seconds: metas[i].seconds)
            },
            frameChecksums: metas.flatMap(\.frameChecksums))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(manifest), to: path)
        return path
    }
}

/// The job manifest written beside the output: who rendered what, and every frame's checksum.
public struct JobManifest: Codable, Sendable {
    public struct Worker: Codable, Sendable { public var name: String; public var url: String; public var renderer: String?; public var hardware: Bool? }
    public struct Chunk: Codable, Sendable {
        public var first: Int
        public var last: Int
        public var key: String
        public var digest: String
        /// Nil when it came from the cache.
        public var worker: String?
        public var renderer: String
        public var cached: Bool
        public var seconds: Double
    }
    public var reel: String
    public var scene: String
    public var first: Int
    public var last: Int
    public var output: ChunkOutput
    public var workers: [Worker]
    public var chunks: [Chunk]
    /// `FrameChecksum` of each frame's raw RGBA pixels, first to last.
    public var frameChecksums: [String]
}

/// Uploads each blob once per worker, however many chunks need it at once.
actor BlobUploads {
    private var done: [Int: Task<Void, any Error>] = [:]

    func ensure(client: WorkerClient, worker: Int, blobs: [String: String]) async throws {
        let task = done[worker] ?? Task {
            for (digest, path) in blobs.sorted(by: { $0.key < $1.key }) {
                try await client.ensureBlob(digest, from: path)
            }
        }
        done[worker] = task
        do {
            try await task.value
        } catch {
            if done[worker] == task { done[worker] = nil }  // the next chunk tries again
            throw error
        }
    }

    func forget(worker: Int) { done[worker] = nil }
}

func sortedJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}

func asyncResult<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
