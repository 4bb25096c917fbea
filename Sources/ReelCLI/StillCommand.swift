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
        """
    )

    @Argument(help: ArgumentHelp("The scene file (YAML or JSON).", valueName: "scene"))
    var scene: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the PNG.", valueName: "file.png"))
    var output: String

    @Option(help: ArgumentHelp("The time of the frame: 2s, 500ms, 90f or seconds.", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("The frame number, from 0.", valueName: "n"))
    var frame: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable); the value must fit the parameter's type.", valueName: "name=value"))
    var overrides: [String] = []

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
            throw ValidationError("--frame must be 0 or more")
        }
        _ = try parseOverrides(overrides)
        if !output.lowercased().hasSuffix(".png") {
            throw ValidationError("the output must be a .png file (video output is `reel render`)")
        }
    }

    func run() throws {
        try reportingErrors {
            let scene = try SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides)).load(path: self.scene)
            // Hostile or broken asset files are refused here, located, before GL starts.
            try AssetPreflight.check(scene)
            let index: Int
            if let at, let time = SceneTime(parsing: at) {
                index = try Still.frame(at: time, in: scene)
            } else {
                index = try Still.frame(at: .frames(frame ?? 0), in: scene)
            }
            // Check the destination before starting GL, so a typo fails in milliseconds.
            try Still.checkOutput(output, overwrite: overwrite)
            let gl = try HeadlessGL.open()
            defer { gl.close() }
            let skipped = try Still.writePNG(scene, frame: index, to: output, gl: gl, plugins: ReelCLI.plugins, overwrite: overwrite)
            if !skipped.isEmpty {
                printError("warning: not drawn: \(skipped.joined(separator: ", ")); the picture leaves them out")
            }
            let canvas = scene.canvas
            print("wrote \(output) (\(canvas.width)×\(canvas.height), frame \(index) of \(canvas.frameCount), \(gl.info.renderer))")
        }
    }
}
