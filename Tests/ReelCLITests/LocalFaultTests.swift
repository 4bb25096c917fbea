import Foundation
import Testing

/// Faults in a local render, each made real: a file-size limit and a full tmpfs, the output
/// folder removed while frames are written, an encoder that refuses to open, a GL context
/// lost mid-render and a shader the driver rejects (the last two injected into the real
/// context with `REEL_GL_FAULT`). Each must end in one clear error, a non-zero exit, no
/// partial output, and the previous output exactly as it was.
@Suite(.serialized) struct LocalFaultTests {
    /// A folder holding a previous render's output: `out.mp4` and a three-frame sequence.
    struct PreviousOutput {
        let folder: URL
        let files: [String: Data]

        init() throws {
            folder = try makeScratchFolder()
            var files: [String: Data] = ["out.mp4": Data("the previous render, which must survive".utf8)]
            for frame in 0..<3 { files[String(format: "f_%03d.png", frame)] = Data("previous frame \(frame)".utf8) }
            for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
            self.files = files
        }

        /// Every file in the folder, hidden ones included, is one of the previous render's
        /// with its bytes unchanged, and none is missing.
        func expectUntouched(_ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(names == files.keys.sorted(), "\(comment): the folder holds \(names)", sourceLocation: sourceLocation)
            for (name, data) in files {
                let now = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
                #expect(now == data, "\(comment): \(name) changed", sourceLocation: sourceLocation)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// `reel` run by a shell that first sets a file-size limit of `kilobytes` and ignores
    /// SIGXFSZ, so writes past it fail with EFBIG as on a full disk.
    func reelLimited(kilobytes: Int, _ arguments: [String], in folder: URL) throws -> CommandResult {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binary = runner.deletingLastPathComponent().appendingPathComponent("reel").path
        let quoted = ([binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try run(URL(fileURLWithPath: "/bin/bash"), ["-c", "ulimit -f \(kilobytes); trap '' XFSZ; exec \(quoted)"], in: folder)
    }

    static let hello = repositoryRoot.appendingPathComponent("Scenes/hello.yaml").path
    static let showcase = repositoryRoot.appendingPathComponent("Scenes/showcase.yaml").path

    @Test func aFileSizeLimitFailsTheVideoAndKeepsThePreviousOne() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        // hello.mp4 is about 14 KB.
        let result = try reelLimited(kilobytes: 4, ["render", Self.hello, "-o", "out.mp4", "--overwrite", "--progress", "none"], in: previous.folder)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error[E-IO-WRITE]: cannot write 'out.mp4': File too large"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("ulimit -f"))
        try previous.expectUntouched("after EFBIG on a video")
    }

    @Test func aFileSizeLimitFailsTheSequenceAndKeepsEveryPreviousFrame() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        // Showcase frames are over 30 KB; frames 0-5 would replace three and add three.
        let result = try reelLimited(kilobytes: 20, ["render", Self.showcase, "-o", "f_###.png", "--frames", "0-5", "--overwrite", "--progress", "none"],
                                     in: previous.folder)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error[E-IO-WRITE]: cannot write 'f_00"), "\(result.stderr.prefix(300))")
        try previous.expectUntouched("after EFBIG in a sequence")
    }

    /// A real full disk: an 8 KB tmpfs. Needs root (or CAP_SYS_ADMIN) to mount it.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("reel-tmpfs-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]))?.status == 0 else { return false }
        _ = try? run(URL(fileURLWithPath: "/bin/umount"), [probe.path])
        return true
    }()

    @Test(.enabled(if: canMountTmpfs, "skipped: mounting a small tmpfs needs root or CAP_SYS_ADMIN (the file-size-limit tests cover EFBIG)"))
    func aFullDiskFailsTheRenderAndKeepsThePreviousOutput() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        let disk = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: disk) }
        #expect(try run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=8k", "tmpfs", disk.path]).status == 0)
        defer { _ = try? run(URL(fileURLWithPath: "/bin/umount"), [disk.path]) }
        let old = Data("the previous render".utf8)
        try old.write(to: disk.appendingPathComponent("out.mp4"))
        let result = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--progress", "none"], in: disk)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error[E-IO-WRITE]: cannot write 'out.mp4': No space left on device"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("the disk is full"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["out.mp4"])
        #expect(FileManager.default.contents(atPath: disk.appendingPathComponent("out.mp4").path) == old)
        // Frames on the same full disk.
        let frames = try reel(["render", Self.hello, "-o", "f_###.png", "--overwrite", "--progress", "none"], in: disk)
        #expect(frames.status != 0)
        #expect(frames.stderr.hasPrefix("error[E-IO-WRITE]"), "\(frames.stderr.prefix(300))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["out.mp4"])
    }

    /// Starts `reel`, waits until something appears in `watch`, removes `watch`, and returns
    /// how the render ended.
    func removeFolderMidRender(_ arguments: [String], watch: URL) throws -> (status: Int32, stderr: String) {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let process = Process()
        process.executableURL = runner.deletingLastPathComponent().appendingPathComponent("reel")
        process.arguments = arguments
        process.currentDirectoryURL = watch.deletingLastPathComponent()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("reel-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline,
              (try? FileManager.default.contentsOfDirectory(atPath: watch.path))?.isEmpty ?? true {
            usleep(20_000)
        }
        try FileManager.default.removeItem(at: watch)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        while process.isRunning { usleep(20_000) }
        return (process.terminationStatus, String(decoding: FileManager.default.contents(atPath: errors.path) ?? Data(), as: UTF8.self))
    }

    @Test func removingTheOutputFolderMidRenderIsAClearError() throws {
        let parent = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        for (name, output) in [("video", "frames/out.mp4"), ("sequence", "frames/f_###.png")] {
            let folder = parent.appendingPathComponent("frames")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            let ended = try removeFolderMidRender(["render", Self.showcase, "-o", output, "--frames", "0-39", "--progress", "none"], watch: folder)
            #expect(ended.status == 1, "\(name)")
            #expect(ended.stderr.hasPrefix("error[E-IO-WRITE]"), "\(name): \(ended.stderr.prefix(300))")
            #expect(ended.stderr.contains("the folder was removed"), "\(name): \(ended.stderr.prefix(300))")
            #expect(!FileManager.default.fileExists(atPath: folder.path), "\(name): nothing recreated the folder")
        }
    }

    @Test func anEncoderThatRefusesToOpenLeavesThePreviousOutput() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        // libx264 exists but cannot encode RGB; it fails in avcodec_open2.
        let refused = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--pix-fmt", "rgb24", "--progress", "none"], in: previous.folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error[E-MEDIA-ENCODE]: libx264 refused to open for 640×360 rgb24"), "\(refused.stderr.prefix(300))")
        // The encoder's own words and what it takes, from FFmpeg itself (no ffmpeg tool needed).
        #expect(refused.stderr.contains("libx264 said: Specified pixel format rgb24 is invalid or not supported"), "\(refused.stderr.prefix(600))")
        #expect(refused.stderr.contains("libx264 takes pixel formats yuv420p"), "\(refused.stderr.prefix(600))")
        #expect(!refused.stderr.contains("ffmpeg -h"))
        let missing = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--codec", "no-such-codec", "--progress", "none"], in: previous.folder)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error[E-MEDIA-ENCODE]: this FFmpeg has no encoder 'no-such-codec'"), "\(missing.stderr.prefix(300))")
        try previous.expectUntouched("after encoders that do not open")
    }

    @Test func aContextLostMidRenderWritesNothing() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        let fault = ["REEL_GL_FAULT": "lose-context@20"]
        let video = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--progress", "none"], in: previous.folder, environment: fault)
        #expect(video.status == 1)
        #expect(video.stderr.hasPrefix("error[E-GL-CONTEXT-LOST]: the GL context was lost before frame 20"), "\(video.stderr.prefix(300))")
        let frames = try reel(["render", Self.hello, "-o", "f_###.png", "--overwrite", "--progress", "none"], in: previous.folder, environment: fault)
        #expect(frames.status == 1)
        #expect(frames.stderr.hasPrefix("error[E-GL-CONTEXT-LOST]"), "\(frames.stderr.prefix(300))")
        try previous.expectUntouched("after a lost context")
        // The same renders without the fault succeed: the switch, not the scene, failed them.
        let healthy = try reel(["render", Self.hello, "-o", "f_###.png", "--frames", "0-2", "--overwrite", "--progress", "none"], in: previous.folder)
        #expect(healthy.status == 0, "\(healthy.stderr.prefix(300))")
    }

    @Test func aShaderTheDriverRejectsIsNamedWithTheDriver() throws {
        let previous = try PreviousOutput()
        defer { previous.remove() }
        let result = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--progress", "none"], in: previous.folder,
                              environment: ["REEL_GL_FAULT": "reject-shader:reel.shapes"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-GL-SHADER]: vertex shader 'reel.shapes"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("#error REEL_GL_FAULT"), "the driver's own log is shown")
        #expect(result.stderr.contains("driver: "), "the driver is named: another may accept the shader")
        try previous.expectUntouched("after a rejected shader")
    }
}
