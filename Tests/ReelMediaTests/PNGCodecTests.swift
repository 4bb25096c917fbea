import Foundation
import Testing
import ReelCore
@testable import ReelMedia

@Suite("PNG: written over libdeflate, read by libpng")
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

    /// Gradients, noise and flat runs, so every filter's arithmetic (wrap-around included)
    /// and the first row and column's edge cases are exercised.
    static func busyImage(width: Int = 37, height: Int = 23, opaque: Bool) -> RGBAImage {
        var random = SeededRandom(seed: 7, layer: "png", frame: 0)
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let noise = UInt8(random.next() & 0xFF)
                let flat = x > width / 2
                pixels += [flat ? 200 : UInt8((x * 7) & 0xFF), flat ? 10 : noise, UInt8((y * 11 + x) & 0xFF),
                           opaque ? 255 : UInt8((x * 5 + y * 3) & 0xFF)]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels, isPremultiplied: false)
    }

    @Test(arguments: PNGSettings.Filter.allCases, [0, 1, 6, 9])
    func everyFilterAndLevelRoundTripsExactly(filter: PNGSettings.Filter, level: Int) throws {
        let rgba = Self.busyImage(opaque: false)
        let data = try PNGCodec.encode(rgba, settings: PNGSettings(compressionLevel: level, alpha: true, filter: filter))
        #expect(try PNGCodec.decode(data) == rgba, "RGBA, filter \(filter), level \(level)")
        let opaque = Self.busyImage(opaque: true)
        let rgb = try PNGCodec.encode(opaque, settings: PNGSettings(compressionLevel: level, alpha: false, filter: filter))
        #expect(rgb[25] == 2, "colour type 2: RGB")
        #expect(try PNGCodec.decode(rgb) == opaque, "RGB, filter \(filter), level \(level)")
    }

    @Test func higherLevelsAreSmallerAndRGBDropsAQuarter() throws {
        let image = Self.busyImage(width: 300, height: 200, opaque: true)
        let stored = try PNGCodec.encode(image, settings: PNGSettings(compressionLevel: 0, alpha: false)).count
        let best = try PNGCodec.encode(image, settings: PNGSettings(compressionLevel: 9, alpha: false)).count
        let storedRGBA = try PNGCodec.encode(image, settings: PNGSettings(compressionLevel: 0, alpha: true)).count
        #expect(best < stored)
        #expect(stored >= 300 * 200 * 3 && stored < 300 * 200 * 3 + 2000, "level 0 stores the rows: \(stored) bytes")
        #expect(storedRGBA > stored * 5 / 4)
    }
}
