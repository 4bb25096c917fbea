import ReelCLI
import ReelCore

/// The `reel` command line with remote dispatch: ReelCLI's commands, and `worker`, `modal init`
/// and `render --dispatch`. Reel's own `reel` is this with Reel's plugins:
///
/// ```swift
/// import ReelCLIDispatch
/// ReelCLIDispatch.main(plugins: [Confetti()])
/// ```
///
/// A program that needs no workers calls `ReelCLI.main(plugins:)` instead, and links no HTTP
/// stack (SwiftNIO, Hummingbird, AsyncHTTPClient, BoringSSL).
public enum ReelCLIDispatch {
    /// Runs the command line with remote dispatch, Reel's plugins and `plugins`; exits the process.
    public static func main(plugins: [any ReelPlugin] = []) -> Never {
        ReelCLI.main(plugins: plugins, extensions: extensions)
    }

    /// Dispatch's commands, after ReelCLI's own in `reel --help`, and the `--dispatch` hook.
    /// `worker-render` is hidden: a worker starts it through `/proc/self/exe`, so it must be in
    /// the same executable as `worker`.
    static let extensions = CommandLineExtensions(
        commands: [WorkerCommand.self, WorkerRenderCommand.self, ModalCommand.self],
        dispatcher: DispatchedRender()
    )
}
