import Foundation
import Testing

/// What a render may do to what is already at its output path, and what a killed render
/// leaves: an existing file is replaced only with --overwrite, a link, device or FIFO never;
/// temporaries and staged sequences of killed renders are cleared up (finished when the
/// sequence was complete) by the next render into the folder.
@Suite(.serialized) struct OutputSafetyTests {
    static let hello = repositoryRoot.appendingPathComponent("Scenes/hello.yaml").path
    static let showcase = repositoryRoot.appendingPathComponent("Scenes/showcase.yaml").path

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("reel")
    }

    func contents(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    func bytes(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }

    /// Starts `reel` in `folder`, waits until `ready` holds (checked every 20 ms, 60 s at
    /// most), sends `signal`, and returns the exit status (128 + n for a signal, as a shell
    /// shows it).
    func interrupt(_ arguments: [String], in folder: URL, signal: Int32, environment: [String: String] = [:],
                   when ready: () -> Bool) throws -> Int32 {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, !ready() { usleep(20_000) }
        #expect(process.isRunning, "the render ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        while process.isRunning { usleep(20_000) }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    // MARK: - What is at the path

    @Test func stillReplacesAFileOnlyWithOverwrite() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("poster.png")
        try Data("an earlier poster".utf8).write(to: output)
        let refused = try reel(["still", Self.hello, "-o", output.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error[E-IO-EXISTS]: '\(output.path)' already exists"), "\(refused.stderr)")
        #expect(bytes(output) == Data("an earlier poster".utf8))
        let replaced = try reel(["still", Self.hello, "-o", output.path, "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(bytes(output)?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true)
        #expect(contents(folder) == ["poster.png"], "no temporary is left")
    }

    @Test func noOutputIsWrittenThroughALink() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("precious.txt")
        try Data("not a picture".utf8).write(to: target)
        for name in ["link.png", "link.mp4"] {
            let link = folder.appendingPathComponent(name)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
            let command = name.hasSuffix(".png") ? ["still", Self.hello, "-o", link.path, "--overwrite"]
                                                 : ["render", Self.hello, "-o", link.path, "--overwrite", "--frames", "0-2"]
            let result = try reel(command)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error[E-IO-WRITE]: '\(link.path)' is a symbolic link"), "\(result.stderr)")
            #expect(bytes(target) == Data("not a picture".utf8))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == target.path, "the link is still a link")
        }
        // A frame of a sequence that is a link is refused the same way.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("seq"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/seq/0001.png", withDestinationPath: target.path)
        let sequence = try reel(["render", Self.hello, "-o", folder.path + "/seq/####.png", "--frames", "0-2", "--overwrite"])
        #expect(sequence.status == 1 && sequence.stderr.contains("is a symbolic link"), "\(sequence.stderr)")
        #expect(bytes(target) == Data("not a picture".utf8))
    }

    @Test func noOutputIsWrittenIntoADeviceOrAFIFO() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.png")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let intoFIFO = try run(Self.binary, ["still", Self.hello, "-o", fifo.path, "--overwrite"], limit: 30)
        #expect(intoFIFO.status == 1 && intoFIFO.stderr.contains("is a FIFO (named pipe), not a file"), "\(intoFIFO.stderr)")
        let device = folder.appendingPathComponent("null.png")
        guard mknod(device.path, S_IFCHR | 0o666, (1 << 8) | 3) == 0 else {  // 1, 3: /dev/null
            print("skipped the device case: mknod needs CAP_MKNOD (\(String(cString: strerror(errno))))")
            return
        }
        let intoDevice = try reel(["still", Self.hello, "-o", device.path, "--overwrite"])
        #expect(intoDevice.status == 1 && intoDevice.stderr.contains("is a device, not a file"), "\(intoDevice.stderr)")
        var info = stat()
        #expect(lstat(device.path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "the device node is still a device")
    }

    // MARK: - Killed renders

    @Test func aKilledVideoRenderLeavesItsTemporaryToTheNextRender() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("the previous video".utf8).write(to: folder.appendingPathComponent("out.mp4"))
        let status = try interrupt(["render", Self.showcase, "-o", "out.mp4", "--overwrite", "--progress", "none"], in: folder, signal: SIGKILL) {
            contents(folder).contains { $0.hasPrefix(".out.reel-") && $0.hasSuffix(".partial.mp4") }
        }
        #expect(status == 128 + SIGKILL)
        #expect(bytes(folder.appendingPathComponent("out.mp4")) == Data("the previous video".utf8))
        #expect(contents(folder).count == 2, "the killed render's temporary is there: \(contents(folder))")
        let next = try reel(["render", Self.hello, "-o", "out.mp4", "--overwrite", "--frames", "0-2", "--progress", "none"], in: folder)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(contents(folder) == ["out.mp4"], "the next render removed it: \(contents(folder))")
    }

    @Test func hangupStopsARenderLikeControlC() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("f"), withIntermediateDirectories: false)
        try Data("previous frame".utf8).write(to: folder.appendingPathComponent("f/0001.png"))
        for output in ["out.mp4", "f/####.png"] {
            let status = try interrupt(["render", Self.showcase, "-o", output, "--overwrite", "--progress", "none"], in: folder, signal: SIGHUP) {
                contents(folder).contains { $0.contains("partial") }
                    || contents(folder.appendingPathComponent("f")).contains { $0.hasPrefix(".reel-sequence-") }
            }
            #expect(status == 130, "\(output)")
            #expect(contents(folder) == ["f"], "\(output): \(contents(folder))")
            #expect(contents(folder.appendingPathComponent("f")) == ["0001.png"], "\(output): \(contents(folder.appendingPathComponent("f")))")
            #expect(bytes(folder.appendingPathComponent("f/0001.png")) == Data("previous frame".utf8))
        }
    }

    @Test func aSequenceKilledWhileStagingKeepsTheOldFramesAndIsClearedNextTime() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("f")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: false)
        for n in 0..<3 { try Data("old \(n)".utf8).write(to: frames.appendingPathComponent(String(format: "%04d.png", n))) }
        let status = try interrupt(["render", Self.showcase, "-o", "f/####.png", "--overwrite", "--progress", "none"], in: folder, signal: SIGKILL) {
            let staged = contents(frames).first { $0.hasPrefix(".reel-sequence-") }
            return staged.map { contents(frames.appendingPathComponent($0)).contains { $0.hasSuffix(".png") } } ?? false
        }
        #expect(status == 128 + SIGKILL)
        for n in 0..<3 { #expect(bytes(frames.appendingPathComponent(String(format: "%04d.png", n))) == Data("old \(n)".utf8)) }
        #expect(contents(frames).filter { $0.hasPrefix(".reel-sequence-") }.count == 1)
        let next = try reel(["render", Self.hello, "-o", "f/####.png", "--frames", "10-11", "--progress", "none"], in: folder)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(contents(frames) == ["0000.png", "0001.png", "0002.png", "0010.png", "0011.png"], "\(contents(frames))")
        for n in 0..<3 { #expect(bytes(frames.appendingPathComponent(String(format: "%04d.png", n))) == Data("old \(n)".utf8)) }
    }

    @Test func aSequenceKilledWhileCommittingIsFinishedByTheNextRender() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try reel(["render", Self.hello, "-o", "ref/####.png", "--frames", "0-9", "--progress", "none"], in: folder)
        #expect(reference.status == 0, "\(reference.stderr)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("f"), withIntermediateDirectories: false)
        for n in 0..<10 { try Data("old \(n)".utf8).write(to: folder.appendingPathComponent(String(format: "f/%04d.png", n))) }
        // The real render, killed (SIGKILL, by itself) after moving 4 of its 10 frames into place.
        let killed = try reel(["render", Self.hello, "-o", "f/####.png", "--frames", "0-9", "--overwrite", "--progress", "none"], in: folder,
                              environment: ["REEL_OUTPUT_FAULT": "kill-during-commit@4"])
        #expect(killed.status == SIGKILL, "status \(killed.status): \(killed.stderr)")
        let mixed = (0..<10).filter { bytes(folder.appendingPathComponent(String(format: "f/%04d.png", $0))) == Data("old \($0)".utf8) }
        #expect(mixed == Array(4..<10), "the crash left old frames 4-9: \(mixed)")
        // The next render into the folder finishes the commit before anything else.
        let next = try reel(["render", Self.hello, "-o", "f/####.png", "--frames", "20", "--progress", "none"], in: folder)
        #expect(next.status == 0, "\(next.stderr)")
        for n in 0..<10 {
            let name = String(format: "%04d.png", n)
            #expect(bytes(folder.appendingPathComponent("f/" + name)) == bytes(folder.appendingPathComponent("ref/" + name)), "frame \(n) is the new one")
        }
        #expect(!contents(folder.appendingPathComponent("f")).contains { $0.hasPrefix(".") }, "\(contents(folder.appendingPathComponent("f")))")
    }

    // MARK: - Names

    @Test func sequenceNamesAreCheckedBeforeAnythingIsDrawn() throws {
        let hugeWidth = try reel(["render", Self.hello, "-o", "/tmp/x%300000000d.png"])
        #expect(hugeWidth.status == 1)
        #expect(hugeWidth.stderr.contains("over 9 digits") && hugeWidth.stderr.utf8.count < 400, "\(hugeWidth.stderr.prefix(400))")
        let inFolder = try reel(["render", Self.hello, "-o", "/tmp/d####/f.png"])
        #expect(inFolder.status == 1)
        #expect(inFolder.stderr.contains("the frame number must be in the file name, not in a folder"), "\(inFolder.stderr)")
        let tooMany = try reel(["render", Self.hello, "-o", "/tmp/" + String(repeating: "#", count: 12) + ".png"])
        #expect(tooMany.status == 1 && tooMany.stderr.contains("at most 9"), "\(tooMany.stderr)")
    }
}
