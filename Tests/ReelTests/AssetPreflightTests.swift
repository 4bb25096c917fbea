import Foundation
import Testing
import Reel
import ReelCore
import ReelMedia

/// A PNG of `width` × `height` as far as its header goes: signature and IHDR only, a few dozen
/// bytes that declare as many pixels as they like.
func pngHeader(_ width: UInt32, _ height: UInt32) -> Data {
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    png.append(contentsOf: Array("IHDR".utf8))
    for value in [width, height] { png.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]) }
    png.append(contentsOf: [8, 6, 0, 0, 0, 0, 0, 0, 0])  // bit depth, RGBA, …, and a CRC nobody reaches
    return png
}

/// A folder holding `scene.yaml` (the given text) and the given files.
func sceneFolder(_ text: String, files: [String: Data] = [:]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-preflight-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: folder.appendingPathComponent("scene.yaml"))
    for (name, bytes) in files { try bytes.write(to: folder.appendingPathComponent(name)) }
    return folder
}

func decode(_ folder: URL) throws -> Scene {
    try SceneDecoder(plugins: .standard).load(path: folder.appendingPathComponent("scene.yaml").path)
}

@Suite("Asset pre-flight")
struct AssetPreflightTests {
    @Test func aPictureOverTheLimitIsRefusedWhereItIsDeclared() throws {
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets:
          big: big.png
        layers:
          - { id: poster, image: big }
        """, files: ["big.png": pngHeader(16384, 16384)])
        let problems = AssetPreflight.diagnostics(try decode(folder))
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.code == .limitExceeded)
        #expect(problem.location?.line == 4 && problem.location?.column == 8, "\(problem)")
        #expect(problem.path == "assets.big")
        #expect(problem.message == "layer 'poster': image asset 'big' (big.png) is 16384×16384 pixels; a picture may have at most 67 108 864 pixels (8192×8192)")
    }

    @Test func theScenesDistinctPicturesAreHeldToATotal() throws {
        let side = UInt32(8192)
        let files = ["a.png": pngHeader(side, side), "b.png": pngHeader(side, side), "c.png": pngHeader(side, side)]
        // Two distinct pictures (one of them named twice) are exactly at the limit.
        let within = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { a: a.png, twin: a.png, b: b.png }
        layers: [{ image: a }, { image: twin }, { image: b }, { image: b }]
        """, files: files)
        #expect(AssetPreflight.diagnostics(try decode(within)).isEmpty)
        let over = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { a: a.png, b: b.png, c: c.png }
        layers: [{ image: a }, { image: b }, { id: third, image: c }]
        """, files: files)
        let error = #expect(throws: SceneError.self) { try AssetPreflight.check(try decode(over)) }
        #expect(error?.codes == [.limitExceeded])
        let problem = try #require(error?.diagnostics.first)
        #expect(problem.path == "assets.c" && problem.location?.line == 3, "\(problem)")
        #expect(problem.message.contains("layer 'third': image asset 'c' (c.png), 8192×8192 pixels, brings the scene's distinct pictures to 201 326 592 pixels; a scene may have at most 134 217 728 pixels (2 × 8192×8192)"),
                "\(problem.message)")
    }

    @Test func anAssetNamedWhereItIsUsedIsLocatedThere() throws {
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        layers:
          - rect: { size: [4, 4] }
          - image: { asset: huge.png, fit: cover }
        """, files: ["huge.png": pngHeader(100_000, 100_000)])
        let problem = try #require(AssetPreflight.diagnostics(try decode(folder)).first)
        #expect(problem.path == "layers[1].image.asset" && problem.location?.line == 5, "\(problem)")
        #expect(problem.description.hasPrefix(folder.appendingPathComponent("scene.yaml").path + ":5:"), "\(problem)")
    }

    @Test(arguments: [("image", "E-MEDIA-IMAGE"), ("video", "E-MEDIA-VIDEO")])
    func aFIFOIsRefusedByName(kind: String, code: String) throws {
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { pipe: pipe.bin }
        layers: [{ id: screen, \(kind): pipe }]
        """)
        #expect(mkfifo(folder.appendingPathComponent("pipe.bin").path, 0o600) == 0)
        let started = Date()
        let problem = try #require(AssetPreflight.diagnostics(try decode(folder)).first)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(problem.code.rawValue == code)
        #expect(problem.message == "layer 'screen': \(kind) asset 'pipe' (pipe.bin) is a FIFO (named pipe), not a regular file; assets must be ordinary files")
    }

    @Test func aPlaylistAsAVideoIsRefused() throws {
        let counter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReelMediaTests/Fixtures/counter.mp4").path
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { clip: clip.m3u8 }
        layers: [{ video: clip }]
        """, files: ["clip.m3u8": Data("#EXTM3U\n#EXTINF:3.0,\nfile:\(counter)\n".utf8)])
        let problem = try #require(AssetPreflight.diagnostics(try decode(folder)).first)
        #expect(problem.code == .videoAsset)
        #expect(problem.message.hasSuffix("'clip.m3u8' is an HLS playlist; assets must be self-contained media files"), "\(problem.message)")
    }

    @Test func aClipsFrameSizeIsChecked() throws {
        let counter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReelMediaTests/Fixtures/counter.mp4")
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { clip: clip.mp4 }
        layers: [{ video: clip }]
        """, files: ["clip.mp4": try Data(contentsOf: counter)])
        var limits = SceneLimits()
        #expect(AssetPreflight.diagnostics(try decode(folder), limits: limits).isEmpty)
        limits.maxImagePixels = 500
        let problem = try #require(AssetPreflight.diagnostics(try decode(folder), limits: limits).first)
        #expect(problem.code == .limitExceeded && problem.path == "assets.clip")
        #expect(problem.message.contains("has frames of 32×18 pixels; a frame may have at most 500 pixels"), "\(problem.message)")
    }

    @Test func dataAssetsNeedOnlyBeRegularFiles() throws {
        // A file no layer shows (a LUT, text) is not held to being a picture.
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { notes: notes.txt }
        layers: [{ rect: { size: [4, 4] } }]
        """, files: ["notes.txt": Data("anything\n".utf8)])
        #expect(AssetPreflight.diagnostics(try decode(folder)).isEmpty)
    }
}

@Suite("MediaAssetLoader's limits while rendering")
struct MediaAssetLoaderLimitTests {
    func png(_ side: Int) throws -> Data {
        try PNGCodec.encode(RGBAImage(width: side, height: side, pixels: [UInt8](repeating: 200, count: side * side * 4), isPremultiplied: false))
    }

    @Test func picturesAreHeldToTheLimitsOncePerFile() throws {
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { a: a.png, twin: a.png, b: b.png, c: c.png, big: big.png }
        layers: [{ image: a }]
        """, files: ["a.png": try png(8), "b.png": try png(8), "c.png": try png(8), "big.png": try png(11)])
        var limits = SceneLimits()
        limits.maxImagePixels = 100
        limits.maxSceneImagePixels = 150
        let loader = MediaAssetLoader(scene: try decode(folder), limits: limits)
        let big = #expect(throws: ReelError.self) { try loader.image(named: "big") }
        #expect(big?.code == .imageAsset)
        #expect(big?.message.contains("is refused: the picture is 11×11 pixels; a picture may have at most 100 pixels") == true, "\(big?.message ?? "")")
        #expect(try loader.image(named: "a").width == 8)
        #expect(try loader.image(named: "twin").width == 8, "the same file again costs nothing more")
        #expect(try loader.image(named: "a").width == 8)
        #expect(try loader.image(named: "b").width == 8)
        let third = #expect(throws: ReelError.self) { try loader.image(named: "c") }
        #expect(third?.message.contains("this 8×8 picture brings the scene's distinct pictures to 192 pixels; a scene may have at most 150 pixels") == true, "\(third?.message ?? "")")
    }

    @Test func aFIFOIsRefusedAtOnceWhateverTheAssetIsFor() throws {
        let folder = try sceneFolder("""
        reel: 1
        canvas: { size: [64, 64] }
        assets: { pipe: pipe }
        layers: [{ image: pipe }]
        """)
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let loader = MediaAssetLoader(scene: try decode(folder))
        for (read, code) in [({ _ = try loader.image(named: "pipe") }, ReelError.Code.imageAsset),
                             ({ _ = try loader.videoFrame(named: "pipe", at: 0, loop: false) }, .videoAsset),
                             ({ _ = try loader.data(named: "pipe") }, .assetData)] as [(() throws -> Void, ReelError.Code)] {
            let error = #expect(throws: ReelError.self) { try read() }
            #expect(error?.code == code)
            #expect(error?.message.contains("'\(fifo)' is a FIFO (named pipe), not a regular file") == true, "\(error?.message ?? "")")
        }
    }
}
