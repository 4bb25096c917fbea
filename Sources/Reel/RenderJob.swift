import Foundation
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

extension ReelError.Code {
    /// The render was cancelled (Ctrl-C, SIGTERM, task cancellation).
    public static let cancelled = Self("E-CANCELLED")
}

/// Where a render goes.
public enum RenderOutput: Sendable, Hashable {
    /// A video file; the container follows the extension (.mp4, .mov, .mkv).
    case video(path: String, settings: VideoSettings)
    /// One PNG per frame; `pattern` holds `####` (as many digits as hashes) or `%04d`.
    /// RGB over an opaque background, RGBA when it is transparent, unless `settings` says.
    case pngSequence(pattern: String, settings: PNGSettings = PNGSettings())

    /// The output kind for a file name: video by extension, or a PNG sequence by pattern.
    /// - Throws: `E-CLI-ARGUMENT` for an unknown extension or a PNG name with no frame number.
    public static func forPath(_ path: String, settings: VideoSettings = VideoSettings(),
                               png: PNGSettings = PNGSettings()) throws -> RenderOutput {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "mp4", "mov", "mkv", "m4v", "webm", "gif", "apng", "webp":
            return .video(path: path, settings: settings)
        case "png":
            if let problem = PNGSequence.problem(path) {
                let single = !path.contains("#") && !path.contains("%")
                throw ReelError(.badArgument, single ? "'\(path)' names one PNG, but a render writes one per frame" : "'\(path)' is not a PNG sequence name",
                                detail: problem)
            }
            return .pngSequence(pattern: path, settings: png)
        default:
            throw ReelError(.badArgument, "cannot tell the output kind of '\(path)'",
                            detail: "use .mp4, .mov, .mkv or .webm for video, .gif, .apng or .webp for an animated image, or frames/####.png for a PNG sequence")
        }
    }
}

/// A frame on its way to the encoder: YUV 4:2:0 from the GPU, or RGBA for other formats.
enum EncoderInput: Sendable {
    case yuv(YUVFrame)
    case rgba(RGBAImage)
}

extension YUVFrame {
    /// Moves the planes out of `planes` (which starts empty, so the next readback allocates
    /// fresh storage instead of copying what the encoder still holds).
    init(taking planes: inout YUVPlanes) {
        self.init(width: planes.width, height: planes.height, y: planes.y, uv: planes.uv, stride: planes.stride)
        planes.y = []
        planes.uv = []
    }
}

extension YUVPlanes {
    /// Takes back the storage of a frame the encoder is done with.
    mutating func reuse(_ frame: consuming YUVFrame) {
        y = frame.y
        uv = frame.uv
    }
}

/// How far a render has got.
public struct RenderProgress: Sendable, Hashable {
    public var framesDone: Int
    public var framesTotal: Int
    /// Seconds since the render started.
    public var elapsed: Double

    public var framesPerSecond: Double { elapsed > 0 ? Double(framesDone) / elapsed : 0 }
    /// Seconds left at the current rate; nil before the first frame.
    public var eta: Double? { framesDone > 0 ? Double(framesTotal - framesDone) / framesPerSecond : nil }
}

/// What a finished render produced.
public struct RenderSummary: Sendable {
    public var frames: Int
    public var seconds: Double
    /// The files written: one video, or the PNG frames.
    public var files: [String]
    public var bytes: Int64
}

/// Stops a render from another thread (a signal handler, task cancellation).
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// A scene, a frame range and an output: the unit of work the engine (and, later, remote
/// workers) renders.
public struct RenderJob: Sendable {
    public var scene: Scene
    /// Frame numbers to render, inclusive, in scene frames.
    public var frames: ClosedRange<Int>
    public var output: RenderOutput
    /// Replace existing outputs. The default is false: an existing output is an error.
    public var overwrite: Bool
    /// Where the scene's plugin uses are looked up: the registry whose catalog decoded it.
    public var plugins: PluginRegistry
    /// Draws every frame this many times the canvas size (0.5 for a quick half-size draft).
    public var scale: Double = 1
    /// Test only: a crash to stage in the output on purpose. The default is none.
    public var outputFault: OutputFault?
    /// Called with each frame's number and the checksum of its raw RGBA pixels
    /// (`FrameChecksum`), from the GL thread: the determinism record of remote dispatch.
    /// Nil (the default) skips the extra readback.
    public var frameChecksums: (@Sendable (_ frame: Int, _ checksum: String) -> Void)?

    /// The size of the frames written: the canvas times `scale`, rounded (to even numbers for
    /// video, which 4:2:0 chroma needs), at least 2 pixels a side.
    public var outputSize: (width: Int, height: Int) {
        let width = Double(scene.canvas.width) * scale, height = Double(scene.canvas.height) * scale
        if scale == 1 { return (scene.canvas.width, scene.canvas.height) }
        if case .video = output { return (max(2, Int((width / 2).rounded()) * 2), max(2, Int((height / 2).rounded()) * 2)) }
        return (max(2, Int(width.rounded())), max(2, Int(height.rounded())))
    }

    public init(scene: Scene, frames: ClosedRange<Int>? = nil, output: RenderOutput, overwrite: Bool = false,
                plugins: PluginRegistry = .standard) {
        self.scene = scene
        self.frames = frames ?? 0...(scene.canvas.frameCount - 1)
        self.output = output
        self.overwrite = overwrite
        self.plugins = plugins
    }

    /// Frames drawn without output before the first one, because stateful passes (persistent
    /// buffers, feedback) need them; empty for most scenes and for ranges from frame 0.
    public var warmUpFrames: Range<Int> {
        guard let registry = try? plugins.including(scene) else { return frames.lowerBound..<frames.lowerBound }
        return SceneRenderer.warmUpFrames(before: frames.lowerBound, scene: scene, plugins: registry)
    }

    /// Renders the job. Progress is reported from a pipeline thread after each frame.
    /// - Throws: `E-CANCELLED` when `cancel` is set (nothing is left behind), `E-IO-EXISTS`,
    ///   `E-IO-WRITE`, GL, media and encoder errors; on any failure no partial output remains
    ///   and an existing output is untouched.
    public func run(gl: HeadlessGL, cancel: CancellationFlag = CancellationFlag(),
                    progress: @escaping @Sendable (RenderProgress) -> Void = { _ in }) throws -> RenderSummary {
        let madeFolders = try checkOutputs()
        do {
            switch output {
            case let .video(path, settings):
                return try renderVideo(path: path, settings: settings, gl: gl, cancel: cancel, progress: progress)
            case let .pngSequence(pattern, png):
                var png = png
                if png.alpha == nil { png.alpha = scene.canvas.background.alpha < 1 }
                return try renderPNGs(pattern: pattern, settings: png, gl: gl, cancel: cancel, progress: progress)
            }
        } catch {
            // A failed render leaves nothing, not even the folders it made for its output.
            AtomicFile.removeIfEmpty(madeFolders)
            throw error
        }
    }

    private func checkOutputs() throws -> [String] {
        try Self.prepareOutput(output, frames: frames, overwrite: overwrite)
    }

    /// Checks an output before anything is drawn: makes the folders it needs, refuses what it
    /// may not replace, and clears up what killed renders left there (temporaries of dead
    /// processes, and sequences they staged: finished when complete, removed when not). A
    /// dispatched render's coordinator calls it too.
    /// - Returns: the folders made, for `AtomicFile.removeIfEmpty` after a failure.
    /// - Throws: `E-CLI-ARGUMENT`, `E-IO-EXISTS`, `E-IO-WRITE`.
    public static func prepareOutput(_ output: RenderOutput, frames: ClosedRange<Int>, overwrite: Bool) throws -> [String] {
        switch output {
        case let .video(path, _):
            let made = try AtomicFile.makeFolders(for: path)
            try AtomicFile.checkWritable(path)
            AtomicFile.removeAbandoned(besides: path)
            try AtomicFile.checkTarget(path, overwrite: overwrite)
            return made
        case let .pngSequence(pattern, _):
            if let problem = PNGSequence.problem(pattern) {
                throw ReelError(.badArgument, "'\(pattern)' is not a PNG sequence name", detail: problem)
            }
            let first = PNGSequence.path(pattern, frame: frames.lowerBound)
            let made = try AtomicFile.makeFolders(for: first)
            try AtomicFile.checkWritable(first)
            SequenceStaging.recover(in: URL(fileURLWithPath: first).deletingLastPathComponent().path)
            try PNGSequence.checkExisting(pattern, frames: frames, overwrite: overwrite)
            return made
        }
    }

    // MARK: - The pipeline

    /// Evaluates frames on a thread of its own, a few ahead of the GL thread. A frame over the
    /// scene's drawing limits (`FrameCost`) stops the render with that error before it is drawn.
    private func startEvaluation(_ queue: BoundedQueue<FrameState>, cancel: CancellationFlag, failed: @escaping @Sendable (any Error) -> Void) {
        let job = self
        Thread {
            for frame in job.frames {
                if cancel.isCancelled { break }
                do {
                    if !queue.put(try job.evaluate(frame)) { break }
                } catch {
                    failed(error)
                    queue.abandon()
                    break
                }
            }
            queue.close()
        }.start()
    }

    /// Frame `frame` ready to draw at the output size, checked against the drawing limits.
    /// - Throws: `E-SCENE-LIMIT` (a `SceneError`) for a frame that would cost too much to draw.
    func evaluate(_ frame: Int) throws -> FrameState {
        let size = outputSize
        let state = Timeline.evaluate(scene, frame: frame, plugins: plugins)
        try FrameCost.check(state, of: scene, width: size.width, height: size.height)
        return state.resized(width: size.width, height: size.height)
    }

    private func renderVideo(path: String, settings: VideoSettings, gl: HeadlessGL, cancel: CancellationFlag,
                             progress: @escaping @Sendable (RenderProgress) -> Void) throws -> RenderSummary {
        let canvas = scene.canvas, size = outputSize
        let temporary = try AtomicFile.temporary(for: path)
        let start = DispatchTime.now().uptimeNanoseconds
        let total = frames.count
        @Sendable func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        do {
            let encoder = try VideoEncoder(path: temporary, containerName: path, width: size.width, height: size.height,
                                           fps: canvas.fps, settings: settings)
            if settings.pixelFormat == "pal8" {
                // One palette for the clip: a first pass draws every frame and counts colours.
                // Frames depend only on their number, so the second pass draws the same ones.
                encoder.palette = PaletteMapper(palette: try clipPalette(gl: gl, cancel: cancel))
            }
            let states = BoundedQueue<FrameState>(capacity: 3)
            let encoded = BoundedQueue<EncoderInput>(capacity: 3)
            let failure = Mutex<(any Error)?>(nil)
            let done = DispatchSemaphore(value: 0)
            // Planes go back to the GL thread once encoded, so steady state allocates nothing
            // (fresh 3 MB buffers cost page faults every frame).
            let spare = Mutex<[YUVFrame]>([])
            startEvaluation(states, cancel: cancel) { error in failure.withLock { $0 = $0 ?? error } }
            // The encoder runs on its own thread so drawing the next frame overlaps it.
            Thread {
                var count = 0
                while let frame = encoded.take() {
                    if cancel.isCancelled { break }
                    do {
                        switch frame {
                        case let .yuv(yuv):
                            try encoder.append(yuv)
                            spare.withLock { if $0.count < 4 { $0.append(yuv) } }
                        case let .rgba(image): try encoder.append(rgba: image)
                        }
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        encoded.abandon()
                        states.abandon()
                        break
                    }
                    count += 1
                    progress(RenderProgress(framesDone: count, framesTotal: total, elapsed: elapsed()))
                }
                done.signal()
            }.start()
            do {
                try gl.sync { context in
                    let renderer = try SceneRenderer.make(scene, plugins: plugins, context: context, first: frames.lowerBound, size: size)
                    defer { renderer.release() }
                    var planes = YUVPlanes()
                    var pixels: [UInt8] = []
                    while let state = states.take() {
                        if cancel.isCancelled { break }
                        let input: EncoderInput
                        if settings.usesGPUConversion {
                            if let reused = spare.withLock({ $0.popLast() }) { planes.reuse(reused) }
                            if let frameChecksums {
                                try renderer.renderYUV(state, into: &planes, rgba: &pixels)
                                frameChecksums(state.frame, FrameChecksum.of(pixels))
                            } else {
                                try renderer.renderYUV(state, into: &planes)
                            }
                            input = .yuv(YUVFrame(taking: &planes))
                        } else {
                            let image = try renderer.render(state)
                            frameChecksums?(state.frame, FrameChecksum.of(image.pixels))
                            input = .rgba(image)
                        }
                        if !encoded.put(input) { break }
                    }
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
                states.abandon()
            }
            encoded.close()
            done.wait()
            if let error = failure.withLock({ $0 }) { throw error }
            if cancel.isCancelled { throw ReelError(.cancelled, "the render was cancelled; no output was written") }
            try encoder.finish()
            try AtomicFile.commit(temporary, to: path)
        } catch {
            AtomicFile.discard(temporary)
            throw error
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        return RenderSummary(frames: total, seconds: elapsed(), files: [path], bytes: bytes)
    }

    /// Counts the colours of every frame of the job and builds its palette (GIF).
    private func clipPalette(gl: HeadlessGL, cancel: CancellationFlag) throws -> Palette {
        let size = outputSize
        return try gl.sync { context in
            let renderer = try SceneRenderer.make(scene, plugins: plugins, context: context, first: frames.lowerBound, size: size)
            defer { renderer.release() }
            var builder = PaletteBuilder()
            for frame in frames {
                if cancel.isCancelled { throw ReelError(.cancelled, "the render was cancelled; no output was written") }
                builder.add(try renderer.render(try evaluate(frame)))
            }
            return builder.build()
        }
    }

    private func renderPNGs(pattern: String, settings: PNGSettings, gl: HeadlessGL, cancel: CancellationFlag,
                            progress: @escaping @Sendable (RenderProgress) -> Void) throws -> RenderSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        let total = frames.count
        @Sendable func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let states = BoundedQueue<FrameState>(capacity: 3)
        let images = BoundedQueue<(Int, RGBAImage)>(capacity: 4)
        let failure = Mutex<(any Error)?>(nil)
        // Frames are staged in a folder beside them and moved into place only once all are
        // written: a failure part-way leaves an existing sequence exactly as it was.
        let staging = try SequenceStaging(pattern: pattern)
        staging.fault = outputFault
        let counter = Atomic<Int>(0)
        let group = DispatchGroup()
        startEvaluation(states, cancel: cancel) { error in failure.withLock { $0 = $0 ?? error } }
        // PNG compression is the slow part: one writer per core, beside the GL thread.
        let writers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for _ in 0..<writers {
            group.enter()
            Thread {
                defer { group.leave() }
                while let (frame, image) = images.take() {
                    if cancel.isCancelled { break }
                    do {
                        try staging.stage(try PNGCodec.encode(image, settings: settings), frame: frame)
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        images.abandon()
                        states.abandon()
                        break
                    }
                    let done = counter.add(1, ordering: .relaxed).newValue
                    progress(RenderProgress(framesDone: done, framesTotal: total, elapsed: elapsed()))
                }
            }.start()
        }
        do {
            try gl.sync { context in
                let renderer = try SceneRenderer.make(scene, plugins: plugins, context: context, first: frames.lowerBound, size: outputSize)
                defer { renderer.release() }
                while let state = states.take() {
                    if cancel.isCancelled { break }
                    let image = try renderer.render(state)
                    frameChecksums?(state.frame, FrameChecksum.of(image.pixels))
                    if !images.put((state.frame, image)) { break }
                }
            }
        } catch {
            failure.withLock { $0 = $0 ?? error }
            states.abandon()
        }
        images.close()
        group.wait()
        var error = failure.withLock { $0 }
        if error == nil && cancel.isCancelled { error = ReelError(.cancelled, "the render was cancelled; the frames it drew were removed") }
        if let error {
            // A sequence cut short is not presented as complete, nor does it replace one that was.
            staging.discard()
            throw error
        }
        try staging.commit()
        let files = frames.map { PNGSequence.path(pattern, frame: $0) }
        let bytes = files.reduce(Int64(0)) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int64) ?? 0) }
        return RenderSummary(frames: total, seconds: elapsed(), files: files, bytes: bytes)
    }
}
