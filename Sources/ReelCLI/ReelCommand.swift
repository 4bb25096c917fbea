import ArgumentParser
import Reel
import ReelCore
import Synchronization

/// The `reel` command line as a library, so a program can be `reel` plus plugins of its own:
///
/// ```swift
/// import ReelCLI
/// ReelCLI.main(plugins: [Confetti()])
/// ```
///
/// This library has every command but remote dispatch, and links no HTTP stack: `worker`,
/// `modal` and `render --dispatch` come from `ReelCLIDispatch`, whose `main` a program calls
/// instead when it wants them too.
public enum ReelCLI {
    /// What this process's command line is: set once by `main`, read by the commands (the
    /// argument parser asks for `ReelCommand.configuration` statically, so it must live here).
    private static let setup = Mutex<(plugins: PluginRegistry, extensions: CommandLineExtensions)>((.standard, CommandLineExtensions()))

    /// The plugins the commands decode and render with: Reel's own plus those `main` was given.
    package static var plugins: PluginRegistry { setup.withLock { $0.plugins } }

    /// The commands and hooks `main` was given besides ReelCLI's own.
    package static var extensions: CommandLineExtensions { setup.withLock { $0.extensions } }

    /// Runs the command line with Reel's plugins and `plugins`; exits the process.
    public static func main(plugins extra: [any ReelPlugin] = []) -> Never {
        main(plugins: extra, extensions: CommandLineExtensions())
    }

    /// Runs the command line with Reel's plugins and `plugins`, and the commands and hooks of
    /// `extensions` (remote dispatch's, from `ReelCLIDispatch`); exits the process.
    package static func main(plugins extra: [any ReelPlugin], extensions: CommandLineExtensions) -> Never {
        var registry = PluginRegistry.standard
        if !extra.isEmpty {
            do {
                registry = try PluginRegistry(PluginRegistry.firstPartyPlugins + extra)
            } catch {
                ReelCommand.exit(withError: error)
            }
        }
        setup.withLock { $0 = (registry, extensions) }
        run(Array(CommandLine.arguments.dropFirst()))
    }

    /// Parses and runs one command line, reporting a usage mistake the way every other error
    /// is reported (`error[E-CLI-ARGUMENT]: …`, a hint, exit status 64 as sysexits' EX_USAGE)
    /// and suggesting the command meant when a name is misspelt.
    static func run(_ arguments: [String]) -> Never {
        let names = ReelCommand.configuration.subcommands.compactMap { $0.configuration.commandName }.filter { !$0.hasPrefix("worker-") }
        // `reel rendr …` and `reel help rendr`: say which command was meant.
        let asked = arguments.first == "help" ? arguments.dropFirst().first : arguments.first
        if let asked, !asked.hasPrefix("-"), asked != "help", !ReelCommand.configuration.subcommands.contains(where: { $0.configuration.commandName == asked }) {
            if ReelCLI.extensions.dispatcher == nil, ["worker", "worker-render", "modal"].contains(asked) {
                // A plugin's reel without ReelCLIDispatch: say what is missing, not "misspelt".
                printError("error[\(ReelError.Code.badArgument)]: '\(asked)' comes with remote dispatch, and this reel was built without it")
                printError("  use Reel's own `reel`, or make this one with ReelCLIDispatch.main(plugins:) (the ReelCLIDispatch product)")
                ReelCommand.exit(withError: ExitCode(64))
            }
            let suggestion = nearestName(to: asked, in: names).map { " (did you mean \"\($0)\"?)" } ?? ""
            printError("error[\(ReelError.Code.badArgument)]: '\(asked)' is not a reel command\(suggestion)")
            printError("  the commands: \(names.joined(separator: ", ")); `reel --help` explains each")
            ReelCommand.exit(withError: ExitCode(64))
        }
        do {
            var command = try ReelCommand.parseAsRoot(arguments)
            try command.run()
            ReelCommand.exit()
        } catch let exit as ExitCode {
            ReelCommand.exit(withError: exit)
        } catch {
            // Help and --version are "errors" that print and exit 0; leave them to the parser.
            guard ReelCommand.exitCode(for: error) != .success else { ReelCommand.exit(withError: error) }
            let message = ReelCommand.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            printError("error[\(ReelError.Code.badArgument)]: \(message.isEmpty ? "\(error)" : message)")
            let words = arguments.prefix { !$0.hasPrefix("-") }
            let sub = words.first.flatMap { word in names.contains(word) ? word : nil }
            if let sub, let type = ReelCommand.configuration.subcommands.first(where: { $0.configuration.commandName == sub }) {
                let usage = ReelCommand.usageString(for: type).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                printError("  usage: \(usage)")
                printError("  `reel help \(sub)` explains every option, with examples")
            } else {
                printError("  `reel --help` lists the commands")
            }
            ReelCommand.exit(withError: ExitCode(64))
        }
    }
}

struct ReelCommand: ParsableCommand {
    /// The commands every reel has, in the order `reel --help` lists them; those of
    /// `ReelCLI.extensions` follow.
    static let ownCommands: [any ParsableCommand.Type] = [
        RenderCommand.self, StillCommand.self, ValidateCommand.self, InfoCommand.self, SchemaCommand.self, PluginsCommand.self,
        PluginCommand.self, DoctorCommand.self,
    ]

    // Computed: the extension commands are known only once `main` has run.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "reel",
            abstract: "Render scene files to pictures and video, headless.",
            discussion: """
            Reel reads a declarative scene (YAML or JSON) and draws it with OpenGL ES through EGL: no window and no X server, on an NVIDIA GPU or on the CPU (Mesa llvmpipe).

            Examples:
              reel still Scenes/hello.yaml --at 1s -o hello.png
              reel validate Scenes/showcase.yaml
              reel doctor
            """,
            version: ReelVersion.string,
            subcommands: ownCommands + ReelCLI.extensions.commands
        )
    }
}
