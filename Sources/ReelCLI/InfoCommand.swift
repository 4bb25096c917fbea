import ArgumentParser
import Foundation
import Reel
import ReelCore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a scene: size, timing, layers by kind, assets, parameters and plugins it needs.",
        discussion: """
        Missing asset files are listed (not an error here; `reel validate` fails on them).

        Examples:
          reel info Scenes/showcase.yaml
          reel info --json Scenes/showcase.yaml
        """
    )

    @Argument(help: ArgumentHelp("The scene file.", valueName: "scene"))
    var scene: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Flag(help: "Print JSON with width, height, fps, frames, duration_seconds, layers, assets, plugins, params.")
    var json = false

    func run() throws {
        try reportingErrors {
            let scene = try SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides), checkAssets: false).load(path: self.scene)
            let summary = SceneSummary(scene)
            if json {
                print(summary.json.serialized(pretty: true))
                return
            }
            var lines = [
                "\(self.scene)",
                "  canvas:     \(summary.width)×\(summary.height), \(summary.fps.clean) fps, MSAA \(summary.samples)×",
                "  duration:   \(SceneTime.seconds(summary.durationSeconds)) (\(summary.frames) frames)",
                "  layers:     " + (summary.layersByKind.isEmpty ? "none" : summary.layersByKind.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")),
            ]
            if !summary.parameters.isEmpty {
                lines.append("  params:")
                for p in summary.parameters {
                    let value = p.value == p.defaultValue ? p.value : "\(p.value) (default \(p.defaultValue))"
                    lines.append("    \(p.name) (\(p.type.rawValue)) = \(value)" + (p.doc.map { "  — \($0)" } ?? ""))
                }
            }
            if !summary.assets.isEmpty {
                lines.append("  assets:")
                for a in summary.assets {
                    let state = a.exists.map { $0 ? "ok" : "MISSING" } ?? "unchecked"
                    lines.append("    \(a.name): \(a.path) [\(state)]")
                }
            }
            lines.append("  plugins:    " + (summary.pluginsNeeded.isEmpty ? "none needed" : summary.pluginsNeeded.joined(separator: ", ")))
            print(lines.joined(separator: "\n"))
        }
    }
}
