import Foundation
import Testing
import ReelCore
@testable import ReelMedia

/// Level 1's own DEFLATE (`RunLengthDeflate`) must make streams every inflater reads back
/// exactly: libpng here, Python's zlib in the CLI tests. Pictures are chosen for its edges:
/// runs longer than a match, rows too wide for the match a row up, noise it must store.
@Suite("PNG level 1: runs of pixels, Huffman-coded")
struct RunLengthDeflateTests {
    static func roundTrip(_ image: RGBAImage, alpha: Bool, filter: PNGSettings.Filter = .none,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let png = try PNGEncoder(settings: PNGSettings(compressionLevel: 1, alpha: alpha, filter: filter)).encode(image)
        var expected = image.unpremultiplied()
        if !alpha { for i in stride(from: 3, to: expected.pixels.count, by: 4) { expected.pixels[i] = 255 } }
        #expect(try PNGCodec.decode(png) == expected, "\(image.width)×\(image.height), alpha \(alpha), filter \(filter)", sourceLocation: sourceLocation)
        return png.count
    }

    static func image(width: Int, height: Int, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8, UInt8)) -> RGBAImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b, a) = pixel(x, y)
                let i = (y * width + x) * 4
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (r, g, b, a)
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels, isPremultiplied: false)
    }

    @Test func aFlatFrameIsTinyAndExact() throws {
        let flat = Self.image(width: 1920, height: 1080) { _, _ in (16, 16, 24, 255) }
        let size = try Self.roundTrip(flat, alpha: false)
        #expect(size < 40_000, "a flat 1080p frame took \(size) bytes")
    }

    @Test func discsOnABackgroundRoundTripAtEveryFilter() throws {
        // Flat runs, antialiased edges and rows that repeat the row above.
        let discs = Self.image(width: 640, height: 360) { x, y in
            let d = ((Double(x) - 320) * (Double(x) - 320) + (Double(y) - 180) * (Double(y) - 180)).squareRoot()
            let edge = UInt8(max(0, min(255, (120 - d) * 255)))
            return x % 97 < 40 ? (edge, 40, 200, 255) : (16, 16, 24, 255)
        }
        for filter in PNGSettings.Filter.allCases {
            _ = try Self.roundTrip(discs, alpha: false, filter: filter)
            _ = try Self.roundTrip(discs, alpha: true, filter: filter)
        }
    }

    @Test func rowsTooWideForAMatchARowUpStillRoundTrip() throws {
        // 11 000 RGB pixels make a row of 33 001 bytes, past DEFLATE's 32 768-byte window.
        let wide = Self.image(width: 11_000, height: 3) { x, y in (UInt8(x / 300 % 256), UInt8(y * 40), 7, 255) }
        _ = try Self.roundTrip(wide, alpha: false)
    }

    @Test func noiseIsStoredRatherThanGrown() throws {
        var random = SeededRandom(seed: 3, layer: "noise", frame: 0)
        let noise = Self.image(width: 300, height: 200) { _, _ in
            let bits = random.next()
            return (UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24 & 0xFF))
        }
        let size = try Self.roundTrip(noise, alpha: true)
        #expect(size < 300 * 201 * 4 + 1000, "noise must not grow past its stored size: \(size) bytes")
    }

    @Test func tinyAndPremultipliedPicturesRoundTrip() throws {
        _ = try Self.roundTrip(Self.image(width: 1, height: 1) { _, _ in (1, 2, 3, 4) }, alpha: true)
        _ = try Self.roundTrip(Self.image(width: 2, height: 1) { x, _ in (UInt8(x), 9, 9, 255) }, alpha: false)
        let premultiplied = RGBAImage(width: 2, height: 2, pixels: [128, 0, 0, 128, 0, 0, 0, 0, 10, 20, 30, 255, 1, 1, 1, 2], isPremultiplied: true)
        _ = try Self.roundTrip(premultiplied, alpha: true)
    }

    @Test func framesEncodeTheSameOnAReusedEncoder() throws {
        let encoder = try PNGEncoder(settings: PNGSettings(compressionLevel: 1, alpha: false, filter: .none))
        let a = Self.image(width: 64, height: 32) { x, y in (UInt8(x * 4), UInt8(y * 8), 0, 255) }
        let b = Self.image(width: 200, height: 90) { x, _ in (UInt8(x % 3 * 80), 1, 2, 255) }
        let first = try encoder.encode(a)
        _ = try encoder.encode(b)
        #expect(try encoder.encode(a) == first, "the buffers an encoder keeps carry nothing from frame to frame")
        #expect(try PNGCodec.encode(a, settings: encoder.settings) == first)
    }
}
