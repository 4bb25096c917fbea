import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia

/// The render process of a worker (`reel worker-render`, hidden): one request, admitted and
/// rendered in a process the worker can kill. GL work cannot be interrupted inside a process
/// (a shader compile can run for minutes), so the worker bounds a chunk's time and memory, and
/// drops it when its client leaves, by killing this process.
///
/// The worker keeps processes started ahead, their GL context open, so that a request does not
/// wait for one to load and open a context (on NVIDIA, most of a second); a process that
/// rendered a chunk waits for the next, its compiled programs warm. It is started with the
/// blob folder, the limits and the worker's pid; stdin and stdout are pipes to the worker.
/// For each job:
/// 1. It reads one line from stdin: a job folder, holding `request.json` (a request that
///    passed `Worker.screen`). End of input: it exits with `cancelledStatus`.
/// 2. `Worker.admit` decodes the scene from the blobs and checks it. A refusal is written to
///    `result.json` (status and error) and the process exits with `refusedStatus`.
/// 3. It writes `admitted` and a newline to stdout, and waits for one byte on stdin: the
///    worker sends it once a render slot is free. End of input instead means the worker
///    dropped the request; the process exits with `cancelledStatus`.
/// 4. It renders the chunk into the job folder, writes the bytes that travel to `chunk` and
///    `ChunkMeta` to `result.json`, and writes `done` and a newline; then the next job. A
///    render that fails (or a context that did not open) writes its error to `result.json`
///    (status 500) and exits 1: only a process that succeeded renders again.
///
/// It exits by itself when the worker does (a thread watches the parent pid): the worker's
/// SIGKILL leaves no orphan rendering.
public enum WorkerRenderChild {
    /// Exit status of a render refused at admission.
    public static let refusedStatus: Int32 = 2
    /// Exit status when the worker dropped the request before the render began.
    public static let cancelledStatus: Int32 = 3

    /// What the worker tells its render process.
    public struct Options: Sendable {
        /// The worker's blob folder, read-only here: a file is `<blobs>/<sha256>`.
        public var blobs: String
        /// The worker's pid: this process exits when its parent is no longer that.
        public var parent: pid_t
        public var limits: AdmissionLimits
        /// `REEL_WORKER_FAULT=corrupt`: flip a byte of the chunk after its digest is taken.
        public var corrupt = false
        /// Faults for this process's GL context (`WorkerConfiguration.glFaults`), for tests.
        public var glFaults = GLFaults.none

        public init(blobs: String, parent: pid_t, limits: AdmissionLimits) {
            (self.blobs, self.parent, self.limits) = (blobs, parent, limits)
        }
    }

    /// What `result.json` holds: an error answer (status and body) or the chunk's meta.
    struct Result: Codable {
        var status: Int?
        var error: WorkerErrorBody?
        var meta: ChunkMeta?
    }

    static let admittedLine = "admitted"
    static let doneLine = "done"

    /// The nice value render processes run at.
    static let niceness: Int32 = 10

    /// What `probe()` writes: the context's info, or why there is none.
    struct ProbeAnswer: Codable {
        var info: GLInfo?
        var error: WorkerErrorBody?
    }

    /// `reel worker-render --probe`: opens a GL context, writes its `GLInfo` (or the error) as
    /// one line of JSON to stdout, and returns the exit status. A worker learns its renderer
    /// this way once at start, and itself never opens a display: an initialised EGL display
    /// stays for the life of a process, with its driver's threads and memory.
    public static func probe() -> Int32 {
        var answer = ProbeAnswer()
        do {
            let gl = try HeadlessGL.open(label: "reel.worker-probe")
            answer.info = gl.info
            gl.close()
        } catch let error as ReportableError {
            answer.error = WorkerErrorBody(ReelError(reporting: error))
        } catch {
            answer.error = WorkerErrorBody(ReelError(.workerUnavailable, "\(error)"))
        }
        let data = (try? JSONEncoder().encode(answer)) ?? Data()
        FileHandle.standardOutput.write(data + Data("\n".utf8))
        return answer.info == nil ? 1 : 0
    }

    /// Runs the protocol above and returns the exit status.
    public static func run(_ options: Options, plugins: PluginRegistry) -> Int32 {
        watchParent(options.parent)
        // Below the worker: when renders take every core, the worker still answers health
        // and refuses what it must at once. Alone on a machine a render runs as fast.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        let context = Swift.Result { try HeadlessGL.open(label: "reel.worker-render", faults: options.glFaults) }
        defer { (try? context.get())?.close() }
        while true {
            guard let job = readJobLine() else { return cancelledStatus }
            let status = render(job: job, options: options, plugins: plugins, context: context)
            guard status == 0 else { return status }
            // Rendered: ready for another job, with the context and its compiled programs warm.
            FileHandle.standardOutput.write(Data((doneLine + "\n").utf8))
        }
    }

    /// One job: admission, the wait for a slot, the render. Returns 0 when the chunk is
    /// written, else the status to exit with.
    private static func render(job: String, options: Options, plugins: PluginRegistry, context: Swift.Result<HeadlessGL, any Error>) -> Int32 {
        let body: [UInt8]
        do {
            body = try ChunkRender.readAll(job + "/request.json")
        } catch {
            return fail(job, ReelError(.workerUnavailable, "the render process cannot read its request: \(error)"))
        }
        let blobs = options.blobs
        let admitted: Worker.AdmittedRender
        do {
            admitted = try Worker.admit(body, plugins: plugins, limits: options.limits) { digest in
                let path = blobs + "/" + digest
                return SHA256Hasher.isDigest(digest) && access(path, R_OK) == 0 ? path : nil
            }
        } catch {
            write(job, Result(status: Int(error.status.code), error: WorkerErrorBody(error.error)))
            return refusedStatus
        }
        FileHandle.standardOutput.write(Data((admittedLine + "\n").utf8))
        var go: UInt8 = 0
        guard read(STDIN_FILENO, &go, 1) == 1 else { return cancelledStatus }

        do {
            let gl = try context.get()
            let (scene, frames, output) = (admitted.scene, admitted.frames, admitted.request.output)
            let chunk = try ChunkRender.render(scene: scene, plugins: plugins, frames: frames, output: output, gl: gl, workFolder: job)
            var payload = chunk.payload
            let meta = ChunkMeta(first: frames.lowerBound, last: frames.upperBound, digest: SHA256Hasher.hex(payload),
                                 frameChecksums: chunk.frameChecksums, vendor: gl.info.vendor, renderer: gl.info.renderer,
                                 hardware: !gl.info.isSoftware, seconds: chunk.seconds)
            if options.corrupt, !payload.isEmpty { payload[payload.count / 2] ^= 0x5A }
            // No fsync: the worker reads it back as soon as this process says done, then deletes it.
            do {
                try Data(payload).write(to: URL(fileURLWithPath: job + "/chunk"))
            } catch {
                throw ReelError(.fileUnwritable, "cannot write the chunk in '\(job)': \(error.localizedDescription)")
            }
            write(job, Result(meta: meta))
            return 0
        } catch let error as ReportableError {
            return fail(job, ReelError(reporting: error))
        } catch {
            return fail(job, ReelError(.dispatchFailed, "\(error)"))
        }
    }

    /// One line from stdin, read a byte at a time: a buffered read could swallow the byte
    /// that later says go.
    private static func readJobLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096, read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    private static func fail(_ job: String, _ error: ReelError) -> Int32 {
        write(job, Result(status: 500, error: WorkerErrorBody(error)))
        return 1
    }

    private static func write(_ job: String, _ result: Result) {
        // If even this fails the worker answers from the exit status alone.
        if let data = try? JSONEncoder().encode(result) { try? data.write(to: URL(fileURLWithPath: job + "/result.json"), options: .atomic) }
    }

    /// Exits when the parent is gone (its pid is no longer our parent's): a SIGKILLed worker
    /// cannot stop its render processes, so they stop themselves within a quarter second.
    private static func watchParent(_ parent: pid_t) {
        guard getppid() == parent else { _exit(cancelledStatus) }
        let thread = Thread {
            while getppid() == parent { usleep(250_000) }
            _exit(cancelledStatus)
        }
        thread.name = "reel.worker-render.parent"
        thread.start()
    }
}

extension WorkerErrorBody {
    init(_ error: ReelError) {
        self.init(error: error.message, code: error.code.rawValue, detail: error.detail)
    }
}
