import ArgumentParser
import Foundation
import Reel
import ReelCore

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Start a plugin of your own.",
        subcommands: [PluginNewCommand.self]
    )
}

struct PluginNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a Swift package with a plugin skeleton, a test and a reel that includes it.",
        discussion: """
        The package has three targets: <Name>Plugin (the plugin: an animation pass and a post pass to start from), \
        reel-<name> (the reel command line plus the plugin) and <Name>PluginTests (a test that renders with it).

        Examples:
          reel plugin new sparkle
          cd sparkle && swift build && .build/debug/reel-sparkle plugins
          .build/debug/reel-sparkle still Scenes/example.yaml --at 1s -o example.png
        """
    )

    @Argument(help: "The plugin's name: lowercase letters, digits and dashes (it becomes the namespace, as in sparkle.pulse).")
    var name: String

    @Option(name: .shortAndLong, help: "Folder to create (default: ./NAME). It must not exist or be empty.")
    var output: String?

    @Option(help: "The Reel package to depend on: a checkout's path or a git URL (default: the checkout this reel was built from).")
    var reel: String?

    func run() throws {
        try reportingErrors {
            guard name.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil, !name.hasSuffix("-") else {
                throw ReelError(.badArgument, "plugin name '\(name)' must be lowercase letters, digits and dashes, starting with a letter",
                                detail: "for example: reel plugin new sparkle")
            }
            let folder = URL(fileURLWithPath: output ?? name)
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
                throw ReelError(.outputExists, "'\(folder.path)' already exists and is not empty", detail: "choose another --output")
            }
            let dependency = try reelDependency(from: folder.standardizedFileURL)
            let template = PluginTemplate(name: name, dependency: dependency)
            for (path, text) in template.files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .atomic)
            }
            print("""
            wrote \(folder.path)/ (plugin \(name), targets \(template.typeName)Plugin, reel-\(name), \(template.typeName)PluginTests)
            next:
              cd \(folder.path)
              swift build && .build/debug/reel-\(name) plugins
              .build/debug/reel-\(name) still Scenes/example.yaml --at 1s -o example.png
              swift test
            """)
        }
    }

    /// The `.package(…)` line and the package identity products are named under. Reel's default
    /// traits are turned off (`traits: []`): its `RemoteDispatch` trait is all that brings in
    /// the HTTP stack, which a plugin package does not need.
    private func reelDependency(from package: URL) throws -> PluginTemplate.Dependency {
        if let reel, reel.contains("://") || reel.hasPrefix("git@") {
            let identity = URL(string: reel)?.deletingPathExtension().lastPathComponent.lowercased() ?? "reel"
            return .init(declaration: ".package(url: \"\(reel)\", branch: \"main\", traits: [])", identity: identity)
        }
        let root: URL
        if let reel {
            root = URL(fileURLWithPath: reel).standardizedFileURL
        } else if let found = Self.checkoutOfThisExecutable() {
            root = found
        } else {
            throw ReelError(.badArgument, "cannot tell where Reel's source is",
                            detail: "pass --reel PATH (a Reel checkout) or --reel URL (its git repository)")
        }
        guard Self.isReelPackage(root) else {
            throw ReelError(.badArgument, "'\(root.path)' is not a Reel checkout (no Package.swift naming the Reel package)",
                            detail: "pass --reel with the folder that holds Reel's Package.swift")
        }
        // Relative, so the two folders can move together (or be committed) without the
        // package naming this machine's paths.
        return .init(declaration: ".package(path: \"\(Self.relativePath(from: package, to: root))\", traits: [])", identity: root.lastPathComponent.lowercased())
    }

    /// `to` as seen from `from`: `../reel`, `../../src/reel`, or `.` for the same folder.
    static func relativePath(from: URL, to: URL) -> String {
        let a = from.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let b = to.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(a.count, b.count), a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Walks up from the running executable (`…/.build/debug/reel`) to the package it was built in.
    private static func checkoutOfThisExecutable() -> URL? {
        // /proc/self/exe, not argv[0]: a `reel` found on PATH (or through a link) has a bare name there.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var url = executable.deletingLastPathComponent()
        while url.path != "/" {
            if isReelPackage(url) { return url }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    private static func isReelPackage(_ folder: URL) -> Bool {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("Package.swift"), encoding: .utf8) else { return false }
        return text.contains("name: \"Reel\"") && text.contains("\"ReelCLI\"")
    }
}

/// The files of a new plugin package.
struct PluginTemplate {
    struct Dependency {
        var declaration: String
        var identity: String
    }

    let name: String
    let dependency: Dependency

    /// `sparkle` → `Sparkle`, `film-look` → `FilmLook`.
    var typeName: String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    var files: [(String, String)] {
        let type = typeName, reel = dependency.identity
        return [
            ("Package.swift", """
            // swift-tools-version:6.1
            // A Reel plugin package, made by `reel plugin new \(name)`.
            import PackageDescription

            let package = Package(
                name: "\(name)",
                // On Linux this line has no effect; on macOS Reel needs 14 or later.
                platforms: [.macOS(.v14)],
                dependencies: [
                    // Reel without its default trait, RemoteDispatch: no HTTP stack (SwiftNIO,
                    // Hummingbird, AsyncHTTPClient) to resolve or build.
                    \(dependency.declaration),
                ],
                targets: [
                    // The plugin: what it adds to scenes.
                    .target(name: "\(type)Plugin", dependencies: [
                        .product(name: "ReelCore", package: "\(reel)"), .product(name: "ReelGL", package: "\(reel)"),
                    ]),
                    // `reel` with the plugin loaded: every command but remote dispatch. For `worker`
                    // and `render --dispatch` too, drop `traits: []` above, depend on the
                    // "ReelCLIDispatch" product instead and call ReelCLIDispatch.main in main.swift.
                    .executableTarget(name: "reel-\(name)", dependencies: ["\(type)Plugin", .product(name: "ReelCLI", package: "\(reel)")]),
                    .testTarget(name: "\(type)PluginTests", dependencies: [
                        "\(type)Plugin", .product(name: "Reel", package: "\(reel)"), .product(name: "ReelCore", package: "\(reel)"),
                        .product(name: "ReelGL", package: "\(reel)"),
                    ]),
                ],
                swiftLanguageModes: [.v6]
            )

            """),
            ("Sources/\(type)Plugin/\(type)Plugin.swift", """
            import Foundation
            import ReelCore
            import ReelGL

            /// The \(name) plugin. Scenes use its contributions by qualified name (`\(name).pulse`)
            /// or, when no other plugin has the name, bare (`pulse`).
            public struct \(type)Plugin: ReelPlugin {
                public let name = "\(name)"
                public let version = "0.1.0"
                public var contributions: [any PluginContribution] { [Pulse(), Tint()] }

                public init() {}
            }

            /// `\(name).pulse`: an animation pass that scales a layer up and down with the scene time.
            /// Pure: it reads only the layer and the context, so any frame renders on its own.
            public struct Pulse: AnimationPass {
                // Each parameter is declared once: scenes are checked against it, `plugins describe`
                // prints it, and the pass reads its value through it (context[Self.amount]).
                public static let amount = Param.number("amount", default: 0.2, in: 0...10, doc: "how much larger at the peak (0.2 is 20%)")
                public static let speed = Param.number("speed", default: 1, in: 0...100, doc: "pulses a second")

                public let declaration = ContributionDeclaration("pulse", summary: "scales the layer up and down", parameters: [amount, speed])

                public init() {}

                public func animate(_ layer: inout LayerState, in context: AnimationContext) {
                    let scale = 1 + context[Self.amount] * sin(2 * .pi * context[Self.speed] * context.time)
                    // Inside the layer's own transform, so it scales about its own origin.
                    layer.transform = layer.transform * .scale(Vec2(scale, scale))
                }
            }

            /// `\(name).tint`: a post pass that mixes the picture towards a colour.
            public struct Tint: PostPass {
                public static let color = Param.color("color", default: Color(rgb: 0xff8800), doc: "the colour to mix towards")
                public static let amount = Param.number("amount", default: 0.5, in: 0...1, doc: "0 leaves the picture, 1 paints it over")

                public let declaration = ContributionDeclaration("tint", summary: "mixes the picture towards a colour", parameters: [color, amount])

                public init() {}

                public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
                    let program = try gl.program("\(name).tint", fragment: PassGL.fragment(\"\"\"
                        vec4 c = texture(uSource, vUV);
                        fragColor = vec4(mix(c.rgb, uColor.rgb * c.a, uAmount), c.a);
                        \"\"\", declarations: "uniform vec4 uColor;\\nuniform float uAmount;"))
                    return try gl.render(program, like: input, textures: ["uSource": try input.source()], uniforms: [
                        "uColor": .color(input[Self.color]), "uAmount": .float(input[Self.amount]),
                    ])
                }
            }

            """),
            ("Sources/reel-\(name)/main.swift", """
            // `reel` with the \(name) plugin: every command but remote dispatch (see Package.swift),
            // and scenes may use \(name).pulse and \(name).tint.
            import \(type)Plugin
            import ReelCLI

            ReelCLI.main(plugins: [\(type)Plugin()])

            """),
            ("Tests/\(type)PluginTests/\(type)PluginTests.swift", """
            import Foundation
            import \(type)Plugin
            import Reel
            import ReelCore
            import ReelGL
            import Testing

            @Suite("\(name) plugin")
            struct \(type)PluginTests {
                func registry() throws -> PluginRegistry { try PluginRegistry(PluginRegistry.firstPartyPlugins + [\(type)Plugin()]) }

                func scene(_ registry: PluginRegistry) throws -> Scene {
                    try SceneDecoder(plugins: registry).decode(\"\"\"
                    reel: 1
                    canvas: { size: [64, 64], fps: 4, duration: 1s, background: "#000000" }
                    layers:
                      - { id: box, rect: { size: [20, 20] }, fill: "#ffffff", position: [32, 32], animate: [{ pulse: { amount: 0.5 } }] }
                    passes: [{ tint: { color: "#0000ff", amount: 1 } }]
                    \"\"\")
                }

                @Test func pulseScalesTheLayerWithTime() throws {
                    let registry = try registry()
                    // At 0.25 s the sine peaks: 1.5 times the size.
                    let state = Timeline.evaluate(try scene(registry), frame: 1, plugins: registry)
                    let corner = state.layers[0].transform.apply(Vec2(10, 10))
                    #expect(abs(corner.x - (32 + 15)) < 1e-9 && abs(corner.y - (32 + 15)) < 1e-9)
                }

                @Test func tintPaintsTheFrame() throws {
                    let registry = try registry()
                    let gl = try HeadlessGL.open()
                    defer { gl.close() }
                    let output = try Still.render(try scene(registry), frame: 0, gl: gl, plugins: registry)
                    #expect(output.skippedFeatures.isEmpty)
                    let centre = (32 * 64 + 32) * 4
                    #expect(Array(output.image.pixels[centre..<centre + 4]) == [0, 0, 255, 255], "the white box is tinted blue")
                }
            }

            """),
            ("Scenes/example.yaml", """
            # `.build/debug/reel-\(name) render Scenes/example.yaml -o example.mp4`
            reel: 1
            canvas: { size: [640, 360], fps: 30, duration: 3s, background: "#14141c" }
            layers:
              - id: logo
                star: { points: 5, radius: 90, innerRadius: 40 }
                fill: "#ffd166"
                position: [320, 180]
                animate: [{ \(name).pulse: { amount: 0.25, speed: 1 } }]
            passes: [{ \(name).tint: { color: "#ff5e78", amount: 0.3 } }]

            """),
            ("README.md", """
            # \(name): a Reel plugin

            Made by `reel plugin new \(name)`. It adds:

            | name | kind | what it does |
            |---|---|---|
            | `\(name).pulse` | animation pass | scales a layer up and down (`amount`, `speed`) |
            | `\(name).tint` | post pass | mixes the picture towards a colour (`color`, `amount`) |

            ```sh
            swift build                                   # the plugin and reel-\(name)
            .build/debug/reel-\(name) plugins describe pulse   # its parameters and an example
            .build/debug/reel-\(name) still Scenes/example.yaml --at 1s -o example.png
            swift test                                    # renders with the plugin on a real GL context
            ```

            Change `Sources/\(type)Plugin/\(type)Plugin.swift`: an `AnimationPass` changes a layer's state for a
            frame (pure: no clock, no global random state), a `PostPass` draws with `PassGL` (GLSL ES 3.00
            fragment shaders over the picture). See Reel's `Plugins/README.md` for the whole API.

            """),
            (".gitignore", ".build/\nPackage.resolved\n"),
        ]
    }
}
