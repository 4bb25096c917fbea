import ArgumentParser
import Reel

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the scene format, plugin parameters included.",
        discussion: """
        Point your editor at it for completion and checking, e.g. in VS Code's YAML extension put `# yaml-language-server: $schema=reel.schema.json` at the top of a scene.

        Example:
          reel schema > reel.schema.json
        """
    )

    func run() throws {
        print(SceneSchema.document(catalog: ReelCLI.plugins.catalog).serialized(pretty: true))
    }
}
