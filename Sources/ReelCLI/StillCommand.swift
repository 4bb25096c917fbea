import ArgumentParser
import Foundation
import Reel
import ReelCore
import ReelGL

struct StillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "still",
        abstract: "Render one frame of a scene to a PNG.",
        discussion: """
        The frame is chosen by time (--at) or by number (--frame); by default it is frame 0. Times are written 2s, 500ms, 90f (frames) or as a bare number of seconds.

        The PNG is written to a temporary file beside OUTPUT and renamed into place when complete, so OUTPUT is never left half-written. An existing OUTPUT is an error unless --overwrite is given, and then it is replaced only when the new one is complete; a link, a device or a FIFO is never written to.

        Examples:
          reel still Scenes/hello.yaml --at 1s -o hello.png
          reel still Scenes/showcase.yaml --frame 45 -o out/poster.png
          reel still Scenes/showcase.yaml --at 2s --scale 0.5 -o half.png
          reel still Scenes/hello.yaml --transparent -o cutout.png
        """
    )

    @Argument(help: ArgumentHelp("The scene file (YAML or JSON).", valueName: "scene"))
    var scene: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the PNG.", valueName: "file.png"))
    var output: String

    @Option(help: ArgumentHelp("The time of the frame: 2s, 500ms, 90f or seconds.", valueName: "time"))
    var at: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The frame number, from 0 to the last (reel info counts them).", valueName: "n"))
    var frame: Int?

    @Option(help: ArgumentHelp("Draw at this multiple of the canvas size, e.g. 0.5 for a half-size picture.", valueName: "factor"))
    var scale: Double?

    @Option(help: ArgumentHelp("A preset for quick looks, as `reel render --quality`: draft (at most 480 lines, no MSAA), preview (720 lines) or final (the scene as written). --scale overrides its size.", valueName: "preset"))
    var quality: RenderCommand.Quality?

    @Flag(help: "Keep the background transparent (the PNG is RGBA with straight alpha, as always).")
    var transparent = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable); the value must fit the parameter's type.", valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("With a shader file (.fs, .glsl, .frag) in place of the scene: the picture or video a filter is applied to. A shader file alone is a scene: a generator fills a 1280×720 canvas, a filter is a pass over --input, and --set NAME=VALUE sets its inputs.", valueName: "file"))
    var input: String?

    @Flag(help: "Replace OUTPUT if it exists (only a regular file; never a link or a device).")
    var overwrite = false

    func validate() throws {
        if at != nil && frame != nil {
            throw ValidationError("give --at or --frame, not both")
        }
        if let at, SceneTime(parsing: at) == nil {
            throw ValidationError("--at \(at) is not a time; write it like 2s, 500ms, 90f or 1.5")
        }
        if let frame, frame < 0 {
            throw ValidationError("--frame \(frame): frames are numbered from 0")
        }
        if let scale, !(scale > 0 && scale <= 8) { throw ValidationError("--scale must be more than 0 and at most 8") }
        _ = try parseOverrides(overrides)
        if !output.lowercased().hasSuffix(".png") {
            throw ValidationError("the output must be a .png file (video output is `reel render`)")
        }
    }

    func run() throws {
        try reportingErrors {
            var scene = ShaderFileScene.isShaderFile(self.scene)
                    ? try ShaderFileScene.scene(shader: self.scene, input: input, settings: overrides, plugins: ReelCLI.plugins)
                    : try SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides)).load(path: self.scene)
            for warning in ScenePreflight.shaderWarnings(scene) {
                printError("warning: \(warning.location.map { "\($0): " } ?? "")\(warning.message)")
            }
            // Hostile or broken asset files are refused here, located, before GL starts.
            try AssetPreflight.check(scene)
            let index: Int
            if let at, let time = SceneTime(parsing: at) {
                index = try Still.frame(at: time, in: scene)
            } else {
                index = try Still.frame(number: frame ?? 0, in: scene)
            }
            // The same size and look `reel render` gives with these flags.
            var factor = 1.0
            if let quality {
                if let lines = quality.limits.lines, scene.canvas.height > lines { factor = Double(lines) / Double(scene.canvas.height) }
                if quality == .draft { scene.canvas.samples = 1 }
            }
            if let scale { factor = scale }
            if transparent { scene.canvas.background.alpha = 0 }
            // Check the destination before starting GL, so a typo fails in milliseconds; the
            // folders it needs are made, and removed again if the render fails.
            let made = try Still.checkOutput(output, overwrite: overwrite)
            let gl: HeadlessGL
            let skipped: [String]
            do {
                gl = try HeadlessGL.open(faults: TestFaults.gl)
                skipped = try Still.writePNG(scene, frame: index, to: output, gl: gl, plugins: ReelCLI.plugins, overwrite: overwrite, scale: factor)
            } catch {
                AtomicFile.removeIfEmpty(made)
                throw error
            }
            defer { gl.close() }
            if !skipped.isEmpty {
                printError("warning: not drawn: \(skipped.joined(separator: ", ")); the picture leaves them out")
            }
            let size = Still.size(of: scene, scale: factor)
            print("wrote \(output) (\(size.width)×\(size.height), frame \(index) of \(scene.canvas.frameCount), \(gl.info.renderer))")
        }
    }
}
