import ArgumentParser
import Reel
import ReelCore

/// What a program adds to ReelCLI's command line besides plugins: more commands, and the
/// hook `reel render --dispatch` calls. `ReelCLIDispatch` fills it with remote dispatch's;
/// ReelCLI itself knows neither, so a plugin's `reel` links no HTTP stack.
package struct CommandLineExtensions: Sendable {
    /// Commands listed after ReelCLI's own, in this order.
    package var commands: [any ParsableCommand.Type]
    /// Renders `reel render --dispatch …`; without one, `--dispatch` is refused as a usage error.
    package var dispatcher: (any RenderDispatcher)?

    package init(commands: [any ParsableCommand.Type] = [], dispatcher: (any RenderDispatcher)? = nil) {
        (self.commands, self.dispatcher) = (commands, dispatcher)
    }
}

/// Renders a job on workers for `reel render --dispatch`, and reports as a local render does.
package protocol RenderDispatcher: Sendable {
    /// Renders `request` and prints the closing report.
    /// - Throws: `ReelError` (any code a render or the dispatch has), or `ExitCode`.
    func render(_ request: RenderDispatchRequest) throws
}

/// Everything `reel render` knows about a render it hands to a `RenderDispatcher`.
package struct RenderDispatchRequest {
    /// `--dispatch`'s value, not yet parsed: the dispatcher knows its forms.
    package var target: String
    /// The options that go with `--dispatch` (`--chunk-frames`, `--plan`, …).
    package var options: RenderDispatchOptions
    /// The job as a local render would run it: the scene after `--fps` and `--quality`, the
    /// output frames, the output, the scale, the plugins.
    package var job: RenderJob
    /// The scene as decoded, before `--fps`, `--quality` and `--transparent` changed it.
    package var original: Scene
    /// `--transparent`.
    package var transparent: Bool
    /// The scene file as named on the command line.
    package var scenePath: String
    /// `--set` overrides.
    package var overrides: [String: String]
    /// `--output` as given.
    package var output: String
    /// `--progress`.
    package var progress: RenderProgressMode
    /// The scene's own frames `--frames` named, with the scene's rate, for the closing report.
    package var sceneFrames: (range: ClosedRange<Int>, fps: Double)?
    /// Set by Ctrl-C (SIGINT, SIGTERM, SIGHUP).
    package var cancel: CancellationFlag
}
