import Foundation
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// The one frame pipeline every render runs, whatever its output: the threads, the bounded
/// queues between them, cancellation and the first failure live here, and outputs are
/// `FrameSink`s plugged into its end.
///
/// ```
/// evaluation thread   Timeline.evaluate + FrameCost ─▶ states (3)
/// GL thread           draw ─▶ readback ring (pixel-pack buffers, async) ─▶ frames (ring depth)
/// sink threads        FrameSink.consume × concurrency ─▶ the sink's own stages (file writers…)
/// ```
/// Every queue is bounded, so memory stays flat however long the render; the ring's buffers
/// are the frames in flight between the GL thread and the sink, read in place (mapped) and
/// handed back once consumed. The first error anywhere stops every stage (`PipelineControl`),
/// and the sink then discards what it wrote; a cancelled render does the same.
struct FramePipeline {
    let job: RenderJob
    let gl: HeadlessGL
    let control: PipelineControl

    /// Most frames a sink may take at once: beyond this more threads buy nothing, and each
    /// holds a frame of the ring.
    static let maxConcurrency = 8

    /// Draws the job's frames and hands each to `sink` in the layout it asks for. Returns
    /// once the sink has consumed every frame; `control` then holds the first failure, if any.
    func run(into sink: any FrameSink) {
        let states = BoundedQueue<FrameState>(capacity: 3)
        control.onStop { states.abandon() }
        startEvaluation(states)
        let checksums = job.frameChecksums
        let concurrency = max(1, min(sink.concurrency, Self.maxConcurrency))
        let frames = PipelineStage<ReadbackFrame>("frames", workers: concurrency, capacity: concurrency + 2, control: control) { frame in
            defer { frame.release() }
            if let checksums, let rgba = frame.rgba { checksums(frame.frame, FrameChecksum.of(rgba)) }
            try sink.consume(frame)
        }
        sink.start(control)
        do {
            try gl.sync { context in
                let renderer = try SceneRenderer.make(job.scene, plugins: job.plugins, context: context, first: job.frames.lowerBound,
                                                      size: job.outputSize)
                // Reads in flight (two) plus a frame for each sink thread.
                let ring = ReadbackRing(context: context, layout: sink.layout(checksums: checksums != nil), depth: concurrency + 2)
                defer {
                    // Lent frames come back as the sink threads consume (or drop) them.
                    ring.release()
                    renderer.release()
                }
                do {
                    drawing: while let state = states.take() {
                        if control.isStopped { break }
                        try renderer.render(state, readingInto: ring)
                        // The frame drawn before this one has had a frame's time to arrive.
                        while let frame = try ring.collect(keepingInFlight: 1) {
                            if !frames.put(frame) { break drawing }
                        }
                    }
                    while !control.isStopped, let frame = try ring.collect(keepingInFlight: 0) {
                        if !frames.put(frame) { break }
                    }
                } catch {
                    control.fail(error)
                }
            }
        } catch {
            control.fail(error)
        }
        frames.finish()
        sink.drain()
    }

    /// Evaluates frames on a thread of its own, a few ahead of the GL thread. A frame over the
    /// scene's drawing limits (`FrameCost`) stops the render with that error before it is drawn.
    private func startEvaluation(_ queue: BoundedQueue<FrameState>) {
        let job = self.job, control = self.control
        Thread {
            for frame in job.frames {
                if control.isStopped { break }
                do {
                    if !queue.put(try job.evaluate(frame)) { break }
                } catch {
                    control.fail(error)
                    break
                }
            }
            queue.close()
        }.start()
    }
}

/// Where a render's frames go: a video, a PNG sequence, a clip's palette (and, shaped the
/// same, a preview stream or an audio-muxing video later). The pipeline calls `start`, then
/// `consume` for each frame on up to `concurrency` threads, then `drain`; the render then
/// calls `finish` or, after a failure or cancellation, `discard`.
protocol FrameSink: AnyObject, Sendable {
    /// What the GL thread reads back for this sink; `checksums` asks for RGBA beside it.
    func layout(checksums: Bool) -> ReadbackLayout
    /// Threads that take frames at once; above one, frames arrive in any order.
    var concurrency: Int { get }
    /// Starts the sink's own stages, stopped with the pipeline by `control`.
    func start(_ control: PipelineControl)
    /// Takes one frame. The frame's memory is lent: read it here, or copy what is kept. Call
    /// `control.frameDone()` once the frame has reached its output.
    func consume(_ frame: ReadbackFrame) throws
    /// Waits for the sink's own stages once the last frame is consumed (or the render stopped).
    func drain()
    /// Makes the output whole and puts it in place; after every frame was consumed.
    func finish() throws
    /// Removes everything the sink wrote. Idempotent.
    func discard()
    /// What a cancelled render says it left behind.
    var cancelledMessage: String { get }
}

extension FrameSink {
    func start(_ control: PipelineControl) {}
    func drain() {}
}

/// The shared state of one pipeline run: cancellation, the first failure, progress, and the
/// queues to wake when it stops.
final class PipelineControl: @unchecked Sendable {
    let cancel: CancellationFlag
    private let failure = Mutex<(any Error)?>(nil)
    private let stoppers = Mutex<[@Sendable () -> Void]>([])
    private let done = Atomic<Int>(0)
    private let total: Int
    private let start = DispatchTime.now().uptimeNanoseconds
    private let progress: @Sendable (RenderProgress) -> Void

    init(cancel: CancellationFlag, total: Int, progress: @escaping @Sendable (RenderProgress) -> Void) {
        (self.cancel, self.total, self.progress) = (cancel, total, progress)
    }

    /// Seconds since the pipeline was made.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// True once a stage failed or the render was cancelled: every stage stops taking work.
    var isStopped: Bool { cancel.isCancelled || failure.withLock { $0 != nil } }

    /// The first failure, if any.
    var error: (any Error)? { failure.withLock { $0 } }

    /// Records `error` unless an earlier one was recorded, and stops every stage.
    func fail(_ error: any Error) {
        let first = failure.withLock { recorded in
            guard recorded == nil else { return false }
            recorded = error
            return true
        }
        if first { for stop in stoppers.withLock({ $0 }) { stop() } }
    }

    /// Runs `stop` when the pipeline fails (at once if it already has): abandoning a queue.
    func onStop(_ stop: @escaping @Sendable () -> Void) {
        stoppers.withLock { $0.append(stop) }
        if error != nil { stop() }
    }

    /// Counts a frame that reached its output and reports progress.
    func frameDone() {
        let count = done.add(1, ordering: .relaxed).newValue
        progress(RenderProgress(framesDone: count, framesTotal: total, elapsed: elapsed))
    }
}

/// One stage of the pipeline: `workers` threads taking items from a bounded queue and
/// running `body` on each. A throw fails the whole pipeline; once it is stopped, queued
/// items are dropped.
final class PipelineStage<Item>: @unchecked Sendable {
    private let queue: BoundedQueue<Item>
    private let group = DispatchGroup()

    init(_ name: String, workers: Int, capacity: Int, control: PipelineControl, body: @escaping @Sendable (Item) throws -> Void) {
        let queue = BoundedQueue<Item>(capacity: capacity)
        self.queue = queue
        control.onStop { queue.abandon() }
        for index in 0..<max(1, workers) {
            group.enter()
            let thread = Thread { [group] in
                defer { group.leave() }
                while let item = queue.take() {
                    if control.isStopped { continue }  // drained, not worked on
                    do {
                        try body(item)
                    } catch {
                        control.fail(error)
                    }
                }
            }
            thread.name = "reel.\(name).\(index)"
            thread.start()
        }
    }

    /// Queues `item`, waiting for room; false when the pipeline stopped (the item is dropped).
    @discardableResult
    func put(_ item: Item) -> Bool { queue.put(item) }

    /// No more items: waits until the workers have taken the last one and finished.
    func finish() {
        queue.close()
        group.wait()
    }
}
