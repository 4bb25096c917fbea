import ArgumentParser
import Reel
import ReelCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scene files and report every problem with its file, line and column.",
        discussion: """
        Exits 0 when every file is valid, 1 otherwise. Nothing is rendered, so this is fast and needs no GL.

        Example:
          reel validate Scenes/*.yaml
        """
    )

    @Argument(help: ArgumentHelp("Scene files to check.", valueName: "scene"))
    var scenes: [String]

    func run() throws {
        var failed = false
        for path in scenes {
            do {
                let scene = try reportingErrors { try SceneDecoder().load(path: path) }
                let c = scene.canvas
                print("\(path): ok (\(c.width)×\(c.height), \(c.fps.clean) fps, \(c.frameCount) frames, \(scene.layers.count) layer\(scene.layers.count == 1 ? "" : "s"))")
            } catch {
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}

extension Double {
    var clean: String { self == rounded() ? String(Int(self)) : String(self) }
}
