import Foundation
import Testing
import ReelCore
@testable import ReelMedia

/// A picture or video frame over `SceneLimits.maxImagePixels` is refused from the size its
/// header declares, before a decoder allocates it: a kilobyte PNG declaring 16384 × 16384
/// once cost 1.1 GiB.
@Suite("Pictures over the pixel limit are refused from their headers")
struct PictureLimitTests {
    /// Headers declaring 16384 × 16384 (or more), each a few dozen bytes, then cut short.
    static let bombs: [(String, [UInt8])] = {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = [UInt8]()
        ihdr.appendBigEndian(16384)
        ihdr.appendBigEndian(16384)
        ihdr += [8, 6, 0, 0, 0]
        png.appendChunk("IHDR", ihdr)
        png.appendChunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00])
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x40, 0x00, 0x40, 0x00, 0x03,
                             0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9]
        let gif = Array("GIF89a".utf8) + [0x00, 0x40, 0x00, 0x40, 0x00, 0x00, 0x00, 0x3B]
        var webp = Array("RIFF".utf8) + [30, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
        webp += [0xFF, 0x3F, 0x00, 0xFF, 0x3F, 0x00]  // 16384 − 1, twice, 24 bits each
        var bmp = Array("BM".utf8) + [UInt8](repeating: 0, count: 12) + [40, 0, 0, 0]
        bmp += [0x00, 0x40, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 1, 0, 24, 0]
        var tiff = Array("II*\0".utf8) + [8, 0, 0, 0, 2, 0]
        tiff += [0x00, 0x01, 4, 0, 1, 0, 0, 0, 0x00, 0x40, 0, 0]  // ImageWidth LONG 16384
        tiff += [0x01, 0x01, 4, 0, 1, 0, 0, 0, 0x00, 0x40, 0, 0]  // ImageLength LONG 16384
        return [("png", [UInt8](png)), ("jpg", jpeg), ("gif", gif), ("webp", webp), ("bmp", bmp), ("tif", tiff)]
    }()

    func write(_ bytes: [UInt8], _ ext: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("bomb." + ext)
        try Data(bytes).write(to: file)
        return file.path
    }

    @Test(arguments: 0..<6)
    func headersDeclaringTooManyPixelsAreRefused(index: Int) throws {
        let (ext, bytes) = Self.bombs[index]
        let header = try #require(ImageHeader.read(bytes), "\(ext): header not read")
        #expect(header.width >= 16384 && header.height >= 16384, "\(ext): \(header)")
        let path = try write(bytes, ext)
        let error = #expect(throws: ReelError.self) { try MediaDecoder.decodeImage(path: path) }
        #expect(error?.code == .limitExceeded, "\(ext): \(error?.description ?? "")")
        #expect(error?.message.contains("a picture may have at most 67 108 864 pixels (8192×8192)") == true, "\(ext): \(error?.message ?? "")")
    }

    @Test func theLimitIsTheCallersToChoose() throws {
        let blue = URL(fileURLWithPath: MediaDecoderTests.counter).deletingLastPathComponent().appendingPathComponent("blue.jpg").path
        #expect(try MediaDecoder.decodeImage(path: blue, maxPixels: 128).width == 16)
        let error = #expect(throws: ReelError.self) { try MediaDecoder.decodeImage(path: blue, maxPixels: 127) }
        #expect(error?.message.contains("is 16×8 pixels; a picture may have at most 127 pixels") == true, "\(error?.message ?? "")")
    }

    @Test func videoFramesAreHeldToTheLimitToo() throws {
        #expect(try MediaDecoder(path: MediaDecoderTests.counter, maxPixels: 576).width == 32)
        let error = #expect(throws: ReelError.self) { try MediaDecoder(path: MediaDecoderTests.counter, maxPixels: 575) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("has frames of 32×18 pixels; a frame may have at most 575 pixels") == true, "\(error?.message ?? "")")
    }

    @Test func truncatedAndHostileHeadersNeverTrap() {
        // Every prefix of every bomb, and a JPEG whose markers claim lengths past the end.
        for (_, bytes) in Self.bombs {
            for n in 0...bytes.count { _ = ImageHeader.read(Array(bytes.prefix(n))) }
        }
        _ = JPEGHeader.read([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF])
        _ = JPEGHeader.read([0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 100))
        #expect(JPEGHeader.read([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]) == nil, "a segment length below 2 is malformed")
    }

    @Test func limitsAreWrittenReadably() {
        #expect(PixelCount.describe(8192 * 8192) == "67 108 864 pixels (8192×8192)")
        #expect(PixelCount.describe(2 * 8192 * 8192) == "134 217 728 pixels (2 × 8192×8192)")
        #expect(PixelCount.describe(575) == "575 pixels")
    }
}
