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
// 5. Throughout, every 50 ms: is the process over its time (`admissionTimeLimit`, then
//    `chunkTimeLimit`) or its memory (`renderMemoryBytes`), has the client gone? Then it is
//    killed, and its slot is free the moment it is reaped.
// 6. The chunk is streamed from the job folder, which is removed after.

extension Worker {
    /// How often a render process is looked at: its exit, its memory, its client.
    static let pollInterval = Duration.milliseconds(50)

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
        while process.exitStatus() == nil {
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
                } else if slot == nil, process.lines().contains(WorkerRenderChild.admittedLine) {
                    admission.release()
                    if let taken = SlotLease(renders) {
                        slot = taken
                        phaseStart = clock.now
                        log("render \(range): started")
                        if configuration.fault != .hang { process.proceed() }
                    } else {
                        stop = .busy
                    }
                }
                if stop != nil { process.kill() }
            }
            await Self.pause(Self.pollInterval)
        }
        // Reaped: its slot is free now, before the answer is sent.
        slot?.release()
        admission.release()
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
        case .status(0):
            guard let meta = result?.meta else { break }
            log(String(format: "render %@: done in %.2f s", range, meta.seconds))
            return job.answer(meta)
        case .status(WorkerRenderChild.refusedStatus):
            guard let status = result?.status, let error = result?.error else { break }
            return Self.failure(HTTPResponse.Status(code: status), ReelError(.init(error.code), error.error, detail: error.detail))
        default:
            if let error = result?.error {
                log("render \(range): failed: \(error.error)")
                if error.code == ReelError.Code.glContextLost.rawValue, !contextLossSeen.exchange(true, ordering: .relaxed) {
                    log("the GL context was lost; it is replaced for the next render (a new render process)")
                    // The spare was started with the fault; its successor is not.
                    spare.withLock { spare in
                        defer { spare = nil }
                        return spare
                    }?.kill()
                    refillSpare()
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

    /// The spare render process (a new one when there is none, or it died), and a new spare
    /// started behind it.
    private func takeRenderProcess() async throws -> RenderProcess {
        let taken = spare.withLock { spare in
            defer { spare = nil }
            return spare
        }
        refillSpare()
        if let taken, taken.exitStatus() == nil { return taken }
        return try await pool.run { [self] in try spawnRenderProcess() }
    }

    /// Starts a spare render process on the blocking threads, unless there is one.
    func refillSpare() {
        Task { [self] in
            guard spare.withLock({ $0 == nil }), let process = try? await pool.run({ [self] in try spawnRenderProcess() }) else { return }
            let extra: RenderProcess? = spare.withLock { spare in
                if spare == nil {
                    spare = process
                    return nil
                }
                return process
            }
            extra?.kill()  // another refill won the race; its process is reaped as it goes
        }
    }

    private func spawnRenderProcess() throws -> RenderProcess {
        let limits = configuration.admission
        var arguments = ["worker-render", "--blobs", blobs.folder, "--parent", String(getpid()),
                         "--max-frames", String(limits.maxFrames), "--max-pixel-frames", String(limits.maxPixelFrames),
                         "--min-frame-pixels", String(limits.minFramePixels)]
        if configuration.fault == .corrupt { arguments.append("--corrupt") }
        return try RenderProcess(executable: configuration.executable, arguments: arguments, environment: childEnvironment())
    }

    /// The worker's environment without its token (a render process needs none) and, once a
    /// render process lost its context, without `REEL_GL_FAULT`'s `lose-context`.
    private func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["REEL_WORKER_TOKEN"] = nil
        if contextLossSeen.load(ordering: .relaxed), let faults = environment["REEL_GL_FAULT"] {
            environment["REEL_GL_FAULT"] = faults.split(separator: ",").filter { !$0.hasPrefix("lose-context@") }.joined(separator: ",")
        }
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
