import Foundation
import Testing
import ReelCore
@testable import ReelMedia

/// Decoding an asset reads that file's bytes and nothing else: no playlist, concat list or
/// file-name pattern makes FFmpeg open another file, and a FIFO or device is refused at once
/// instead of blocking the render.
@Suite("Asset decoding is confined to the asset")
struct AssetConfinementTests {
    static let counter = MediaDecoderTests.counter

    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-confine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: [true, false])
    func anHLSPlaylistIsRefusedNotFollowed(absolute: Bool) throws {
        let folder = try scratch()
        try FileManager.default.copyItem(atPath: Self.counter, toPath: folder.appendingPathComponent("other.mp4").path)
        let target = absolute ? "file:" + folder.appendingPathComponent("other.mp4").path : "other.mp4"
        let playlist = folder.appendingPathComponent("clip.m3u8")
        try Data("#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\n\(target)\n#EXT-X-ENDLIST\n".utf8).write(to: playlist)
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: playlist.path).frame(at: 0.5) }
        #expect(error?.code == .videoAsset)
        #expect(error?.message.contains("'\(playlist.path)' is an HLS playlist; assets must be self-contained media files") == true,
                "\(error?.message ?? "")")
    }

    @Test func aPlaylistNamingAMissingFileFailsTheSameWay() throws {
        // No existence oracle: what the playlist names is never looked at.
        let folder = try scratch()
        let present = folder.appendingPathComponent("a.m3u8"), absent = folder.appendingPathComponent("b.m3u8")
        try Data("#EXTM3U\n#EXTINF:3.0,\nfile:\(Self.counter)\n".utf8).write(to: present)
        try Data("#EXTM3U\n#EXTINF:3.0,\nfile:/no/such/file.mkv\n".utf8).write(to: absent)
        let first = #expect(throws: ReelError.self) { try MediaDecoder(path: present.path) }
        let second = #expect(throws: ReelError.self) { try MediaDecoder(path: absent.path) }
        #expect(first?.message.replacingOccurrences(of: "a.m3u8", with: "?") == second?.message.replacingOccurrences(of: "b.m3u8", with: "?"))
    }

    @Test(arguments: [
        ("ffconcat version 1.0\nfile 'COUNTER'\n", "is an FFmpeg concat list"),
        ("<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period><AdaptationSet><Representation><BaseURL>COUNTER</BaseURL></Representation></AdaptationSet></Period></MPD>\n", "is a DASH manifest"),
        ("v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n", "is an SDP session description"),
        ("[playlist]\nFile1=COUNTER\n", "is a PLS playlist"),
        ("just some words\n", "is text, not a picture or video"),
    ])
    func listsAndManifestsAreRefusedByName(text: String, says: String) throws {
        let folder = try scratch()
        let file = folder.appendingPathComponent("asset.mp4")
        try Data(text.replacingOccurrences(of: "COUNTER", with: Self.counter).utf8).write(to: file)
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: file.path) }
        #expect(error?.code == .videoAsset)
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
    }

    @Test func aFileNameIsNeverAPattern() throws {
        // FFmpeg's image2 demuxer reads "img%d.png" as img1.png, img2.png, …; an asset is its
        // own bytes whatever its name.
        let folder = try scratch()
        let own = RGBAImage(width: 2, height: 1, pixels: [200, 10, 10, 255, 200, 10, 10, 255], isPremultiplied: false)
        let other = RGBAImage(width: 2, height: 1, pixels: [10, 200, 10, 255, 10, 200, 10, 255], isPremultiplied: false)
        try PNGCodec.encode(own).write(to: folder.appendingPathComponent("img%d.png"))
        for n in 0...2 { try PNGCodec.encode(other).write(to: folder.appendingPathComponent("img\(n).png")) }
        let decoded = try MediaDecoder.decodeImage(path: folder.appendingPathComponent("img%d.png").path)
        #expect(decoded[0, 0] == (200, 10, 10, 255))
    }

    @Test func everyAllowedDemuxerExistsAndNoListReadingOneIsAllowed() {
        for format in MediaContainer.allowed {
            #expect(format.isAvailable, "this FFmpeg has no \(format.demuxer)")
        }
        let readersOfOtherFiles = ["hls", "concat", "image2", "dash", "webm_dash_manifest", "sdp", "rtsp", "mpl2", "ffmetadata", "tee"]
        #expect(MediaContainer.allowed.allSatisfy { !readersOfOtherFiles.contains($0.demuxer) })
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let folder = try scratch()
        let fifo = folder.appendingPathComponent("clip.mp4")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // Were the FIFO opened for a blocking read, nothing would ever come: this writer
        // unblocks such a reader after 3 s (so the test fails instead of hanging), and gives up
        // when no reader is waiting (a non-blocking open for writing fails with ENXIO).
        let path = fifo.path
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 3)
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        let started = Date()
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: fifo.path) }
        #expect(Date().timeIntervalSince(started) < 2, "refused at once, not after a read")
        #expect(error?.code == .videoAsset)
        #expect(error?.message.contains("'\(fifo.path)' is a FIFO (named pipe), not a regular file") == true, "\(error?.message ?? "")")
        let image = #expect(throws: ReelError.self) { try AssetFile(path: fifo.path, code: .imageAsset) }
        #expect(image?.code == .imageAsset)
    }

    @Test(arguments: [("/dev/zero", "a character device"), ("/tmp", "a folder")])
    func devicesAndFoldersAreRefused(path: String, kind: String) throws {
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: path) }
        #expect(error?.message.contains("is \(kind), not a regular file") == true, "\(error?.message ?? "")")
    }

    @Test func aSymbolicLinkToAFileIsFollowed() throws {
        let folder = try scratch()
        let link = folder.appendingPathComponent("link.mp4")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: Self.counter)
        #expect(try MediaDecoder(path: link.path).width == 32)
    }
}
