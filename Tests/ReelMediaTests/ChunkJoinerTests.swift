import Foundation
import ReelCore
import Testing
@testable import ReelMedia

/// A 48-frame clip of moving synthetic content, encoded whole and as three chunks of unequal
/// length (each its own encode with Reel's default settings, so each starts on a key frame),
/// the way remote workers render a video in pieces.
@Suite("Joining chunks of a video")
final class ChunkJoinerTests {
    static let (width, height, fps, frames) = (160, 96, 30.0, 48)
    /// Frame ranges of the chunks: unequal, and not multiples of x264's B-frame groups.
    static let ranges = [0..<20, 20..<31, 31..<48]
    static let ffprobe = ["/usr/bin/ffprobe", "/usr/local/bin/ffprobe"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-join-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    // MARK: - Fixtures

    /// Frame `n`: a diagonal gradient that drifts, a bright square that moves and a chroma
    /// tint that changes, so every frame differs and x264 finds motion for its B-frames.
    static func frame(_ n: Int, width: Int = width, height: Int = height) -> YUVFrame {
        var y = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height {
            for column in 0..<width { y[row * width + column] = UInt8(truncatingIfNeeded: column + row * 2 + n * 3) / 2 + 32 }
        }
        let (left, top) = (8 + n * 2, 16 + n % 24)
        for row in top..<min(height, top + 24) {
            for column in left..<min(width, left + 24) { y[row * width + column] = 230 }
        }
        var uv = [UInt8](repeating: 0, count: width * height / 2)
        for i in stride(from: 0, to: uv.count, by: 2) {
            uv[i] = UInt8(100 + n)
            uv[i + 1] = UInt8(160 - n + (i / width) % 8)
        }
        return YUVFrame(width: width, height: height, y: y, uv: uv)
    }

    func encode(_ name: String, _ range: Range<Int>, width: Int = width, height: Int = height, settings: VideoSettings? = nil) throws -> String {
        let path = folder + "/" + name
        let encoder = try VideoEncoder(path: path, containerName: path, width: width, height: height, fps: Self.fps,
                                       settings: settings ?? VideoSettings.forExtension((name as NSString).pathExtension))
        for n in range { try encoder.append(Self.frame(n, width: width, height: height)) }
        try encoder.finish()
        return path
    }

    func chunks(_ ext: String) throws -> [String] {
        try Self.ranges.enumerated().map { try encode("chunk\($0.offset).\(ext)", $0.element) }
    }

    /// Every frame of a file, decoded mid-frame (Matroska rounds times to milliseconds, so a
    /// frame's exact start can fall just before it).
    func decodeAll(_ path: String, count: Int) throws -> [RGBAImage] {
        let decoder = try MediaDecoder(path: path)
        return try (0..<count).map { try decoder.frame(at: (Double($0) + 0.5) / Self.fps) }
    }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

    // MARK: - Joining

    @Test(arguments: [("mp4", "mp4"), ("mkv", "mkv"), ("mp4", "mkv"), ("mov", "mov"), ("webm", "webm")])
    func joinedChunksPlayAsOneClip(chunkExt: String, outputExt: String) throws {
        let parts = try chunks(chunkExt)
        let output = folder + "/joined." + outputExt
        let report = try ChunkJoiner.join(parts, into: output, expectedFrames: Self.frames)
        #expect(report.frames == Self.frames)
        #expect(abs(report.duration - Double(Self.frames) / Self.fps) < 1e-9)
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.intValue
        #expect(report.bytes == size)

        let packets = try VideoStreamReader(path: output).timings()
        #expect(packets.count == Self.frames)
        // Each chunk's first packet (in decode order) is still a key frame.
        #expect(packets[0].isKey && packets[20].isKey && packets[31].isKey)
        let dts = packets.compactMap(\.dts)
        #expect(zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 }, "decode times rise strictly")
        #expect(dts.count >= Self.frames - 2, "at most Matroska's first two decode times are unknown")
        // H.264's B-frames: presentation order differs from decode order, so the join had
        // real reordering to carry over. (VP9 has none; its hidden frames ride in superframes.)
        let pts = packets.compactMap(\.pts)
        #expect(zip(pts, pts.dropFirst()).contains { $0 > $1 } == (chunkExt != "webm"), "B-frames in H.264 only")

        // The same presentation times as the clip encoded in one piece: frame n at n / 30 s.
        let whole = try encode("whole.\(chunkExt)", 0..<Self.frames)
        let times = try MediaProbe(path: output).timestamps
        let wholeTimes = try MediaProbe(path: whole).timestamps
        #expect(times.count == Self.frames && wholeTimes.count == Self.frames)
        #expect(zip(times, wholeTimes).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(times.enumerated().allSatisfy { abs($1 - Double($0) / Self.fps) < 1e-3 })

        // Not re-encoded: the join decodes to exactly the chunks' pictures, in order.
        let joined = try decodeAll(output, count: Self.frames)
        let fromChunks = try zip(parts, Self.ranges).flatMap { try decodeAll($0, count: $1.count) }
        let same = joined.count == fromChunks.count && zip(joined, fromChunks).allSatisfy { $0.pixels == $1.pixels }
        #expect(same, "decoded frames of the join equal those of the chunks")
        #expect(Set(joined.map(\.pixels)).count == Self.frames, "every frame is a different picture")
        #expect(try contents().allSatisfy { !$0.contains(".partial") }, "no temporary stays behind")
    }

    @Test func aChunkOfAnotherSizeIsRefusedAndNothingIsWritten() throws {
        var parts = try chunks("mp4")
        parts[1] = try encode("small.mp4", Self.ranges[1], height: 80)
        let output = folder + "/joined.mp4"
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(parts, into: output, expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin)
        #expect(error?.message.contains(parts[1]) == true && error?.message.contains("160×80") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try contents().allSatisfy { !$0.contains(".partial") })
    }

    @Test func aChunkEncodedWithOtherSettingsIsRefused() throws {
        // x264's ultrafast preset turns CABAC off, which changes the picture parameter set:
        // one track cannot carry both, and a decoder would misread the chunk.
        var parts = try chunks("mp4")
        parts[2] = try encode("ultrafast.mp4", Self.ranges[2], settings: VideoSettings(preset: "ultrafast"))
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(parts, into: folder + "/joined.mp4", expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin)
        #expect(error?.message.contains(parts[2]) == true && error?.message.contains("extradata") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: ["mp4", "mkv"])
    func aTruncatedChunkIsRefusedAndTheOldOutputKept(ext: String) throws {
        let parts = try chunks(ext)
        let data = try Data(contentsOf: URL(fileURLWithPath: parts[1]))
        try data.prefix(data.count * 6 / 10).write(to: URL(fileURLWithPath: parts[1]))
        let output = folder + "/joined.\(ext)"
        try Data("an earlier render".utf8).write(to: URL(fileURLWithPath: output))
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(parts, into: output, expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin)
        #expect(error?.message.contains("chunk1.\(ext)") == true, "\(error?.message ?? "")")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "an earlier render")
        #expect(try contents().allSatisfy { !$0.contains(".partial") })
    }

    @Test func aChunkThatIsNotAVideoIsRefusedNamingIt() throws {
        var parts = try chunks("mp4")
        parts[2] = folder + "/junk.mp4"
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: parts[2]))
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(parts, into: folder + "/joined.mp4", expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin && error?.message.contains(parts[2]) == true, "\(error?.message ?? "")")
    }

    @Test func aChunkThatIsAPlaylistIsRefusedNotFollowed() throws {
        // A worker could answer with a playlist naming the coordinator's own files; the joiner
        // opens chunks as assets are opened, so it is refused for what it is.
        var parts = try chunks("mp4")
        let other = parts[2]
        parts[2] = folder + "/chunk.m3u8"
        try Data("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nfile:\(other)\n#EXT-X-ENDLIST\n".utf8).write(to: URL(fileURLWithPath: parts[2]))
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(parts, into: folder + "/joined.mp4", expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin)
        #expect(error?.message.contains("'\(parts[2])' is an HLS playlist") == true, "\(error?.message ?? "")")
    }

    @Test func aMissingChunkIsRefusedBeforeWriting() throws {
        let parts = try chunks("mp4")
        let output = folder + "/joined.mp4"
        let error = #expect(throws: ReelError.self) {
            try ChunkJoiner.join([parts[0], parts[2]], into: output, expectedFrames: Self.frames)
        }
        #expect(error?.code == .videoJoin && error?.message.contains("37 frames, 48 expected") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func h264CannotBeJoinedIntoWebM() throws {
        let output = folder + "/joined.webm"
        let error = #expect(throws: ReelError.self) { try ChunkJoiner.join(try chunks("mp4"), into: output, expectedFrames: Self.frames) }
        #expect(error?.code == .videoJoin && error?.message.contains("cannot hold h264") == true, "\(error?.message ?? "")")
        #expect(try contents().allSatisfy { !$0.contains("joined") }, "neither the output nor a temporary is left")
    }

    // MARK: - Verifying

    @Test func verifyCatchesAWrongFrameCount() throws {
        let output = folder + "/joined.mp4"
        try ChunkJoiner.join(try chunks("mp4"), into: output, expectedFrames: Self.frames)
        #expect(try ChunkJoiner.verify(output, expectedFrames: Self.frames).frames == Self.frames)
        for wrong in [Self.frames - 1, Self.frames + 1] {
            let error = #expect(throws: ReelError.self) { try ChunkJoiner.verify(output, expectedFrames: wrong) }
            #expect(error?.code == .videoJoin && error?.message.contains("48 frames, \(wrong) expected") == true, "\(error?.message ?? "")")
        }
    }

    @Test(.enabled(if: ffprobe != nil, "ffprobe is not installed; skipping the check by FFmpeg's own tool"))
    func ffprobeCountsTheJoinedPackets() throws {
        let output = folder + "/joined.mp4"
        try ChunkJoiner.join(try chunks("mp4"), into: output, expectedFrames: Self.frames)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ffprobe ?? "ffprobe")
        process.arguments = ["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets",
                             "-of", "csv=p=0", output]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(Self.frames)", "ffprobe said: \(text.prefix(200))")
    }
}
