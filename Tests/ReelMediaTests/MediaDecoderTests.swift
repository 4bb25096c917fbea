import Foundation
import Testing
import ReelCore
@testable import ReelMedia

/// Fixtures/counter.mp4: 3 s at 10 fps, 32×18, lossless H.264 with a key frame every 10
/// frames and B-frames; frame N decodes to grey 16 + 6N in RGB, as `ffmpeg -pix_fmt rgba`
/// also decodes it (made with FFmpeg's lavfi `geq`).
@Suite("Decoding clips and pictures with FFmpeg")
struct MediaDecoderTests {
    static let counter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/counter.mp4").path

    /// The frame number a decoded grey level stands for.
    func frameNumber(_ image: RGBAImage) -> Int {
        Int((Double(image[16, 9].0) - 16) / 6 + 0.5)
    }

    @Test func opensAClip() throws {
        let decoder = try MediaDecoder(path: Self.counter)
        #expect(decoder.width == 32 && decoder.height == 18)
        #expect(abs(decoder.duration - 3) < 0.11)
    }

    @Test(arguments: [(0.0, 0), (0.05, 0), (0.1, 1), (0.45, 4), (1.0, 10), (1.95, 19), (2.95, 29)])
    func showsTheFrameAtATime(time: Double, frame: Int) throws {
        let decoder = try MediaDecoder(path: Self.counter)
        #expect(frameNumber(try decoder.frame(at: time)) == frame)
    }

    @Test func seeksBackAndForthFrameAccurately() throws {
        let decoder = try MediaDecoder(path: Self.counter)
        // Forward steps, a jump back into another group of pictures, a jump far ahead.
        for (time, frame) in [(0.0, 0), (0.1, 1), (0.2, 2), (1.55, 15), (0.35, 3), (2.71, 27), (1.29, 12), (1.3, 13)] {
            #expect(frameNumber(try decoder.frame(at: time)) == frame, "at \(time)")
        }
    }

    @Test func holdsTheLastFramePastTheEnd() throws {
        let decoder = try MediaDecoder(path: Self.counter)
        #expect(frameNumber(try decoder.frame(at: 7)) == 29)
    }

    @Test func decodesPicturesOtherThanPNG() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A PNG written by libpng, read back through FFmpeg's decoder.
        let image = RGBAImage(width: 3, height: 2, pixels: [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255,
                                                            10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 128], isPremultiplied: false)
        let png = folder.appendingPathComponent("p.png")
        try PNGCodec.encode(image).write(to: png)
        let decoded = try MediaDecoder.decodeImage(path: png.path)
        #expect(decoded.width == 3 && decoded.height == 2)
        #expect(decoded[0, 0] == (255, 0, 0, 255) && decoded[2, 1] == (70, 80, 90, 128))
    }

    /// Fixtures made with FFmpeg's lavfi: a 16×8 JPEG of #3366cc and a lossless WebP of #cc3366.
    @Test(arguments: [("blue.jpg", (0x33, 0x66, 0xCC), 3), ("pink.webp", (0xCC, 0x33, 0x66), 2)])
    func decodesJPEGAndWebP(file: String, colour: (Int, Int, Int), tolerance: Int) throws {
        let path = URL(fileURLWithPath: Self.counter).deletingLastPathComponent().appendingPathComponent(file).path
        let image = try MediaDecoder.decodeImage(path: path)
        #expect(image.width == 16 && image.height == 8)
        let (r, g, b, a) = image[8, 4]
        #expect(abs(Int(r) - colour.0) <= tolerance && abs(Int(g) - colour.1) <= tolerance && abs(Int(b) - colour.2) <= tolerance && a == 255,
                "\(file): \(image[8, 4])")
    }

    @Test func unreadableFilesAreClearErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let junk = folder.appendingPathComponent("clip.mp4")
        try Data("this is not a video".utf8).write(to: junk)
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: junk.path) }
        #expect(error?.code == .videoAsset)
        #expect(error?.message.contains(junk.path) == true, "\(error?.message ?? "")")
    }
}
