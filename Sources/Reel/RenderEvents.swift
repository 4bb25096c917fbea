import Foundation
import ReelCore
import ReelGL

/// What a render reports to a Swift program that embeds Reel.
public enum RenderEvent: Sendable {
    case progress(RenderProgress)
    case finished(RenderSummary)
}

extension RenderJob {
    /// Runs the job on background threads and reports as it goes. Cancelling the consuming
    /// task (or dropping the sequence) stops the render at the next frame; nothing it wrote
    /// is left behind.
    ///
    /// ```swift
    /// let scene = try SceneDecoder().load(path: "Scenes/hello.yaml")
    /// for try await event in RenderJob(scene: scene, output: .video(path: "hello.mp4", settings: .init())).events() {
    ///     if case let .progress(p) = event { print("\(p.framesDone)/\(p.framesTotal)") }
    /// }
    /// ```
    /// - Parameter gl: the context to render with; by default one is opened (and closed)
    ///   for this job.
    public func events(gl: HeadlessGL? = nil) -> AsyncThrowingStream<RenderEvent, any Error> {
        AsyncThrowingStream { continuation in
            let cancel = CancellationFlag()
            continuation.onTermination = { termination in
                if case .cancelled = termination { cancel.cancel() }
            }
            let job = self
            Thread {
                do {
                    let context = try gl ?? HeadlessGL.open()
                    defer { if gl == nil { context.close() } }
                    let summary = try job.run(gl: context, cancel: cancel) { continuation.yield(.progress($0)) }
                    continuation.yield(.finished(summary))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }.start()
        }
    }

    /// Renders the job and returns what it produced; task cancellation stops it.
    public func render(gl: HeadlessGL? = nil) async throws -> RenderSummary {
        for try await event in events(gl: gl) {
            if case let .finished(summary) = event { return summary }
        }
        throw ReelError(.cancelled, "the render was cancelled; no output was written")
    }
}
