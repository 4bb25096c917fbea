import ArgumentParser
import Foundation
import Reel
import ReelCore
import Shaders

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the plugins this reel has and what they add; describe one contribution.",
        discussion: """
        A scene names a contribution by its qualified name (motion.orbit) or, when only one plugin offers it, its bare name (orbit).

        Examples:
          reel plugins
          reel plugins describe orbit
          reel plugins describe Scenes/shaders/ripple.fs
          reel plugins --json
        """,
        subcommands: [List.self, Describe.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every plugin with its contributions (the default).")

        @Flag(help: "Print JSON: plugins with name, version and contributions (name, kind, summary, parameters).")
        var json = false

        func run() throws {
            let registry = ReelCLI.plugins
            if json {
                let compiled: [JSONValue] = registry.plugins.map { plugin in
                    .object([("name", .string(plugin.name)), ("version", .string(plugin.version)),
                             ("contributions", .array(plugin.descriptors.map(describe)))])
                }
                let files: JSONValue = .object([("name", .string(shaderFilesPlugin)), ("version", .string(ShaderFilesPlugin.releaseVersion)),
                                                ("contributions", []), ("files", .string(Self.shaderFilesSummary))])
                print(JSONValue.array(compiled + [files]).serialized(pretty: true))
                return
            }
            let width = registry.descriptors.map(\.qualifiedName.count).max() ?? 0
            for plugin in registry.plugins {
                print("\(plugin.name) \(plugin.version)")
                for descriptor in plugin.descriptors {
                    print("  " + descriptor.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                          + descriptor.qualifiedName.padding(toLength: width + 2, withPad: " ", startingAt: 0) + descriptor.summary)
                }
            }
            // Shader files add contributions per scene, so they have none to list here; say
            // what they are, or nobody finds them.
            print("\(shaderFilesPlugin) \(ShaderFilesPlugin.releaseVersion) — \(Self.shaderFilesSummary)")
            print("  " + "layer".padding(toLength: 11, withPad: " ", startingAt: 0) + "shaders.NAME".padding(toLength: width + 2, withPad: " ", startingAt: 0)
                  + "an ISF generator or a Shadertoy file, drawn in the layer's box")
            print("  " + "pass".padding(toLength: 11, withPad: " ", startingAt: 0) + "shaders.NAME".padding(toLength: width + 2, withPad: " ", startingAt: 0)
                  + "an ISF filter (it has inputImage), or a Shadertoy file reading iChannel0, over the picture")
            print("\n`reel plugins describe NAME` prints a contribution's parameters and an example;")
            print("`reel plugins describe FILE.fs` (or .glsl) those of a shader file. Plugins/Shaders/README.md explains shader files.")
        }

        static let shaderFilesSummary = "ISF (.fs) and Shadertoy (.glsl) files, no Swift needed: a scene names them under `shaders:` and each becomes shaders.NAME with its inputs as parameters"
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "describe", abstract: "A contribution's parameters and an example of its use.")

        @Argument(help: ArgumentHelp("A qualified (motion.orbit) or bare (orbit) name.", valueName: "name"))
        var name: String

        @Flag(help: "Print JSON: name, kind, summary and parameters.")
        var json = false

        func run() throws {
            try reportingErrors {
                if name.hasSuffix(".fs") || name.hasSuffix(".glsl") || name.hasSuffix(".frag") {
                    try describeShaderFile()
                    return
                }
                try show(try Self.find(name))
            }
        }

        /// A shader file's contributions, as a scene naming it `NAME` would get them.
        private func describeShaderFile() throws {
            guard let source = try? String(contentsOfFile: name, encoding: .utf8) else {
                throw ReelError(.fileUnreadable, "cannot read the shader file '\(name)'", detail: "check the path")
            }
            let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
            let file = ShaderFile(name: stem, path: name, resolvedPath: name, source: source)
            let contents = try ShaderFileDescriber().read(file)
            for (index, descriptor) in contents.descriptors.enumerated() {
                if index > 0 { print("") }
                try show(descriptor)
            }
            if !json { print("\nIn a scene: shaders: { \(stem): \(name) } — then use it as \(stem) (or shaders.\(stem)).") }
        }

        private func show(_ descriptor: ContributionDescriptor) throws {
            do {
                if json {
                    print(describe(descriptor).serialized(pretty: true))
                    return
                }
                print("\(descriptor.qualifiedName) (\(descriptor.kind.rawValue)): \(descriptor.summary)\n")
                let rows = descriptor.parameters.map { p -> [String] in
                    let range = [p.minimum.map { "≥ \($0.clean)" }, p.maximum.map { "≤ \($0.clean)" }].compactMap { $0 }.joined(separator: ", ")
                    return [p.name, p.type.rawValue, p.defaultValue, range, p.doc]
                }
                let header = ["parameter", "type", "default", "range", "meaning"]
                let widths = (0..<4).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
                for row in [header] + rows {
                    print("  " + (0..<4).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[4])
                }
                let key = descriptor.kind == .animation ? "animate" : (descriptor.kind == .pass ? "passes" : "shader")
                let values = descriptor.parameters.map { "\($0.name): \($0.defaultValue)" }.joined(separator: ", ")
                if descriptor.kind == .layer {
                    print("\nExample (the defaults):\n  - shader: { name: \(descriptor.name), params: { \(values) } }")
                } else {
                    print("\nExample (the defaults):\n  \(key): [{ \(descriptor.name): { \(values) } }]")
                }
            }
        }

        static func find(_ name: String) throws -> ContributionDescriptor {
            let catalog = ReelCLI.plugins.catalog
            let all = catalog.contributions
            if let exact = all.first(where: { $0.qualifiedName == name }) { return exact }
            let bare = all.filter { $0.name == name }
            if bare.count == 1 { return bare[0] }
            if bare.count > 1 {
                throw ReelError(.badArgument, "'\(name)' is offered by several plugins", detail: "name one of: " + bare.map(\.qualifiedName).joined(separator: ", "))
            }
            let suggestion = nearestName(to: name, in: all.map(\.qualifiedName) + all.map(\.name)).map { "did you mean \"\($0)\"? " } ?? ""
            throw ReelError(.badArgument, "no plugin contribution is named '\(name)'", detail: suggestion + "`reel plugins` lists them")
        }
    }
}

/// A contribution as JSON, for `reel plugins --json` and `describe --json`.
private func describe(_ d: ContributionDescriptor) -> JSONValue {
    .object([("name", .string(d.qualifiedName)), ("kind", .string(d.kind.rawValue)), ("summary", .string(d.summary)),
             ("parameters", .array(d.parameters.map { p in
                 var fields: [(String, JSONValue)] = [("name", .string(p.name)), ("type", .string(p.type.rawValue)),
                                                      ("default", .string(p.defaultValue)), ("doc", .string(p.doc))]
                 if let minimum = p.minimum { fields.append(("minimum", .number(minimum))) }
                 if let maximum = p.maximum { fields.append(("maximum", .number(maximum))) }
                 return .object(fields)
             }))])
}
