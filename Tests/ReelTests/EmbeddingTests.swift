import Foundation
import Reel
import ReelCore
import ReelMedia
import Testing

/// The engine as a Swift program uses it: a scene built in code, rendered to a file, progress
/// as an async sequence, cancellation through the task.
@Suite("Embedding Reel in Swift")
struct EmbeddingTests {
    func scene(seconds: Double) -> Scene {
        let ball = Layer(id: "ball", content: .ellipse(radii: .constant(Vec2(20, 20))),
                         position: .keyframes([Keyframe(time: 0, value: Vec2(20, 40)),
                                               Keyframe(time: seconds, value: Vec2(140, 40), easing: .curve(.sine, .inOut))]),
                         fill: .constant(.solid(Color(red: 0.9, green: 0.3, blue: 0.4))))
        return Scene(canvas: Canvas(width: 160, height: 80, fps: 30, frameCount: Int(seconds * 30), background: .black), layers: [ball])
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reel-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func rendersASceneBuiltInCodeWithProgress() async throws {
        let out = try folder().appendingPathComponent("ball.mp4")
        var updates: [RenderProgress] = []
        var summary: RenderSummary?
        for try await event in RenderJob(scene: scene(seconds: 1), output: .video(path: out.path, settings: VideoSettings())).events() {
            switch event {
            case let .progress(p): updates.append(p)
            case let .finished(s): summary = s
            }
        }
        #expect(updates.count == 30 && updates.last?.framesDone == 30)
        #expect(updates.map(\.framesDone) == Array(1...30), "one update per frame, in order")
        #expect(summary?.frames == 30 && summary?.files == [out.path])
        #expect(try MediaProbe(path: out.path).frames == 30)
    }

    @Test func cancellingTheTaskStopsTheRenderAndLeavesNothing() async throws {
        let dir = try folder()
        let job = RenderJob(scene: scene(seconds: 3600), output: .video(path: dir.appendingPathComponent("long.mp4").path, settings: VideoSettings()))
        let task = Task { try await job.render() }
        try await Task.sleep(for: .milliseconds(400))
        task.cancel()
        let result = await task.result
        #expect(throws: (any Error).self) { try result.get() }
        // The pipeline cleans up on its own threads; give it a moment.
        for _ in 0..<50 where try !FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
