import Foundation
import ReelCore
import ReelMedia
import Testing

/// .gif, .apng and .webp: each decoded by something other than Reel's writer and compared
/// with what the renderer drew (`reel still`).
@Suite("reel render to animated images")
struct AnimatedImageTests {
    let helper = RenderCommandTests()

    /// Frame `k` of a clip written at `fps`: decoded at the middle of its display time, since
    /// GIF delays are whole hundredths of a second.
    func decoded(_ path: String, frame: Int, fps: Double = 30) throws -> RGBAImage {
        try MediaDecoder(path: path).frame(at: (Double(frame) + 0.5) / fps)
    }

    @Test func apngIsLosslessWithAndWithoutAlpha() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("hello.apng").path
        let result = try reel(["render", "Scenes/hello.yaml", "-o", output, "--progress", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let probe = try MediaProbe(path: output)
        #expect(probe.codec == "apng" && probe.width == 640 && probe.height == 360 && probe.frames == 60 && probe.pixelFormat == "rgb24")
        for frame in [0, 31, 59] {
            let drawn = try helper.stillFrame(frame, in: folder)
            #expect(try decoded(output, frame: frame) == drawn, "frame \(frame) decodes to exactly what was drawn")
        }
        let clear = folder.appendingPathComponent("clear.apng").path
        let transparent = try reel(["render", "Scenes/hello.yaml", "-o", clear, "--transparent", "--frames", "0-4"])
        #expect(transparent.status == 0, "\(transparent.stderr)")
        #expect(try MediaProbe(path: clear).pixelFormat == "rgba")
        let image = try decoded(clear, frame: 3)
        #expect(image[5, 5].3 == 0 && image[160, 180] == (0xE9, 0x45, 0x60, 255))
    }

    @Test func gifUsesOnePaletteForTheClipAndStaysClose() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("hello.gif").path
        let result = try reel(["render", "Scenes/hello.yaml", "-o", output, "--progress", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let probe = try MediaProbe(path: output)
        #expect(probe.codec == "gif" && probe.width == 640 && probe.height == 360 && probe.frames == 60)
        #expect(abs((probe.timestamps.last ?? 0) - 59.0 / 30) < 0.011, "delays add up to the clip's length")
        // One global colour table: the header's flag is set, and no frame carries its own.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(bytes[10] & 0x80 != 0, "global colour table present")
        for frame in [0, 30, 59] {
            let drawn = try helper.stillFrame(frame, in: folder)
            let quality = helper.psnr(try decoded(output, frame: frame), drawn)
            #expect(quality >= 30, "frame \(frame): \(String(format: "%.1f", quality)) dB after dithering to 256 colours")
        }
        let clear = folder.appendingPathComponent("clear.gif").path
        #expect(try reel(["render", "Scenes/hello.yaml", "-o", clear, "--transparent", "--frames", "0-4"]).status == 0)
        let image = try decoded(clear, frame: 2)
        #expect(image[5, 5].3 == 0, "the background is the transparent entry")
        #expect(image[160, 180].3 == 255)
    }

    static let pillowReadsAnimatedWebP: Bool = {
        let check = try? run(URL(fileURLWithPath: "/usr/bin/env"),
                             ["python3", "-c", "import PIL.features; assert PIL.features.check('webp')"])
        return check?.status == 0
    }()

    @Test(.enabled(if: pillowReadsAnimatedWebP, "skipped: needs Python's Pillow with animated WebP to decode .webp (scripts/bootstrap installs it)"))
    func webpDecodesWithLibwebpThroughPillow() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("hello.webp").path
        let result = try reel(["render", "Scenes/hello.yaml", "-o", output, "--frames", "0-9", "--progress", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let dump = folder.appendingPathComponent("frame5.png").path
        let script = """
        import sys
        from PIL import Image
        im = Image.open(sys.argv[1])
        print(im.format, im.n_frames, im.size[0], im.size[1])
        im.seek(5)
        im.convert("RGBA").save(sys.argv[2])
        """
        let decode = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, output, dump])
        #expect(decode.status == 0, "\(decode.stderr)")
        #expect(decode.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "WEBP 10 640 360")
        let quality = helper.psnr(try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: dump))), try helper.stillFrame(5, in: folder))
        #expect(quality >= 30, "frame 5: \(String(format: "%.1f", quality)) dB at quality 90")
    }
}
