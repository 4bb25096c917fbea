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
public enum ReelCLI {
    private static let registry = Mutex<PluginRegistry>(.standard)

    /// The plugins the commands decode and render with: Reel's own plus those `main` was given.
    static var plugins: PluginRegistry { registry.withLock { $0 } }

    /// Runs the command line with Reel's plugins and `plugins`; exits the process.
    public static func main(plugins extra: [any ReelPlugin] = []) -> Never {
        if !extra.isEmpty {
            do {
                let combined = try PluginRegistry(PluginRegistry.firstPartyPlugins + extra)
                registry.withLock { $0 = combined }
            } catch {
                ReelCommand.exit(withError: error)
            }
        }
        ReelCommand.main()
        ReelCommand.exit()
    }
}

struct ReelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        subcommands: [RenderCommand.self, StillCommand.self, ValidateCommand.self, InfoCommand.self, SchemaCommand.self, PluginsCommand.self, PluginCommand.self,
                      DoctorCommand.self, WorkerCommand.self, WorkerRenderCommand.self, ModalCommand.self]
    )
}
