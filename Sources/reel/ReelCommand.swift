import ArgumentParser
import Reel

@main
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
        subcommands: [RenderCommand.self, StillCommand.self, ValidateCommand.self, InfoCommand.self, SchemaCommand.self, PluginsCommand.self, DoctorCommand.self]
    )
}
