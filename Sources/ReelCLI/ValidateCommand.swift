import ArgumentParser
import Reel
import ReelCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scene files and report every problem with its file, line and column.",
        discussion: """
        Exits 0 when every file is valid, 1 otherwise. Nothing is rendered, so this is fast and needs no GL. Asset files must exist and be regular files; pictures and clips must be self-contained formats within the pixel limits (read from their headers); --set values must fit their parameters.

        Examples:
          reel validate Scenes/*.yaml
          reel validate --json Scenes/intro.yaml
        """
    )

    @Argument(help: ArgumentHelp("Scene files to check.", valueName: "scene"))
    var scenes: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Flag(help: "Print one JSON object per file: {file, ok, diagnostics: [{code, message, file, line, column, path, suggestion}]}.")
    var json = false

    func run() throws {
        let decoder = SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides))
        var failed = false
        var reports: [JSONValue] = []
        for path in scenes {
            do {
                // The scene, its asset files (regular files, self-contained formats, within the
                // pixel limits, each problem at the asset's line), then the drawing limits of a
                // few frames (FrameCost).
                let check = { () throws -> Scene in
                    let scene = try decoder.load(path: path)
                    try AssetPreflight.check(scene)
                    try FrameCost.checkSampleFrames(scene, plugins: ReelCLI.plugins)
                    return scene
                }
                let scene = json ? try check() : try reportingErrors(check)
                let c = scene.canvas
                let count = scene.allLayers.count
                if json {
                    reports.append(.object([("file", .string(path)), ("ok", true), ("diagnostics", [])]))
                } else {
                    print("\(path): ok (\(c.width)×\(c.height), \(c.fps.clean) fps, \(c.frameCount) frames, \(count) layer\(count == 1 ? "" : "s"))")
                }
            } catch let error as SceneError {
                failed = true
                reports.append(.object([("file", .string(path)), ("ok", false), ("diagnostics", .array(error.diagnostics.map(\.json)))]))
            } catch let error as ReelError {
                failed = true
                reports.append(.object([("file", .string(path)), ("ok", false), ("diagnostics", [.object([
                    ("code", .string(error.code.rawValue)), ("message", .string(error.message)), ("file", .string(path)),
                    ("line", .null), ("column", .null), ("path", ""), ("suggestion", .null),
                ])])]))
            } catch {
                failed = true
            }
        }
        if json { print(JSONValue.array(reports).serialized(pretty: true)) }
        if failed { throw ExitCode.failure }
    }
}
