import Foundation
import Testing

/// `reel still` and `reel validate` with real photos and hostile asset files: photos drawn as a
/// viewer shows them, and pictures over the pixel limits, FIFOs and playlists refused before
/// anything is drawn, at the asset's line.
@Suite("Asset files end to end")
struct AssetHardeningTests {
    static let photos = repositoryRoot.appendingPathComponent("Tests/ReelMediaTests/Fixtures/photos.py")
    static let counter = repositoryRoot.appendingPathComponent("Tests/ReelMediaTests/Fixtures/counter.mp4")

    /// The photo fixtures (see photos.py), made once per run.
    static let made: Result<URL, PhotoError> = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-cli-photos-\(UUID().uuidString)")
        guard let result = try? run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", photos.path, folder.path]), result.status == 0 else {
            return .failure(PhotoError(message: "photos.py failed"))
        }
        return .success(folder)
    }()

    struct PhotoError: Error { var message: String }

    /// Pillow's comparison of a rendered PNG with a reference: "mean p99.9 largest".
    func compare(_ png: URL, _ reference: URL, width: Int, height: Int) throws -> (mean: Double, p999: Int, largest: Int) {
        let script = """
        import sys, numpy as np
        from PIL import Image
        out = np.asarray(Image.open(sys.argv[1]).convert('RGB')).astype(int)
        ref = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(int(sys.argv[4]), int(sys.argv[3]), 3).astype(int)
        d = abs(out - ref)
        print(d.mean(), int(np.percentile(d, 99.9)), d.max())
        """
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, png.path, reference.path, "\(width)", "\(height)"])
        let parts = result.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard result.status == 0, parts.count == 3, let mean = Double(parts[0]), let p = Int(parts[1]), let largest = Int(parts[2]) else {
            throw PhotoError(message: "comparison failed: \(result.stderr)")
        }
        return (mean, p, largest)
    }

    @Test(arguments: [("photo.jpg", 1920, 1080), ("photo-progressive.jpg", 1920, 1080), ("photo-exif-3.jpg", 1920, 1080),
                      ("photo-exif-6.jpg", 1080, 1920), ("photo-exif-8.jpg", 1080, 1920)])
    func stillDrawsAPhotoAsAViewerShowsIt(name: String, width: Int, height: Int) throws {
        let photos = try Self.made.get()
        let folder = try makeScratchFolder()
        let scene = folder.appendingPathComponent("photo.yaml")
        try Data("""
        reel: 1
        canvas: { size: [\(width), \(height)], background: "#000000" }
        assets: { photo: \(photos.appendingPathComponent(name).path) }
        layers:
          - { image: photo, position: [\(width / 2), \(height / 2)] }
        """.utf8).write(to: scene)
        let output = folder.appendingPathComponent("still.png")
        let result = try reel(["still", scene.path, "-o", output.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        guard result.status == 0 else { return }
        let d = try compare(output, photos.appendingPathComponent(name + ".rgb"), width: width, height: height)
        // Decoders differ by a few levels at hard edges; a turned, mirrored or missing picture
        // differs by tens everywhere.
        #expect(d.mean < 1 && d.p999 <= 8 && d.largest <= 40, "\(name): mean \(d.mean), 99.9% within \(d.p999), largest \(d.largest)")
    }

    @Test func aPictureBombIsRefusedAtItsLineBeforeDrawing() throws {
        let folder = try makeScratchFolder()
        // A PNG header declaring 16384 × 16384, then nothing: once 1.1 GiB to "decode".
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        png.append(contentsOf: Array("IHDR".utf8) + [0, 0, 0x40, 0, 0, 0, 0x40, 0, 8, 6, 0, 0, 0, 0, 0, 0, 0])
        try png.write(to: folder.appendingPathComponent("bomb.png"))
        let scene = folder.appendingPathComponent("bomb.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nassets:\n  pic: bomb.png\nlayers: [{ id: poster, image: pic }]\n".utf8).write(to: scene)
        let output = folder.appendingPathComponent("x.png")
        for arguments in [["still", scene.path, "-o", output.path], ["validate", scene.path]] {
            let result = try reel(arguments)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error[E-SCENE-LIMIT]: \(scene.path):4:8: assets.pic: layer 'poster': image asset 'pic' (bomb.png) is 16384×16384 pixels; a picture may have at most 67 108 864 pixels (8192×8192)"),
                    "\(arguments[0]): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aFIFOAssetIsRefusedWithoutHanging() throws {
        let folder = try makeScratchFolder()
        #expect(mkfifo(folder.appendingPathComponent("clip.mp4").path, 0o600) == 0)
        let scene = folder.appendingPathComponent("fifo.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nassets: { clip: clip.mp4 }\nlayers: [{ id: screen, video: clip }]\n".utf8).write(to: scene)
        let still = try guardedReel(["still", scene.path, "-o", folder.appendingPathComponent("x.png").path])
        #expect(still.status == 1)
        #expect(still.stderr.contains("error[E-MEDIA-VIDEO]: \(scene.path):3:17: assets.clip: layer 'screen': video asset 'clip' (clip.mp4) is a FIFO (named pipe), not a regular file"),
                "\(still.stderr)")
        let validate = try guardedReel(["validate", "--json", scene.path])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("\"code\": \"E-MEDIA-VIDEO\"") && validate.stdout.contains("\"line\": 3"), "\(validate.stdout)")
    }

    @Test func aPlaylistIsRefusedAndWhatItNamesIsNeverRead() throws {
        let folder = try makeScratchFolder()
        try Data("#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\nfile:\(Self.counter.path)\n#EXT-X-ENDLIST\n".utf8)
            .write(to: folder.appendingPathComponent("clip.m3u8"))
        let scene = folder.appendingPathComponent("hls.yaml")
        try Data("reel: 1\ncanvas: { size: [32, 18] }\nassets: { clip: clip.m3u8 }\nlayers: [{ video: clip }]\n".utf8).write(to: scene)
        let result = try reel(["still", scene.path, "-o", folder.appendingPathComponent("x.png").path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-MEDIA-VIDEO]: \(scene.path):3:17: assets.clip:"), "\(result.stderr)")
        #expect(result.stderr.contains("'clip.m3u8' is an HLS playlist; assets must be self-contained media files"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.png").path))
    }

    /// `reel` with a 30 s guard: a FIFO that blocked would fail the test, not hang it.
    func guardedReel(_ arguments: [String]) throws -> CommandResult {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return try run(runner.deletingLastPathComponent().appendingPathComponent("reel"), arguments, limit: 30)
    }
}
