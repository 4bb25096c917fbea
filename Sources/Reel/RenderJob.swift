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
    /// (`FrameChecksum`), from a pipeline thread (not the GL thread, and not in frame order):
    /// the determinism record of remote dispatch. Nil (the default) skips the extra readback.
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
                let control = PipelineControl(cancel: cancel, total: frames.count, progress: progress)
                let sink = try PNGSequenceSink(pattern: pattern, settings: png, fault: outputFault)
                try run(into: sink, gl: gl, control: control)
                let files = frames.map { PNGSequence.path(pattern, frame: $0) }
                let bytes = files.reduce(Int64(0)) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int64) ?? 0) }
                return RenderSummary(frames: frames.count, seconds: control.elapsed, files: files, bytes: bytes)
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

    /// Runs the frame pipeline into `sink`, then finishes the sink's output, or discards it
    /// after a failure or cancellation (a failure wins over a cancellation that raced it).
    private func run(into sink: any FrameSink, gl: HeadlessGL, control: PipelineControl) throws {
        FramePipeline(job: self, gl: gl, control: control).run(into: sink)
        if let error = control.error {
            sink.discard()
            throw error
        }
        if control.cancel.isCancelled {
            sink.discard()
            throw ReelError(.cancelled, sink.cancelledMessage)
        }
        do {
            try sink.finish()
        } catch {
            sink.discard()
            throw error
        }
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
        let size = outputSize
        let control = PipelineControl(cancel: cancel, total: frames.count, progress: progress)
        let sink = try VideoSink(path: path, settings: settings, width: size.width, height: size.height, fps: scene.canvas.fps)
        if settings.pixelFormat == "pal8" {
            // One palette for the clip: a first pass draws every frame and counts colours.
            // Frames depend only on their number, so the second pass draws the same ones.
            let palette = PaletteSink()
            var counting = self
            counting.frameChecksums = nil
            let first = PipelineControl(cancel: cancel, total: frames.count) { _ in }
            FramePipeline(job: counting, gl: gl, control: first).run(into: palette)
            if let error = first.error {
                sink.discard()
                throw error
            }
            if cancel.isCancelled {
                sink.discard()
                throw ReelError(.cancelled, sink.cancelledMessage)
            }
            sink.encoder.palette = PaletteMapper(palette: palette.palette)
        }
        try run(into: sink, gl: gl, control: control)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        return RenderSummary(frames: frames.count, seconds: control.elapsed, files: [path], bytes: bytes)
    }
}
