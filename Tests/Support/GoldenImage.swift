import Foundation
import ReelCore
import ReelMedia
import Testing
import ReelGL

/// Compares rendered pictures with committed references by tolerance (largest channel
/// difference and PSNR), never byte equality, so driver rounding does not fail a test.
/// Each test target keeps its references in its own `Golden/` folder and passes its
/// `#filePath` so they are found there.
///
/// `REEL_RECORD_GOLDEN=1 swift test --filter Golden` rewrites the references. On a mismatch
/// the actual picture and an amplified difference picture are written next to each other
/// under `.build/golden-failures/`, and the failure names them.
public enum GoldenImage {
    static let failures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/golden-failures")
    public static var recording: Bool { ProcessInfo.processInfo.environment["REEL_RECORD_GOLDEN"] == "1" }

    public struct Difference: Sendable {
        public var maxChannel: Int
        public var psnr: Double
        public var differingPixels: Int
    }

    /// Largest per-channel difference, PSNR over all channels (infinite when equal) and the
    /// number of pixels that differ at all.
    public static func compare(_ a: RGBAImage, _ b: RGBAImage) -> Difference {
        precondition(a.width == b.width && a.height == b.height)
        var maxChannel = 0, squared = 0.0, differing = 0
        for i in stride(from: 0, to: a.pixels.count, by: 4) {
            var pixelDiffers = false
            for c in 0..<4 {
                let d = abs(Int(a.pixels[i + c]) - Int(b.pixels[i + c]))
                if d > 0 { pixelDiffers = true }
                maxChannel = max(maxChannel, d)
                squared += Double(d * d)
            }
            if pixelDiffers { differing += 1 }
        }
        let mse = squared / Double(a.pixels.count)
        return Difference(maxChannel: maxChannel, psnr: mse == 0 ? .infinity : 10 * log10(255 * 255 / mse), differingPixels: differing)
    }

    /// The difference ×4 over mid-grey: where the pictures agree it is flat grey.
    public static func differencePicture(_ a: RGBAImage, _ b: RGBAImage) -> RGBAImage {
        var pixels = [UInt8](repeating: 255, count: a.pixels.count)
        for i in stride(from: 0, to: a.pixels.count, by: 4) {
            for c in 0..<3 {
                let d = Int(a.pixels[i + c]) - Int(b.pixels[i + c]) + (Int(a.pixels[i + 3]) - Int(b.pixels[i + 3])) / 3
                pixels[i + c] = UInt8(clamping: 128 + d * 4)
            }
        }
        return RGBAImage(width: a.width, height: a.height, pixels: pixels, isPremultiplied: false)
    }

    /// Compares `actual` with `Golden/<name>.png` beside the test file `testFile` (pass
    /// `#filePath`), or records it when `REEL_RECORD_GOLDEN=1`.
    public static func check(_ actual: RGBAImage, named name: String, maxChannel: Int = 24, minimumPSNR: Double = 38,
                             testFile: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let straight = actual.unpremultiplied()
        let folder = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
        let reference = folder.appendingPathComponent(name + ".png")
        if recording {
            try PNGCodec.encode(straight).write(to: reference)
            print("recorded golden image \(reference.path)")
            return
        }
        guard let data = try? Data(contentsOf: reference) else {
            let written = try writeFailure(name, actual: straight, expected: nil)
            Issue.record("no reference image \(name).png; record it with REEL_RECORD_GOLDEN=1 (actual: \(written))", sourceLocation: sourceLocation)
            return
        }
        let expected = try PNGCodec.decode(data)
        guard expected.width == straight.width, expected.height == straight.height else {
            Issue.record("\(name): size \(straight.width)×\(straight.height), reference \(expected.width)×\(expected.height)", sourceLocation: sourceLocation)
            return
        }
        let diff = compare(straight, expected)
        if diff.maxChannel > maxChannel || diff.psnr < minimumPSNR {
            let written = try writeFailure(name, actual: straight, expected: expected)
            Issue.record("""
            \(name) differs from its reference: max channel difference \(diff.maxChannel) (limit \(maxChannel)), \
            PSNR \(String(format: "%.1f", diff.psnr)) dB (limit \(minimumPSNR)), \(diff.differingPixels) pixels differ; see \(written)
            """, sourceLocation: sourceLocation)
        }
    }

    private static func writeFailure(_ name: String, actual: RGBAImage, expected: RGBAImage?) throws -> String {
        let folder = failures.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PNGCodec.encode(actual).write(to: folder.appendingPathComponent("actual.png"))
        if let expected {
            try PNGCodec.encode(differencePicture(actual, expected)).write(to: folder.appendingPathComponent("diff.png"))
        }
        return folder.path
    }
}
