import Foundation
import Hummingbird
import NIOCore
import Reel
import ReelCore
import ReelMedia

// `POST /v1/render`, from the body to the answer:
//
// 1. The body is read only if it fits the request memory (`requestMemoryBytes`, three times
//    a body's size: it and its parse) with the other requests being read and screened; else
//    429 at once.
// 2. `Worker.screen` (strict JSON, frames against `--max-frames` and `--max-pixel-frames`,
//    output settings, blobs present) runs on the worker's blocking threads: 400 for a request
//    that fails it, without a scene ever decoded.
// 3. An admission slot (`maxAdmissions`), else 429; the request goes to a job folder and a
//    render process starts on it. The process decodes the scene and checks the rest
//    (`Worker.admit`): 400, or "admitted".
// 4. A render slot (`maxRenders`), else 429; the process renders the chunk.
// 5. Throughout, every 2 to 50 ms: is the process over its time (`admissionTimeLimit`, then
//    `chunkTimeLimit`) or its memory (`renderMemoryBytes`), has the client gone? Then it is
//    killed, and its slot is free the moment it is reaped.
// 6. The chunk is streamed from the job folder, which is removed after.

extension Worker {
    /// How often a render process is looked at (its lines, exit, memory, client): every 2 ms
    /// at first, then half as often again each time up to every 50 ms, from the start and
    /// from its admission. A small chunk takes tens of milliseconds and should not wait
    /// longer to be noticed; a long one is looked at 20 times a second.
    static func pollInterval(_ tick: Int) -> Duration {
        .microseconds(Int64(min(50_000, 2_000 * pow(1.5, Double(min(tick, 16))))))
    }

    func render(_ request: Request, channel: any Channel) async -> Response {
        let limit = configuration.maxRequestBytes
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit {
            return await Self.refuse(request, .contentTooLarge, ReelError(.workerRequest, "the request is larger than this worker's limit of \(limit) bytes (--max-request-size)"))
        }
        let job: JobFolder, screened: RenderRequest
        switch await receive(request, declared: declared) {
        case let .success(received): (job, screened) = received
        case let .failure(answer): return answer.response
        }
        guard let admission = SlotLease(admissions) else {
            return Self.failure(.tooManyRequests, ReelError(.workerBusy, "this worker is checking \(configuration.admissionSlots) render request(s) already (--max-admissions)"))
        }
        let digests = Array(Set(screened.scene.files.values))
        guard blobs.pin(digests) else {
            return Self.failure(.badRequest, ReelError(.blobMissing, "a file of the scene was evicted before the render began; upload it again"))
        }
        defer { blobs.unpin(digests) }
        return await supervise(job: job, frames: screened.first...screened.last, admission: admission, channel: channel)
    }

    /// Steps 1 and 2: the body within the request memory, screened, written to a job folder.
    /// A function of its own so the body is let go as soon as it is on disk.
    private func receive(_ request: Request, declared: Int?) async -> Result<(JobFolder, RenderRequest), AnswerNow> {
        let limit = configuration.maxRequestBytes
        // A request counts three times its size: its bytes, and the parse of them (measured
        // at about one and a half times the bytes).
        guard let memory = SlotLease(requestBytes, amount: Self.requestMemoryFactor * (declared ?? limit)) else {
            return .failure(AnswerNow(await Self.refuse(request, .tooManyRequests, ReelError(.workerBusy, "this worker is reading and checking \(requestBytes.inUse >> 20) MB of render requests already (--request-memory)"))))
        }
        defer { memory.release() }
        // Collected once, into the `Data` the parse and the job file read, sized as declared:
        // growing a buffer by doubling would hold up to twice the body.
        var body = Data(capacity: min(declared ?? 0, limit))
        do {
            for try await part in request.body {
                guard body.count + part.readableBytes <= limit else {
                    return .failure(AnswerNow(Self.refusal(.contentTooLarge, ReelError(.workerRequest, "the request is larger than this worker's limit of \(limit) bytes (--max-request-size)"))))
                }
                part.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            }
        } catch {
            return .failure(AnswerNow(Self.failure(.badRequest, ReelError(.workerRequest, "the request was cut short"))))
        }
        // Parsing 16 MiB of JSON takes long enough to stall every route on the cooperative
        // pool: screening and the job file go to the blocking threads.
        do {
            return .success(try await pool.run { [blobs, configuration, body] () throws -> (JobFolder, RenderRequest) in
                let data = body
                defer { if data.count > 1 << 20 { Self.trimMemory() } }
                let screened = try Worker.screen(data, limits: configuration.admission) { digest in blobs.has(digest) ? blobs.path(of: digest) : nil }
                do {
                    return (try JobFolder(in: configuration.workFolder, request: data), screened)
                } catch let error as ReelError {
                    throw Refusal(status: .internalServerError, error: error)
                }
            })
        } catch let refusal as Refusal {
            return .failure(AnswerNow(Self.failure(refusal.status, refusal.error)))
        } catch {
            return .failure(AnswerNow(Self.failure(.internalServerError, ReelError(.dispatchFailed, "\(error)"))))
        }
    }

    /// Gives the memory a large parse freed back to the system (glibc keeps it otherwise, and
    /// the worker's resident size would stay at its high-water mark).
    static func trimMemory() {
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }

    /// How many times its size a request counts against `requestMemoryBytes`.
    static let requestMemoryFactor = 3

    /// An answer to send instead of going on.
    struct AnswerNow: Error {
        var response: Response
        init(_ response: Response) { self.response = response }
    }

    /// What ended a render process early.
    private enum Stop {
        case clientGone
        case cancelled
        case overTime(admitting: Bool)
        case overMemory(Int)
        case busy
    }

    /// Starts the render process on `job` and follows it to its end; see the steps above.
    private func supervise(job: JobFolder, frames: ClosedRange<Int>, admission: SlotLease, channel: any Channel) async -> Response {
        let process: RenderProcess
        do {
            process = try await takeRenderProcess()
        } catch let error as ReelError {
            return Self.failure(.internalServerError, error)
        } catch {
            return Self.failure(.internalServerError, ReelError(.dispatchFailed, "\(error)"))
        }
        process.start(job: job.path)
        let range = "\(frames.lowerBound)-\(frames.upperBound)"
        let clock = ContinuousClock()
        var phaseStart = clock.now
        var slot: SlotLease?
        var stop: Stop?
        var done = false
        var tick = 0
        while process.exitStatus() == nil {
            let lines = process.lines()
            // It said done only after the byte that let it render: never in the same lines
            // as "admitted", which are read before that byte is sent.
            if stop == nil, lines.contains(WorkerRenderChild.doneLine) {
                done = true
                break
            }
            if stop == nil {
                let limit = slot == nil ? configuration.admissionTimeLimit : configuration.chunkTimeLimit
                if ledger.clientGone(channel) {
                    stop = .clientGone
                } else if Task.isCancelled {
                    stop = .cancelled
                } else if clock.now - phaseStart > .milliseconds(Int64(limit * 1000)) {
                    stop = .overTime(admitting: slot == nil)
                } else if let resident = process.residentBytes(), resident > configuration.renderMemoryBytes {
                    stop = .overMemory(resident)
                } else if slot == nil, lines.contains(WorkerRenderChild.admittedLine) {
                    admission.release()
                    if let taken = SlotLease(renders) {
                        slot = taken
                        phaseStart = clock.now
                        tick = 0
                        log("render \(range): started")
                        if configuration.fault != .hang { process.proceed() }
                    } else {
                        stop = .busy
                    }
                }
                if stop != nil { process.kill() }
            }
            await Self.pause(Self.pollInterval(tick))
            tick += 1
        }
        // Reaped, or done and waiting for its next job: its slot is free now, before the
        // answer is sent.
        slot?.release()
        admission.release()
        if done {
            guard let meta = job.result()?.meta else {
                process.kill()
                return Self.failure(.internalServerError, ReelError(.dispatchFailed, "the render process of frames \(range) said done without a result"))
            }
            giveBack(process)
            log(String(format: "render %@: done in %.2f s", range, meta.seconds))
            return job.answer(meta)
        }
        let exit = process.exitStatus() ?? .signal(0)

        switch stop {
        case .clientGone:
            log("render \(range): stopped, its client went away")
            return Self.failure(.badRequest, ReelError(.workerRequest, "the client went away"))
        case .cancelled:
            log("render \(range): stopped, the worker is shutting down")
            return Self.failure(.serviceUnavailable, ReelError(.workerUnavailable, "the worker is shutting down"))
        case let .overTime(admitting):
            let what = admitting
                ? "decoding and checking the scene took longer than this worker's limit of \(Self.seconds(configuration.admissionTimeLimit)) (--admission-time-limit)"
                : "frames \(range) took longer than this worker's limit of \(Self.seconds(configuration.chunkTimeLimit)) per chunk (--chunk-time-limit)"
            log("render \(range): stopped, \(what)")
            return Self.failure(.unprocessableContent, ReelError(.workerLimit, what + "; the render was stopped",
                                                                 detail: "send smaller chunks (--chunk-frames), or raise the worker's limit"))
        case let .overMemory(resident):
            let what = "the render of frames \(range) used \(resident >> 20) MB, over this worker's limit of \(configuration.renderMemoryBytes >> 20) MB (--render-memory)"
            log("render \(range): stopped, \(what)")
            return Self.failure(.unprocessableContent, ReelError(.workerLimit, what + "; it was stopped",
                                                                 detail: "send smaller chunks or a smaller scale, or raise the worker's --render-memory"))
        case .busy:
            return Self.failure(.tooManyRequests, ReelError(.workerBusy, "this worker is rendering \(configuration.maxRenders) chunk(s) already"))
        case nil:
            break
        }

        let result = job.result()
        switch exit {
        case .status(WorkerRenderChild.refusedStatus):
            guard let status = result?.status, let error = result?.error else { break }
            return Self.failure(HTTPResponse.Status(code: status), ReelError(.init(error.code), error.error, detail: error.detail))
        default:
            if let error = result?.error {
                log("render \(range): failed: \(error.error)")
                if error.code == ReelError.Code.glContextLost.rawValue, !contextLossSeen.exchange(true, ordering: .relaxed) {
                    log("the GL context was lost; it is replaced for the next render (a new render process)")
                    // The idle processes were started with the fault; their successors are not.
                    for stale in idle.withLock({ idle in
                        defer { idle.removeAll() }
                        return idle
                    }) { retire(stale) }
                    refillIdle()
                }
                return Self.failure(.internalServerError, ReelError(.init(error.code), error.error, detail: error.detail))
            }
        }
        let how: String
        switch exit {
        case let .status(code): how = "exited with status \(code)"
        case let .signal(number): how = "was killed by signal \(number)\(number == SIGKILL ? " (out of memory?)" : "")"
        }
        log("render \(range): failed: the render process \(how)")
        return Self.failure(.internalServerError, ReelError(.dispatchFailed, "the render process of frames \(range) \(how) without a result"))
    }

    /// The idle render process used last (the warmest), else a new one; a new idle one is
    /// started behind it when none is left.
    private func takeRenderProcess() async throws -> RenderProcess {
        let taken: RenderProcess? = idle.withLock { idle in
            while let last = idle.popLast() {
                if last.exitStatus() == nil { return last }
            }
            return nil
        }
        refillIdle()
        if let taken { return taken }
        return try await pool.run { [self] in try spawnRenderProcess() }
    }

    /// Starts an idle render process on the blocking threads when there is none.
    func refillIdle() {
        guard idle.withLock({ $0.isEmpty }), !refilling.exchange(true, ordering: .relaxed) else { return }
        Task { [self] in
            defer { refilling.store(false, ordering: .relaxed) }
            guard let process = try? await pool.run({ [self] in try spawnRenderProcess() }) else { return }
            keepIdle(process)
        }
    }

    /// Keeps a process that rendered for the next job, unless it rendered its share or grew
    /// past half its memory budget (a fresh one starts instead).
    private func giveBack(_ process: RenderProcess) {
        let served = process.served.add(1, ordering: .relaxed).newValue
        guard served < Self.chunksPerProcess, (process.residentBytes() ?? .max) < configuration.renderMemoryBytes / 2 else {
            retire(process)
            refillIdle()
            return
        }
        keepIdle(process)
    }

    /// Puts `process` on top of the idle ones, and ends the least recently used beyond
    /// `maxRenders + 1`: enough for every slot and one request being admitted.
    private func keepIdle(_ process: RenderProcess) {
        let surplus: [RenderProcess] = idle.withLock { idle in
            idle.append(process)
            let extra = max(0, idle.count - (configuration.maxRenders + 1))
            defer { idle.removeFirst(extra) }
            return Array(idle.prefix(extra))
        }
        for process in surplus { retire(process) }
    }

    /// Kills `process` and lets it be reaped on the blocking threads: a killed process can
    /// take tens of milliseconds to go, which the cooperative pool must not wait for.
    private func retire(_ process: RenderProcess) {
        process.kill()
        Task { [pool] in try? await pool.run { withExtendedLifetime(process) {} } }
    }

    /// Chunks one render process renders before a fresh one takes over: a process keeps its
    /// compiled programs warm, and whatever else a long life would gather.
    static let chunksPerProcess = 64

    private func spawnRenderProcess() throws -> RenderProcess {
        let limits = configuration.admission
        var arguments = ["worker-render", "--blobs", blobs.folder, "--parent", String(getpid()),
                         "--max-frames", String(limits.maxFrames), "--max-pixel-frames", String(limits.maxPixelFrames),
                         "--min-frame-pixels", String(limits.minFramePixels)]
        if configuration.fault == .corrupt { arguments.append("--corrupt") }
        var faults = configuration.glFaults
        if contextLossSeen.load(ordering: .relaxed) { faults.loseContextAtFrame = nil }
        if faults != .none { arguments += ["--gl-fault", faults.description] }
        return try RenderProcess(executable: configuration.executable, arguments: arguments, environment: childEnvironment())
    }

    /// The worker's environment without its token: a render process needs none.
    private func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["REEL_WORKER_TOKEN"] = nil
        return environment
    }

    /// Sleeps, even in a cancelled task: a killed render process must still be waited for.
    static func pause(_ duration: Duration) async {
        do {
            try await Task.sleep(for: duration)
        } catch {
            await withCheckedContinuation { continuation in
                let nanoseconds = Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { continuation.resume() }
            }
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// A job folder in the worker's work folder: the request in, the chunk and result out.
/// Removed when the last reference goes: after the answer is sent, or dropped unsent.
final class JobFolder: Sendable {
    let path: String

    /// Makes `.job-<uuid>` in `folder` with `request.json` holding `request`.
    /// - Throws: `E-IO-WRITE`.
    init(in folder: String, request: Data) throws(ReelError) {
        path = folder + "/.job-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try request.write(to: URL(fileURLWithPath: path + "/request.json"))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw ReelError(.fileUnwritable, "cannot write a render job in '\(folder)': \(error.localizedDescription)")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `result.json`, once the process has exited.
    func result() -> WorkerRenderChild.Result? {
        guard let data = FileManager.default.contents(atPath: path + "/result.json") else { return nil }
        return try? JSONDecoder().decode(WorkerRenderChild.Result.self, from: data)
    }

    /// The chunk envelope, streamed from `chunk` a quarter megabyte at a time: the worker
    /// never holds a chunk in memory.
    func answer(_ meta: ChunkMeta) -> Response {
        let chunk = path + "/chunk"
        let size = (try? FileManager.default.attributesOfItem(atPath: chunk)[.size] as? Int) ?? nil
        guard let size, let header = try? ChunkEnvelope.header(meta) else {
            return Worker.failure(.internalServerError, ReelError(.dispatchFailed, "the rendered chunk of frames \(meta.first)-\(meta.last) is missing"))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/vnd.reel.chunk"
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: header.count + size) { [self] writer in
            try await writer.write(ByteBuffer(bytes: header))
            let fd = open(chunk, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ReelError(.fileUnreadable, "cannot read the rendered chunk '\(chunk)'") }
            defer { close(fd) }
            var sent = 0
            while sent < size {
                var buffer = ByteBufferAllocator().buffer(capacity: 256 << 10)
                let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 256 << 10) { raw in max(0, read(fd, raw.baseAddress, raw.count)) }
                guard n > 0 else { throw ReelError(.fileUnreadable, "the rendered chunk '\(chunk)' was cut short") }
                sent += n
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
            _ = self  // the folder lives until the chunk is sent
        })
    }
}
