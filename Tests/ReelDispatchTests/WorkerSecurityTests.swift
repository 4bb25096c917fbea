import Glibc
import Foundation
import Synchronization
import Testing
@testable import ReelDispatch
import ReelMedia

/// What a real `reel worker` does with requests it must refuse: without the token, too
/// large, malformed, naming files by path, asking for frames or pixels it will not render,
/// with encoder options that write files, or arriving while it is busy. Every refusal is
/// checked by status and error code, and the worker must answer health afterwards.
/// Two workers are shared by the suite (see `SharedWorkers`); the tests run in parallel.
/// Needs `swift build --product reel` first: this target does not build the binary.
@Suite(.sharedWorkers)
struct WorkerSecurityTests {
    // MARK: - Token

    @Test func requestsWithoutATokenAre401() async throws {
        let worker = try SharedWorkers.main()
        let http = worker.http
        let digest = SHA256Hasher.hex(Array("x".utf8))
        let answers = [
            try await http.health(credentials: .none),
            try await http.putBlob(Array("x".utf8), as: digest, credentials: .none),
            try await http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()), credentials: .none),
        ]
        for answer in answers {
            expectRefused(answer, 401, "E-WORKER-AUTH")
            #expect(answer.header("WWW-Authenticate") == "Bearer")
        }
        let head = try await http.headBlob(digest, credentials: .none)  // HEAD answers carry no body
        #expect(head.status == 401 && head.header("WWW-Authenticate") == "Bearer", "\(head)")
        #expect(try await http.headBlob(digest).status == 404, "the unauthorised upload stored nothing")
        try await expectAlive(worker)
    }

    @Test func requestsWithAWrongTokenAre401() async throws {
        let worker = try SharedWorkers.main()
        let token = try #require(worker.token)
        let wrong = ["Bearer wrong", "Bearer " + token + "x", "Bearer " + token.dropLast(), "Bearer ", "Basic " + token,
                     token, "Bearer  " + token]
        let bytes = Array("y".utf8), digest = SHA256Hasher.hex(bytes)
        for value in wrong {
            expectRefused(try await worker.http.health(credentials: .header(value)), 401, "E-WORKER-AUTH")
            expectRefused(try await worker.http.putBlob(bytes, as: digest, credentials: .header(value)), 401, "E-WORKER-AUTH")
            #expect(try await worker.http.headBlob(digest, credentials: .header(value)).status == 401)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()), credentials: .header(value)), 401, "E-WORKER-AUTH")
        }
        try await expectAlive(worker)
    }

    @Test func healthWithTheTokenNamesTheRenderer() async throws {
        let worker = try SharedWorkers.main()
        let answer = try await worker.http.health()
        #expect(answer.status == 200, "\(answer)")
        let health = try JSONDecoder().decode(WorkerHealth.self, from: Data(answer.body))
        #expect(health.protocolVersion == workerProtocolVersion)
        #expect(!health.renderer.isEmpty)
        #expect(!health.vendor.isEmpty)
        #expect(health.maxRenders == SharedWorkers.mainRenders)
        #expect(health.maxPixelFrames == 1920 * 1080 * 3600)
    }

    @Test func refusesToListenOnAPublicAddressWithoutAToken() throws {
        for host in ["0.0.0.0", "127.example.invalid"] {
            do {
                let worker = try WorkerProcess(token: nil, host: host, timeout: 30)
                Issue.record("a worker without a token listens on \(host), port \(worker.port)")
            } catch let failure as WorkerProcess.StartFailure {
                #expect(failure.status.map { $0 != 0 } == true, "\(failure)")
                #expect(failure.stderr.contains("REEL_WORKER_TOKEN"), "\(failure)")
                #expect(!failure.stdout.contains("listening"), "\(failure)")
            }
        }
    }

    @Test func onlyLocalhostAndLoopbackLiteralsCountAsLoopback() {
        for host in ["localhost", "::1", "127.0.0.1", "127.1.2.3", "127.255.255.255"] {
            #expect(Worker.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "10.0.0.1", "127.example.com", "127.0.0.1.nip.io", "127.0.0", "127.0.0.256", "127..0.1",
                     "127.0.0.+1", "localhost.example.com", ""] {
            #expect(!Worker.isLoopback(host), "\(host)")
        }
    }

    // MARK: - Sizes

    @Test func renderBodyOverTheLimitIs413() async throws {
        let worker = try SharedWorkers.main()
        let body = [UInt8](repeating: UInt8(ascii: " "), count: (16 << 20) + 1)
        expectRefused(try await worker.http.render(body), 413, "E-WORKER-REQUEST")
        try await expectAlive(worker)
    }

    @Test func blobOverTheLimitIs413() async throws {
        let worker = try SharedWorkers.limited()
        let bytes = RenderRequestJSON.randomBytes((1 << 20) + 1)
        let digest = SHA256Hasher.hex(bytes)
        expectRefused(try await worker.http.putBlob(bytes, as: digest), 413, "E-WORKER-REQUEST")
        #expect(try await worker.http.headBlob(digest).status == 404)
        let small = RenderRequestJSON.randomBytes(1 << 19)
        #expect(try await worker.http.putBlob(small, as: SHA256Hasher.hex(small)).status == 201, "a blob under the limit is taken")
        try await expectAlive(worker)
    }

    // MARK: - Blobs

    @Test func blobWhoseBytesDoNotHashToItsNameIs400() async throws {
        let worker = try SharedWorkers.main()
        let bytes = RenderRequestJSON.randomBytes(1000)
        let claimed = SHA256Hasher.hex(bytes + [0])
        expectRefused(try await worker.http.putBlob(bytes, as: claimed), 400, "E-WORKER-REQUEST")
        #expect(try await worker.http.headBlob(claimed).status == 404)
        try await expectAlive(worker)
    }

    @Test func blobWithABadNameIsRefused() async throws {
        let worker = try SharedWorkers.main()
        let bytes = RenderRequestJSON.randomBytes(100)
        let digest = SHA256Hasher.hex(bytes)
        let names = ["abc", digest.uppercased(), String(digest.dropLast()), digest + "0", "g" + digest.dropFirst(),
                     "%2E%2E%2F%2E%2E%2Fpasswd", "..%2F" + digest, ".tmp-" + digest]
        for name in names {
            let put = try await worker.http.putBlob(bytes, as: name)
            #expect(put.status == 400 || put.status == 404, "PUT \(name): \(put)")
            if put.status == 400 { #expect(put.code == "E-WORKER-REQUEST", "PUT \(name): \(put)") }
            #expect(try await worker.http.headBlob(name).status == 404, "HEAD \(name)")
        }
        let stored = try FileManager.default.contentsOfDirectory(atPath: worker.cacheFolder.path + "/blobs")
        // Other tests' uploads in progress are hidden `.upload-` files.
        #expect(stored.allSatisfy { SHA256Hasher.isDigest($0) || $0.hasPrefix(".upload-") }, "only blobs named by hash: \(stored)")
        try await expectAlive(worker)
    }

    @Test func goodBlobIs201ThenHead200() async throws {
        let worker = try SharedWorkers.main()
        let bytes = RenderRequestJSON.randomBytes(5000)
        let digest = SHA256Hasher.hex(bytes)
        #expect(try await worker.http.headBlob(digest).status == 404)
        #expect(try await worker.http.putBlob(bytes, as: digest).status == 201)
        #expect(try await worker.http.headBlob(digest).status == 200)
        #expect(try await worker.http.putBlob(bytes, as: digest).status == 201, "uploading again is harmless")
        let stored = try Data(contentsOf: worker.cacheFolder.appendingPathComponent("blobs/" + digest))
        #expect([UInt8](stored) == bytes)
    }

    // MARK: - Request JSON

    @Test func malformedJSONIs400() async throws {
        let worker = try SharedWorkers.main()
        let bodies = ["", "{", "not json", "[]", "null", "42", #"{"protocolVersion": 1,}"#,
                      String(repeating: "[", count: 100_000), String(repeating: #"{"a":"#, count: 100_000)]
        for body in bodies {
            expectRefused(try await worker.http.render(Array(body.utf8)), 400, "E-WORKER-REQUEST", "\(body.prefix(30))")
        }
        try await expectAlive(worker)
    }

    @Test func unknownFieldsAre400NamingTheField() async throws {
        let worker = try SharedWorkers.main()
        for path in [["surprise"], ["output", "surprise"], ["scene", "surprise"], ["scene", "adjustments", "surprise"]] {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, path, to: true)
            let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
            expectRefused(answer, 400, "E-WORKER-REQUEST")
            #expect(answer.error?.message.contains("'" + path.joined(separator: ".") + "'") == true, "\(answer)")
        }
        try await expectAlive(worker)
    }

    @Test func missingOrMistypedFieldsAre400() async throws {
        let worker = try SharedWorkers.main()
        for path in [["first"], ["scene"], ["scene", "files"], ["output", "codec"], ["protocolVersion"]] {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, path, to: nil)
            let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
            expectRefused(answer, 400, "E-WORKER-REQUEST")
            #expect(answer.error?.message.contains(path.last ?? "") == true, "\(answer)")
        }
        let mistyped: [([String], Any)] = [(["first"], "0"), (["last"], 1.5), (["scene", "files"], ["a", "b"]), (["protocolVersion"], 2)]
        for (path, value) in mistyped {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, path, to: value)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-REQUEST", "\(path) = \(value)")
        }
        try await expectAlive(worker)
    }

    // MARK: - Files travel by hash

    @Test func sceneNamingAFileByPathIs400FileNotSent() async throws {
        let worker = try SharedWorkers.main()
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
        let scenes = [
            RenderRequestJSON.tinyScene + "assets: { x: /etc/passwd }\n",
            RenderRequestJSON.tinyScene + "assets: { x: ../../../../../../etc/passwd }\n",
            RenderRequestJSON.tinyScene + "shaders: { s: /etc/passwd }\n",
        ]
        for scene in scenes {
            var request = RenderRequestJSON.tiny(scene: scene)
            // A file sent under another path does not let the scene read this one.
            let sent = RenderRequestJSON.randomBytes(64)
            #expect(try await worker.http.putBlob(sent, as: SHA256Hasher.hex(sent)).status == 201)
            RenderRequestJSON.set(&request, ["scene", "files"], to: ["/coordinator/other.png": SHA256Hasher.hex(sent)])
            let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
            expectRefused(answer, 400, "E-SCENE-FILE-NOT-SENT", scene)
            #expect(!answer.text.contains("root:"), "the answer shows /etc/passwd: \(answer)")
            if let line = passwd.split(separator: "\n").first, !line.isEmpty {
                #expect(!answer.text.contains(line), "the answer shows /etc/passwd: \(answer)")
            }
        }
        try await expectAlive(worker)
    }

    @Test func fileWhoseHashWasNeverUploadedIs400BlobMissing() async throws {
        let worker = try SharedWorkers.main()
        var request = RenderRequestJSON.tiny(scene: RenderRequestJSON.tinyScene + "assets: { x: logo.png }\n")
        RenderRequestJSON.set(&request, ["scene", "files"], to: ["/coordinator/logo.png": SHA256Hasher.hex(RenderRequestJSON.randomBytes(32))])
        expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-BLOB-MISSING")
        try await expectAlive(worker)
    }

    @Test func fileSentAsSomethingOtherThanASHA256Is400() async throws {
        let worker = try SharedWorkers.main()
        for value in ["/etc/passwd", "../../../etc/passwd", "", String(repeating: "A", count: 64), String(repeating: "0", count: 63)] {
            var request = RenderRequestJSON.tiny(scene: RenderRequestJSON.tinyScene + "assets: { x: logo.png }\n")
            RenderRequestJSON.set(&request, ["scene", "files"], to: ["/coordinator/logo.png": value])
            let answer = try await worker.http.render(try RenderRequestJSON.encode(request))
            expectRefused(answer, 400, "E-WORKER-REQUEST", value)
            #expect(!answer.text.contains("root:"), "\(answer)")
        }
        try await expectAlive(worker)
    }

    // MARK: - Frames and limits

    @Test func framesOutsideTheSceneAre400() async throws {
        let worker = try SharedWorkers.main()
        let ranges: [(Int, Int, String)] = [
            (0, 3, "E-WORKER-REQUEST"), (3, 3, "E-WORKER-REQUEST"), (-1, 1, "E-WORKER-REQUEST"), (2, 1, "E-WORKER-REQUEST"),
            (Int.min, 0, "E-WORKER-REQUEST"), (Int.min, Int.max, "E-WORKER-REQUEST"), (Int.max, Int.max, "E-WORKER-REQUEST"),
            // More frames than any request may ask for: refused before the scene is decoded.
            (0, Int.max, "E-WORKER-LIMIT"),
        ]
        for (first, last, code) in ranges {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, ["first"], to: first)
            RenderRequestJSON.set(&request, ["last"], to: last)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, code, "frames \(first)-\(last)")
        }
        try await expectAlive(worker)
    }

    @Test func scaleAndAdjustmentsOutOfRangeAre400() async throws {
        let worker = try SharedWorkers.main()
        let changes: [([String], Any)] = [
            (["output", "scale"], 0), (["output", "scale"], -1), (["output", "scale"], 9), (["output", "scale"], 1e300),
            (["scene", "adjustments", "fps"], 0), (["scene", "adjustments", "fps"], -30), (["scene", "adjustments", "fps"], 1e300),
            (["scene", "adjustments", "samples"], 0), (["scene", "adjustments", "samples"], -4), (["scene", "adjustments", "samples"], 1 << 40),
        ]
        for (path, value) in changes {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, path, to: value)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-REQUEST", "\(path.joined(separator: ".")) = \(value)")
            try await expectAlive(worker)
        }
    }

    @Test func outputSettingsNoChunkCanUseAre400() async throws {
        let worker = try SharedWorkers.main()
        let changes: [(RenderRequestJSON.Kind, [String], Any)] = [
            (.video, ["output", "container"], "gif"), (.video, ["output", "container"], "../../x"),
            (.png, ["output", "pngCompression"], 99), (.png, ["output", "pngFilter"], "bogus"),
        ]
        for (kind, path, value) in changes {
            var request = RenderRequestJSON.tiny(output: kind)
            RenderRequestJSON.set(&request, path, to: value)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-REQUEST",
                          "\(path.joined(separator: ".")) = \(value)")
        }
        try await expectAlive(worker)
    }

    @Test func encoderOptionsThatWriteFilesAre400() async throws {
        let worker = try SharedWorkers.main()
        let target = worker.cacheFolder.appendingPathComponent("written-by-request").path
        let attempts: [[String: String]] = [
            ["flags": "+pass1", "stats": target],
            ["x264-params": "dump-yuv=" + target],
            ["x264opts": "dump-yuv=" + target],
            ["passlogfile": target],
            ["tune": "film:dump-yuv=" + target],
        ]
        for options in attempts {
            var request = RenderRequestJSON.tiny()
            RenderRequestJSON.set(&request, ["output", "options"], to: options)
            expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-REQUEST", "\(options)")
        }
        let written = try FileManager.default.contentsOfDirectory(atPath: worker.cacheFolder.path).filter { $0.hasPrefix("written-by-request") }
        #expect(written.isEmpty, "a request wrote \(written)")

        var plain = RenderRequestJSON.tiny()
        RenderRequestJSON.set(&plain, ["output", "options"], to: ["tune": "animation"])
        let answer = try await worker.http.render(try RenderRequestJSON.encode(plain))
        #expect(answer.status == 200, "a plain encoder option is passed on: \(answer)")
    }

    @Test func pixelsTimesFramesOverTheLimitAre400WorkerLimit() async throws {
        let worker = try SharedWorkers.limited()
        // 64 × 64 counts as the minimum frame, 320 × 180: 3 frames are 172 800 > 115 200.
        var request = RenderRequestJSON.tiny()
        expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-LIMIT")
        RenderRequestJSON.set(&request, ["last"], to: 1)
        RenderRequestJSON.set(&request, ["output", "scale"], to: 4)  // 256 × 256 × 2 frames = 131 072
        expectRefused(try await worker.http.render(try RenderRequestJSON.encode(request)), 400, "E-WORKER-LIMIT")
        try await expectAlive(worker)
    }

    // MARK: - Rendering

    @Test func smallRenderAnswersAVerifiedChunkAsVideoAndAsPNGs() async throws {
        let worker = try SharedWorkers.main()
        let videoRequest = try RenderRequestJSON.encode(RenderRequestJSON.tiny(output: .video))
        let pngRequest = try RenderRequestJSON.encode(RenderRequestJSON.tiny(output: .png))
        async let video = worker.http.render(videoRequest)
        async let png = worker.http.render(pngRequest)
        let answers = try await (video: video, png: png)

        for answer in [answers.video, answers.png] {
            #expect(answer.status == 200, "\(answer)")
            #expect(answer.header("Content-Type") == "application/vnd.reel.chunk")
        }
        let (videoMeta, videoBytes) = try ChunkEnvelope.decode(answers.video.body)
        let (pngMeta, pngBytes) = try ChunkEnvelope.decode(answers.png.body)
        for meta in [videoMeta, pngMeta] {
            #expect(meta.first == 0 && meta.last == 2)
            #expect(meta.frameChecksums.count == 3)
            #expect(meta.frameChecksums.allSatisfy { !$0.isEmpty })
        }
        #expect(videoMeta.frameChecksums == pngMeta.frameChecksums, "the same pixels whatever the encoding")
        #expect(SHA256Hasher.hex(Array(videoBytes)) == videoMeta.digest)
        #expect(Array(videoBytes.dropFirst(4).prefix(4)) == Array("ftyp".utf8), "an MP4 file")
        let frames = try TarArchive.read(Array(pngBytes))
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) }, "PNG files")
    }

    @Test func secondRenderWhileOneRunsIs429() async throws {
        let worker = try SharedWorkers.limited()  // --max-renders 1, REEL_WORKER_FAULT=hang
        var request = RenderRequestJSON.tiny()
        RenderRequestJSON.set(&request, ["last"], to: 1)  // 2 minimum frames, at the pixel limit
        let body = try RenderRequestJSON.encode(request)
        // The first request goes out on a plain socket from a thread of its own: under a full
        // `swift test` the concurrency pool can be busy for a long while with other suites.
        let first = try RawRequest(port: worker.port, method: "POST", path: "/v1/render", token: worker.token, body: body)
        defer { first.close() }
        #expect(await worker.waitForLog("render 0-1: started", timeout: 180), "the first render began: \(worker.stderr)")
        let second = try await worker.http.render(body)
        expectRefused(second, 429, "E-WORKER-BUSY")
        #expect(second.header("Retry-After") != nil)
        let health = try await worker.http.health()
        #expect(health.status == 200)
        #expect(try JSONDecoder().decode(WorkerHealth.self, from: Data(health.body)).busy == 1)
    }

    @Test func stillServesAValidRenderAfterBadRequests() async throws {
        let worker = try SharedWorkers.main()
        let http = worker.http
        var badFrames = RenderRequestJSON.tiny()
        RenderRequestJSON.set(&badFrames, ["last"], to: 99)
        var byPath = RenderRequestJSON.tiny(scene: RenderRequestJSON.tinyScene + "assets: { x: /etc/passwd }\n")
        RenderRequestJSON.set(&byPath, ["scene", "surprise"], to: 1)
        _ = try await http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()), credentials: .header("Bearer nope"))
        _ = try await http.render(Array("{".utf8))
        _ = try await http.render(Array(String(repeating: "[", count: 100_000).utf8))
        _ = try await http.render(try RenderRequestJSON.encode(badFrames))
        _ = try await http.render(try RenderRequestJSON.encode(byPath))
        _ = try await http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny(scene: "reel: 1\ncanvas: {")))
        _ = try await http.render([UInt8](repeating: 0, count: (16 << 20) + 10))
        _ = try await http.putBlob([1, 2, 3], as: SHA256Hasher.hex([1, 2, 4]))

        let answer = try await http.render(try RenderRequestJSON.encode(RenderRequestJSON.tiny()))
        #expect(answer.status == 200, "\(answer)")
        #expect(try ChunkEnvelope.decode(answer.body).meta.frameChecksums.count == 3)
    }
}

// MARK: - Fixtures

/// Render requests as JSON objects, so tests can add, drop and change fields.
enum RenderRequestJSON {
    /// 64 × 64, 3 frames, one rectangle.
    static let tinyScene = """
        reel: 1
        canvas: { size: [64, 64], duration: 3f, background: "#101018" }
        layers:
          - rect: { size: [24, 24] }
            position: [32, 32]
            fill: "#e94560"

        """

    enum Kind { case video, png }

    /// A request for frames 0-2 of `scene`, sent from a coordinator's `/coordinator/scene.yaml`.
    static func tiny(scene: String = tinyScene, output kind: Kind = .video) -> [String: Any] {
        let output = kind == .video
            ? ChunkOutput(.video(path: "chunk.mp4", settings: VideoSettings()), scale: 1)
            : ChunkOutput(.pngSequence(pattern: "######.png", settings: PNGSettings()), scale: 1)
        let bundle = SceneBundle(text: scene, path: "/coordinator/scene.yaml", folder: "/coordinator", files: [:],
                                 overrides: [:], adjustments: SceneAdjustments())
        let request = RenderRequest(scene: bundle, frames: 0...2, output: output)
        // Encoding a value of our own types cannot fail.
        let data = (try? JSONEncoder().encode(request)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func encode(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    /// Sets (or, with nil, removes) the field at `path`, making objects on the way.
    static func set(_ object: inout [String: Any], _ path: [String], to value: Any?) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
        } else {
            var inner = object[key] as? [String: Any] ?? [:]
            set(&inner, Array(path.dropFirst()), to: value)
            object[key] = inner
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255) }
    }
}

/// Checks an error answer: its status, its JSON error code, and nothing else passed for one.
private func expectRefused(_ answer: WorkerHTTP.Answer, _ status: Int, _ code: String, _ note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(answer.status == status, "\(note) \(answer)", sourceLocation: sourceLocation)
    #expect(answer.code == code, "\(note) \(answer)", sourceLocation: sourceLocation)
    #expect(answer.header("Content-Type") == "application/json", "\(note)", sourceLocation: sourceLocation)
}

/// The worker is still running and answers health.
private func expectAlive(_ worker: WorkerProcess, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    #expect(worker.isRunning, "the worker exited: \(worker.stderr.suffix(2000))", sourceLocation: sourceLocation)
    let answer = try await worker.http.health()
    #expect(answer.status == 200, "health after: \(answer)", sourceLocation: sourceLocation)
}

/// The workers this suite shares, started on first use and stopped when the suite ends.
private final class SharedWorkers: Sendable {
    /// Renders at once on the main worker: enough for the tests that render side by side.
    static let mainRenders = 4
    private let started = Mutex<[String: WorkerProcess]>([:])

    @TaskLocal static var current: SharedWorkers?

    /// Default limits, a token, `--max-renders 4`, and `--max-admissions 16`: the suite's
    /// tests send it many requests at once, which must be refused for what they are, not 429.
    static func main() throws -> WorkerProcess {
        try worker("main", ["--max-renders", String(mainRenders), "--max-admissions", "16"])
    }

    /// Small limits (1 MB blobs, 115 200 pixels × frames: two frames of the minimum 320 × 180),
    /// one render at once, and renders that never start (`REEL_WORKER_FAULT=hang`): for limit
    /// tests and the busy test.
    static func limited() throws -> WorkerProcess {
        try worker("limited", ["--max-renders", "1", "--max-blob-size", "1", "--max-pixel-frames", "115200"],
                   environment: ["REEL_WORKER_FAULT": "hang"])
    }

    private static func worker(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> WorkerProcess {
        let shared = try #require(current, "the suite needs the .sharedWorkers trait")
        return try shared.started.withLock { started in
            if let worker = started[name] { return worker }
            let worker = try WorkerProcess(arguments: arguments, environment: environment)
            started[name] = worker
            return worker
        }
    }

    func stopAll() {
        // A hanging render keeps a graceful shutdown waiting: a short grace, then SIGKILL.
        for worker in started.withLock({ $0.values }) { worker.stop(grace: 2) }
    }
}

/// Gives the suite its `SharedWorkers` and stops them when it ends.
private struct SharedWorkersTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let workers = SharedWorkers()
        defer { workers.stopAll() }
        try await SharedWorkers.$current.withValue(workers) { try await function() }
    }
}

private extension Trait where Self == SharedWorkersTrait {
    /// Starts the suite's workers on first use and stops them when it ends.
    static var sharedWorkers: Self { SharedWorkersTrait() }
}

/// An HTTP request written on a blocking socket and left open, its answer never read: holds
/// a worker's render slot without needing Swift concurrency to make progress.
final class RawRequest: Sendable {
    private let socket: Int32

    init(port: Int, method: String, path: String, token: String?, body: [UInt8]) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { Glibc.close(fd); throw POSIXError(.EIO) }
            sent += n
        }
        socket = fd
    }

    func close() { Glibc.close(socket) }
}
