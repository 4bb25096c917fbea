import Testing
@testable import ReelCLI

/// ReelCLI alone, as a plugin's `reel-<name>` has it (`ReelCLI.main(plugins:)`): no `main` has
/// given it remote dispatch, so `render --dispatch` is refused with a sentence saying why, and
/// the dispatch options are hidden from help. (The full `reel`'s dispatch is tested end to end
/// in ReelDispatchTests.)
@Suite("ReelCLI without dispatch")
struct DispatchlessCommandLineTests {
    @Test func itHasNoDispatchCommands() {
        let names = ReelCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        #expect(names == ["render", "still", "validate", "info", "schema", "plugins", "plugin", "doctor"])
    }

    @Test func renderDispatchIsAUsageErrorThatSaysWhy() {
        do {
            _ = try RenderCommand.parse(["Scenes/hello.yaml", "-o", "x.mp4", "--dispatch", "local:2"])
            Issue.record("--dispatch was accepted by a reel without dispatch")
        } catch {
            let message = RenderCommand.message(for: error)
            #expect(message.contains("built without remote dispatch") && message.contains("ReelCLIDispatch.main"), "\(message)")
            #expect(RenderCommand.exitCode(for: error) != .success)
        }
    }

    @Test func renderWithoutDispatchParsesAsBefore() throws {
        let command = try RenderCommand.parse(["Scenes/hello.yaml", "-o", "x.mp4", "--retries", "2"])
        #expect(command.dispatchOptions.dispatch == nil && command.dispatchOptions.retries == 2)
    }

    @Test func helpHidesTheDispatchOptions() {
        let help = RenderCommand.helpMessage(columns: 200)
        #expect(!help.contains("--dispatch") && !help.contains("--chunk-frames"), "\(help)")
        #expect(help.contains("--overwrite"))
    }
}
