import ArgumentParser
import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a scene (or a frame range) to a video file or a PNG sequence.",
        discussion: """
        The output kind follows the name: .mp4, .mov or .mkv is a video (H.264 by default, BT.709, 4:2:0, the index at the front of MP4s); .webm is VP9; .gif (one palette for the clip, dithered), .apng (lossless) and .webp are animated images; a name with #### or %04d is a PNG sequence, one file per frame named by its frame number.

        The video is written to a hidden temporary file beside the output and renamed into place when complete; Ctrl-C stops promptly, removes what was written and exits 130. An existing output is an error unless --overwrite is given, and a failed render never touches it.

        Examples:
          reel render Scenes/showcase.yaml -o out/showcase.mp4
          reel render Scenes/showcase.yaml -o out/frames/####.png --frames 30-59
          reel render Scenes/titles.yaml -o titles.mp4 --set title="Hi" --crf 18
          reel render Scenes/showcase.yaml -o x.mp4 --progress json
          reel render Scenes/showcase.yaml -o loop.gif --scale 0.5 --fps 15
          reel render Scenes/showcase.yaml -o draft.mp4 --quality draft
          reel render Scenes/showcase.yaml -o half.mp4 --scale 0.5 --fps 24
        """
    )

    @Argument(help: ArgumentHelp("The scene file (YAML or JSON).", valueName: "scene"))
    var scene: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("A video (.mp4 .mov .mkv .webm), an animated image (.gif .apng .webp) or a PNG sequence (frames/####.png).", valueName: "path"))
    var output: String

    @Option(help: ArgumentHelp("The part to render, in the scene's own frames or in seconds: A-B, A- (to the end) or A, e.g. 30-89 or 1s-3s. --fps and --quality change how many frames it becomes, not which part. The default is all.", valueName: "range"))
    var frames: String?

    @Option(help: ArgumentHelp("Video encoder: libx264 (the default; libvpx-vp9 for .webm), libx265, libsvtav1, prores_ks, h264_nvenc, … (`reel doctor` lists them).", valueName: "name"))
    var codec: String?

    @Option(name: .customLong("pix-fmt"), help: ArgumentHelp("Pixel format, e.g. yuv444p or yuva444p10le. The default is yuv420p (converted on the GPU).", valueName: "name"))
    var pixelFormat: String?

    @Flag(help: "Keep the background transparent and encode alpha: ProRes 4444 for .mov, VP9 for .webm, and .gif (one bit), .apng, .webp and PNG.")
    var transparent = false

    @Option(name: .customLong("png-compression"), help: ArgumentHelp("zlib level for PNG frames, 0 (fastest, largest) … 9 (smallest). The default is 6.", valueName: "level"))
    var pngCompression: Int?

    @Option(name: .customLong("png-filter"), help: ArgumentHelp("PNG row filter: up (the default; best on gradients), none (best on flat colours), sub, paeth, or adaptive (libpng's per-row choice; slowest).", valueName: "name"))
    var pngFilter: PNGSettings.Filter?

    @Option(help: ArgumentHelp("Constant rate factor: lower is better and larger. The default is 20.", valueName: "n"))
    var crf: Int?

    @Option(help: ArgumentHelp("Target bit rate instead of CRF, e.g. 8M or 2500k.", valueName: "rate"))
    var bitrate: String?

    @Option(help: ArgumentHelp("Encoder preset, e.g. ultrafast … veryslow for x264. The default is veryfast.", valueName: "name"))
    var preset: String?

    @Option(help: ArgumentHelp("Draw at this multiple of the canvas size, e.g. 0.5 for a half-size draft (video sizes round to even numbers).", valueName: "factor"))
    var scale: Double?

    @Option(help: ArgumentHelp("Frame rate of the output instead of the scene's. The timeline is in seconds: frame n shows time n / fps and the length stays the same.", valueName: "rate"))
    var fps: Double?

    @Option(help: ArgumentHelp("A preset for quick looks: draft (at most 480 lines, 15 fps, no MSAA, x264 ultrafast crf 28), preview (720 lines, 30 fps, crf 23) or final (the scene's size and rate, x264 slow crf 18). --scale, --fps, --crf and --preset override it.", valueName: "preset"))
    var quality: Quality?

    enum Quality: String, ExpressibleByArgument, CaseIterable {
        case draft, preview, final

        /// At most this many lines and frames per second; nil keeps the scene's.
        var limits: (lines: Int?, fps: Double?) {
            switch self {
            case .draft: return (480, 15)
            case .preview: return (720, 30)
            case .final: return (nil, nil)
            }
        }

        var encoder: (crf: Int, preset: String) {
            switch self {
            case .draft: return (28, "ultrafast")
            case .preview: return (23, "veryfast")
            case .final: return (18, "slow")
            }
        }
    }

    @Flag(help: "Replace an existing output.")
    var overwrite = false

    @Option(help: ArgumentHelp("auto (a live bar on a terminal, quiet otherwise), bar, json (one JSON line per update) or none.", valueName: "mode"))
    var progress: ProgressMode = .auto

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("With a shader file (.fs, .glsl, .frag) in place of the scene: the picture or video a filter is applied to. A shader file alone is a scene: a generator fills a 1280×720 canvas, a filter is a pass over --input, and --set NAME=VALUE sets its inputs.", valueName: "file"))
    var input: String?

    // Remote dispatch's options, hidden in a reel built without it (which refuses them).
    @OptionGroup(visibility: ReelCLI.extensions.dispatcher == nil ? .hidden : .default)
    var dispatchOptions: RenderDispatchOptions

    typealias ProgressMode = RenderProgressMode

    func validate() throws {
        _ = try parseOverrides(overrides)
        if let crf, !(0...63).contains(crf) { throw ValidationError("--crf must be 0…63") }
        if let scale, !(scale > 0 && scale <= 8) { throw ValidationError("--scale must be more than 0 and at most 8") }
        if let fps, !(fps > 0 && fps <= 1000) { throw ValidationError("--fps must be more than 0 and at most 1000") }
        if let pngCompression, !(0...9).contains(pngCompression) { throw ValidationError("--png-compression must be 0…9") }
        if let bitrate, parseBitrate(bitrate) == nil { throw ValidationError("--bitrate \(bitrate) is not a rate; write 8M, 2500k or 800000") }
        try dispatchOptions.check()
    }

    func parseBitrate(_ text: String) -> Int? {
        let lower = text.lowercased()
        let scale = lower.hasSuffix("m") ? 1_000_000 : lower.hasSuffix("k") ? 1000 : 1
        let digits = scale == 1 ? lower : String(lower.dropLast())
        guard let value = Double(digits), value > 0 else { return nil }
        return Int(value * Double(scale))
    }

    func run() throws {
        let cancel = CancellationFlag()
        let signals = SignalWatcher(cancel: cancel)
        defer { signals.stop() }
        do {
            try reportingErrors {
                var scene = ShaderFileScene.isShaderFile(self.scene)
                    ? try ShaderFileScene.scene(shader: self.scene, input: input, settings: overrides, plugins: ReelCLI.plugins)
                    : try SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides)).load(path: self.scene)
                for warning in ScenePreflight.shaderWarnings(scene) {
                    printError("warning: \(warning.location.map { "\($0): " } ?? "")\(warning.message)")
                }
                // Assets are checked before GL starts: a FIFO, a playlist or a picture bomb fails here.
                try AssetPreflight.check(scene)
                let original = scene
                let ext = (output as NSString).pathExtension.lowercased()
                var settings = VideoSettings.forExtension(ext, alpha: transparent)
                if let codec { settings.codec = codec }
                if let pixelFormat { settings.pixelFormat = pixelFormat }
                let codec = settings.codec
                if transparent {
                    scene.canvas.background.alpha = 0
                    if pixelFormat == nil, ext != "png" {
                        switch codec {
                        case "prores_ks", "prores": settings.pixelFormat = "yuva444p10le"
                        case "libvpx-vp9", "gif", "apng", "libwebp_anim": break  // chosen by the extension above
                        default:
                            throw ReelError(.badArgument, "\(codec) cannot carry alpha",
                                            detail: "use --codec prores_ks with a .mov, a .webm (VP9), .gif, .apng, .webp or a PNG sequence")
                        }
                    }
                }
                var factor = 1.0
                if let quality {
                    let limits = quality.limits
                    if let lines = limits.lines, scene.canvas.height > lines { factor = Double(lines) / Double(scene.canvas.height) }
                    if let rate = limits.fps, scene.canvas.fps > rate { scene = scene.retimed(fps: rate) }
                    if quality == .draft { scene.canvas.samples = 1 }
                    if codec == "libx264" || codec == "libx265" { (settings.crf, settings.preset) = quality.encoder }
                }
                if let fps { scene = scene.retimed(fps: fps) }
                if let scale { factor = scale }
                if let crf { settings.crf = crf }
                if let bitrate { settings.bitrate = parseBitrate(bitrate) }
                if let preset { settings.preset = preset }
                // --frames names the scene's own frames; a new rate changes how many frames they become.
                let sceneRange = try frames.map { try FrameSelection.parse($0, frameCount: original.canvas.frameCount, fps: original.canvas.fps) }
                let range = sceneRange.map {
                    FrameSelection.outputFrames($0, sceneFPS: original.canvas.fps, outputFPS: scene.canvas.fps, outputCount: scene.canvas.frameCount)
                }
                var job = RenderJob(scene: scene, frames: range, output: try RenderOutput.forPath(output, settings: settings, png: PNGSettings(compressionLevel: pngCompression ?? 6, filter: pngFilter ?? .up)), overwrite: overwrite,
                                    plugins: ReelCLI.plugins)
                job.scale = factor
                // Tests stage crashes in a real render this way (see README, Hardening).
                job.outputFault = TestFaults.output
                if let target = dispatchOptions.dispatch, let dispatcher = ReelCLI.extensions.dispatcher {
                    try dispatcher.render(RenderDispatchRequest(
                        target: target, options: dispatchOptions, job: job, original: original, transparent: transparent,
                        scenePath: self.scene, overrides: try parseOverrides(overrides), output: output, progress: progress,
                        sceneFrames: sceneRange.map { ($0, original.canvas.fps) }, cancel: cancel))
                    return
                }
                let gl = try HeadlessGL.open(faults: TestFaults.gl)
                defer { gl.close() }
                let reporter = ProgressReporter(mode: progress)
                let warmUp = job.warmUpFrames
                if !warmUp.isEmpty {
                    switch progress {
                    case .none: break
                    case .json: printError("{\"warm_up_first\":\(warmUp.lowerBound),\"warm_up_last\":\(warmUp.upperBound - 1)}")
                    default: printError("warming up: drawing frames \(warmUp.lowerBound)-\(warmUp.upperBound - 1) first, without output (stateful shaders need them)")
                    }
                }
                let summary = try job.run(gl: gl, cancel: cancel) { reporter.update($0) }
                reporter.finish()
                let size = job.outputSize
                RenderReport.finished(frames: summary.frames, seconds: summary.seconds, files: summary.files, bytes: summary.bytes, fallback: output,
                                      width: size.width, height: size.height, fps: scene.canvas.fps,
                                      sceneFrames: sceneRange.map { ($0, original.canvas.fps) }, json: progress == .json)
            }
        } catch let exit as ExitCode where cancel.isCancelled {
            _ = exit
            throw ExitCode(130)
        }
    }
}

func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "KB", "MB", "GB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}

/// How `reel render` shows progress (`--progress`).
package enum RenderProgressMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, bar, json, none
}

/// Turns SIGINT, SIGTERM and SIGHUP (the terminal closed) into a cancellation the render
/// pipeline checks every frame, so the partial output is removed on the way out.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    init(cancel: CancellationFlag) {
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { cancel.cancel() }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}

/// Shows progress: a live bar on a terminal, JSON lines for programs, or nothing.
final class ProgressReporter: @unchecked Sendable {
    private let mode: RenderCommand.ProgressMode
    private let lock = NSLock()
    private var lastPrint = 0.0
    private var last: RenderProgress?

    init(mode: RenderCommand.ProgressMode) {
        self.mode = mode == .auto ? (isatty(STDERR_FILENO) != 0 ? .bar : .none) : mode
    }

    func update(_ progress: RenderProgress) {
        lock.lock()
        defer { lock.unlock() }
        last = progress
        // A few updates a second, and always the last one.
        guard progress.elapsed - lastPrint >= 0.25 || progress.framesDone == progress.framesTotal else { return }
        lastPrint = progress.elapsed
        emit(progress)
    }

    func finish() {
        if mode == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func emit(_ p: RenderProgress) {
        switch mode {
        case .json:
            let eta = p.eta.map { String(format: "%.2f", $0) } ?? "null"
            let line = String(format: #"{"frames_done":%d,"frames_total":%d,"fps":%.2f,"elapsed_seconds":%.2f,"eta_seconds":%@}"#,
                              p.framesDone, p.framesTotal, p.framesPerSecond, p.elapsed, eta)
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        case .bar:
            let width = 30
            let filled = p.framesTotal > 0 ? width * p.framesDone / p.framesTotal : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let eta = p.eta.map { String(format: "%d:%02d", Int($0) / 60, Int($0) % 60) } ?? "–"
            let line = String(format: "\r%@ %d/%d frames  %.1f fps  ETA %@ ", bar, p.framesDone, p.framesTotal, p.framesPerSecond, eta)
            FileHandle.standardError.write(Data(line.utf8))
        case .auto, .none:
            break
        }
    }
}

extension PNGSettings.Filter: ExpressibleByArgument {}

/// The line that ends a render: what was written, at what size and rate, and how fast; one
/// JSON object instead with `--progress json`, so a program reading stdout gets only JSON.
package enum RenderReport {
    package static func finished(frames: Int, seconds: Double, files: [String], bytes: Int64, fallback: String, width: Int, height: Int, fps: Double,
                         sceneFrames: (range: ClosedRange<Int>, fps: Double)?, extra: String = "", json: Bool) {
        if json {
            var fields: [(String, JSONValue)] = [
                ("event", "finished"), ("frames", .number(Double(frames))), ("width", .number(Double(width))), ("height", .number(Double(height))),
                ("fps", .number(fps)), ("seconds", .number((seconds * 1000).rounded() / 1000)), ("bytes", .number(Double(bytes))),
                ("output", .string(files.count == 1 ? files[0] : fallback)), ("files", .number(Double(files.count))),
            ]
            if let sceneFrames {
                fields.append(("scene_first", .number(Double(sceneFrames.range.lowerBound))))
                fields.append(("scene_last", .number(Double(sceneFrames.range.upperBound))))
            }
            print(JSONValue.object(fields).serialized(pretty: false))
            return
        }
        let where_ = files.count == 1 ? files[0] : "\(files.count) files like \(files.first ?? fallback)"
        var part = ""
        if let sceneFrames, sceneFrames.fps != fps {
            part = " (scene frames \(sceneFrames.range.lowerBound)-\(sceneFrames.range.upperBound) at \(sceneFrames.fps.clean) fps)"
        }
        print(String(format: "rendered %d frame%@%@ at %d×%d, %@ fps, in %.1f s (%.1f fps)%@ → %@ (%@)", frames, frames == 1 ? "" : "s", part, width, height, fps.clean,
                     seconds, Double(frames) / max(seconds, 1e-9), extra, where_, formatBytes(bytes)))
    }
}
