import Foundation
import ReelMedia
@testable import ReelDispatch
import Testing

/// The limits that keep a hostile request from holding a real `reel worker` (issue #15): frames
/// a request may buy, the descriptor limit, and renders that outlive their time, their memory
/// or their client. Each render runs in a `reel worker-render` process the worker kills; every
/// test checks the slot is free again afterwards. Floods from a second process are in
/// `WorkerFloodTests`. Needs `swift build --product reel` first.
@Suite struct WorkerLimitsTests {
    /// A Shadertoy shader whose macros expand to 10⁴ statements: llvmpipe compiles it for over
    /// a minute and climbs past 400 MB (measured), where a 64 × 64 render needs about 160.
    static let shaderBomb: String = {
        var lines = ["#define A0 x = x * 1.0001 + sin(x + 0.1);"]
        for level in 1...4 { lines.append("#define A\(level) " + Array(repeating: "A\(level - 1)", count: 10).joined(separator: " ")) }
        return lines.joined(separator: "\n") + """

            void mainImage(out vec4 fragColor, in vec2 fragCoord) {
                float x = fragCoord.x;
                A4
                fragColor = vec4(fract(x), 0.0, 0.0, 1.0);
            }

            """
    }()

    /// A render request for the shader bomb, its shader uploaded to `worker` first.
    static func bombRequest(_ worker: WorkerProcess) async throws -> [UInt8] {
        let shader = Array(shaderBomb.utf8)
        let digest = SHA256Hasher.hex(shader)
        let upload = try await worker.http.putBlob(shader, as: digest)
        try #require(upload.status == 201, "the shader uploads: \(upload)")
        var request = RenderRequestJSON.tiny(scene: """
            reel: 1
            canvas: { size: [64, 64], duration: 3f, background: "#101018" }
            shaders: { bomb: bomb.glsl }
            layers:
              - shader: { name: bomb, size: [64, 64] }
                position: [32, 32]

            """)
        RenderRequestJSON.set(&request, ["scene", "files"], to: ["/coordinator/bomb.glsl": digest])
        return try RenderRequestJSON.encode(request)
    }

    // MARK: - Frames a request may buy (8)

    @Test func aRequestForMillionsOfFramesIsRefusedBeforeItsSceneIsDecoded() async throws {
        let worker = try WorkerProcess()
        defer { worker.stop() }
        // The attacker's 442 bytes: a 1 × 1 canvas at 1000 fps for 24 hours, every frame.
        var request = RenderRequestJSON.tiny(scene: "reel: 1\ncanvas: { size: [1, 1], fps: 1000, duration: 86400 }\nlayers: []\n")
        RenderRequestJSON.set(&request, ["last"], to: 86_399_999)
        let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
        #expect(answer.status == 400 && answer.code == "E-WORKER-LIMIT", "\(answer)")
        #expect(answer.error?.message.contains("--max-frames") == true, "\(answer)")
        #expect(!worker.stderr.contains("started"), "nothing was rendered")
    }

    @Test func aTinyCanvasCountsAsAFrameOfTheMinimumSize() async throws {
        // 10⁸ pixel-frames: 1 736 frames of 320 × 180, but 10⁸ frames of 1 × 1 if pixels were
        // counted as they are.
        let worker = try WorkerProcess(arguments: ["--max-pixel-frames", "100000000"])
        defer { worker.stop() }
        var request = RenderRequestJSON.tiny(scene: "reel: 1\ncanvas: { size: [1, 1], fps: 1000, duration: 10s }\nlayers: []\n")
        RenderRequestJSON.set(&request, ["last"], to: 1999)
        let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
        #expect(answer.status == 400 && answer.code == "E-WORKER-LIMIT", "\(answer)")
        #expect(answer.error?.message.contains("at least 57600 pixels") == true, "\(answer)")
        #expect(answer.error?.message.contains("--max-pixel-frames") == true, "\(answer)")
        let health = try JSONDecoder().decode(WorkerHealth.self, from: Data(try await worker.http.health().body))
        #expect(health.minFramePixels == 320 * 180 && health.maxFrames == 36_000 && health.maxPixelFrames == 100_000_000)
    }

    // MARK: - Descriptors (11)

    @Test func theSoftDescriptorLimitIsRaisedToTheHardOne() async throws {
        let worker = try WorkerProcess(ulimit: "-S -n 256")
        defer { worker.stop() }
        let limits = try String(contentsOfFile: "/proc/\(worker.process.processIdentifier)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1] && numbers[0] > 256, "\(line)")
    }

    // MARK: - Renders that outlive their budget or their client (13)

    /// Eight seconds: the bomb takes over a minute, and the small render after it must fit
    /// easily even on a loaded machine (at two, one took longer under a load of ten).
    @Test func aRenderOverItsTimeLimitIsStoppedAndItsSlotFreed() async throws {
        let worker = try WorkerProcess(arguments: ["--chunk-time-limit", "8", "--max-renders", "1"])
        defer { worker.stop() }
        let body = try await Self.bombRequest(worker)
        let renderer = try await spare(worker)
        let started = Date()
        let answer = try await worker.http.render(body, timeout: 120)
        #expect(answer.status == 422 && answer.code == "E-WORKER-LIMIT", "\(answer)")
        #expect(answer.error?.message.contains("--chunk-time-limit") == true, "\(answer)")
        // The bomb's compile alone takes over a minute unloaded and several under load; the
        // 8 s limit plus starting a process fits in well under that even at a load of 18.
        #expect(Date().timeIntervalSince(started) < 100, "stopped at its limit, not when the compile ended")
        try await expectFreed(worker, renderer: renderer)
    }

    @Test func aRenderOverItsMemoryLimitIsStopped() async throws {
        let worker = try WorkerProcess(arguments: ["--render-memory", "320", "--max-renders", "1"])
        defer { worker.stop() }
        let body = try await Self.bombRequest(worker)
        let renderer = try await spare(worker)
        let answer = try await worker.http.render(body, timeout: 120)
        #expect(answer.status == 422 && answer.code == "E-WORKER-LIMIT", "\(answer)")
        #expect(answer.error?.message.contains("--render-memory") == true, "\(answer)")
        try await expectFreed(worker, renderer: renderer)
    }

    @Test func aRenderWhoseClientLeavesIsStoppedAndItsSlotFreed() async throws {
        let worker = try WorkerProcess(arguments: ["--max-renders", "1"])
        defer { worker.stop() }
        let body = try await Self.bombRequest(worker)
        let renderer = try await spare(worker)
        let client = try RawRequest(port: worker.port, method: "POST", path: "/v1/render", token: worker.token, body: body)
        #expect(await worker.waitForLog("render 0-2: started", timeout: 60), "\(worker.stderr)")
        #expect(worker.children.contains(renderer), "the render runs in the process that was the spare")
        client.close()
        #expect(await worker.waitForLog("render 0-2: stopped, its client went away", timeout: 30), "\(worker.stderr)")
        try await expectFreed(worker, renderer: renderer)
    }

    @Test func theWorkerItselfHoldsNoGLContext() async throws {
        let worker = try WorkerProcess()
        defer { worker.stop() }
        let health = try JSONDecoder().decode(WorkerHealth.self, from: Data(try await worker.http.health().body))
        #expect(!health.renderer.isEmpty && !health.vendor.isEmpty, "probed once at start")
        // Mesa's llvmpipe starts its rasteriser threads with a display, and keeps them for
        // the life of the process once one is open.
        #expect(!worker.threadNames.contains { $0.hasPrefix("llvmpipe") }, "\(worker.threadNames)")
        let answer = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        #expect(answer.status == 200, "\(answer)")
        #expect(!worker.threadNames.contains { $0.hasPrefix("llvmpipe") }, "the render's context was not in the worker")
    }

    /// The worker's spare render process, which the next request renders in: the worker
    /// starts one ahead and waits for nothing else.
    private func spare(_ worker: WorkerProcess, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int32 {
        #expect(await worker.waitUntil(timeout: 30) { worker.children.count == 1 }, "one spare: \(worker.children)", sourceLocation: sourceLocation)
        return try #require(worker.children.first, sourceLocation: sourceLocation)
    }

    /// `renderer` is gone, health says no slot is busy, and a small render is served.
    private func expectFreed(_ worker: WorkerProcess, renderer: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(await worker.waitUntil(timeout: 10) { !worker.children.contains(renderer) }, "the render process \(renderer) is left",
                sourceLocation: sourceLocation)
        let health = try JSONDecoder().decode(WorkerHealth.self, from: Data(try await worker.http.health().body))
        #expect(health.busy == 0, sourceLocation: sourceLocation)
        let next = try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        #expect(next.status == 200, "the slot is free: \(next)", sourceLocation: sourceLocation)
        #expect(worker.isRunning, sourceLocation: sourceLocation)
    }
}
