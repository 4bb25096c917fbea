import Foundation
import Testing
import ReelCore
@testable import ReelMedia

@Suite("PNG through libpng")
struct PNGCodecTests {
    @Test func roundTripsStraightRGBA() throws {
        var pixels: [UInt8] = []
        for i in 0..<(7 * 5) { pixels += [UInt8(i * 7 % 256), UInt8(i * 13 % 256), UInt8(i * 29 % 256), UInt8(255 - i)] }
        let image = RGBAImage(width: 7, height: 5, pixels: pixels, isPremultiplied: false)
        let data = try PNGCodec.encode(image)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try PNGCodec.decode(data) == image)
    }

    @Test func unpremultipliesOnTheWayOut() throws {
        // Half-transparent pure red as GL leaves it (premultiplied): 128, 0, 0, 128.
        let image = RGBAImage(width: 1, height: 1, pixels: [128, 0, 0, 128], isPremultiplied: true)
        let decoded = try PNGCodec.decode(try PNGCodec.encode(image))
        #expect(decoded[0, 0] == (255, 0, 0, 128))
    }

    @Test func fullyTransparentPixelsBecomeTransparentBlack() {
        let image = RGBAImage(width: 1, height: 1, pixels: [0, 0, 0, 0], isPremultiplied: true).unpremultiplied()
        #expect(image[0, 0] == (0, 0, 0, 0))
    }

    @Test func garbageIsAnErrorNotACrash() {
        let error = #expect(throws: ReelError.self) { try PNGCodec.decode(Data("not a png at all".utf8)) }
        #expect(error?.code == .pngDecode)
        let truncated = #expect(throws: ReelError.self) {
            let png = try PNGCodec.encode(RGBAImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 64), isPremultiplied: false))
            return try PNGCodec.decode(png.prefix(png.count / 2))
        }
        #expect(truncated?.code == .pngDecode)
    }
}
