import Foundation
import ReelCore
import Testing
@testable import ReelMedia

@Suite("Video encoder settings")
struct VideoEncoderTests {
    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("reel-enc-\(UUID().uuidString)-\(name)").path
    }

    @Test func extensionsPickTheirEncoders() {
        #expect(VideoSettings.forExtension("mp4").codec == "libx264")
        #expect(VideoSettings.forExtension("webm", alpha: true).pixelFormat == "yuva420p")
        #expect(VideoSettings.forExtension("GIF").pixelFormat == "pal8")
        #expect(VideoSettings.forExtension("apng", alpha: true).pixelFormat == "rgba")
        #expect(VideoSettings.forExtension("webp").options["quality"] == "90")
    }

    @Test func anOptionTheEncoderLacksIsAnErrorNamingIt() throws {
        let path = scratch("x.mp4")
        defer { unlink(path) }
        let error = #expect(throws: ReelError.self) {
            _ = try VideoEncoder(path: path, containerName: path, width: 64, height: 64, fps: 30,
                                 settings: VideoSettings(options: ["no-such-option": "1"]))
        }
        #expect(error?.code == .videoEncode && error?.message.contains("no-such-option") == true)
    }

    @Test func oddSizesAreRefusedOnlyFor420() throws {
        let odd = scratch("odd.mp4")
        defer { unlink(odd) }
        #expect(throws: ReelError.self) {
            _ = try VideoEncoder(path: odd, containerName: odd, width: 63, height: 64, fps: 30, settings: VideoSettings())
        }
        let apng = scratch("odd.apng")
        defer { unlink(apng) }
        let encoder = try VideoEncoder(path: apng, containerName: apng, width: 63, height: 31, fps: 30,
                                       settings: VideoSettings.forExtension("apng"))
        try encoder.append(rgba: RGBAImage(width: 63, height: 31, pixels: [UInt8](repeating: 200, count: 63 * 31 * 4), isPremultiplied: false))
        try encoder.finish()
        let probe = try MediaProbe(path: apng)
        #expect(probe.width == 63 && probe.height == 31 && probe.frames == 1)
    }

    @Test func nv12AndPlanarInputsEncodeTheSamePicture() throws {
        // libx264 takes the GPU's NV12 as is; libx265 has no NV12 and gets the pairs split.
        // Both must decode to the same flat colour.
        let (width, height) = (64, 32)
        let y = [UInt8](repeating: 120, count: width * height), uv = (0..<(width * height / 2)).map { $0 % 2 == 0 ? UInt8(90) : UInt8(170) }
        for codec in ["libx264", "libx265"] {
            let path = scratch("\(codec).mkv")
            defer { unlink(path) }
            let encoder = try VideoEncoder(path: path, containerName: path, width: width, height: height, fps: 30,
                                           settings: VideoSettings(codec: codec, crf: 10, preset: "ultrafast"))
            for _ in 0..<3 { try encoder.append(YUVFrame(width: width, height: height, y: y, uv: uv)) }
            try encoder.finish()
            let picture = try MediaDecoder(path: path).frame(at: 0)
            // Y 120, U 90, V 170 in BT.709 limited range is (196, 107, 41).
            let p = picture[32, 16]
            #expect(abs(Int(p.0) - 196) < 6 && abs(Int(p.1) - 107) < 6 && abs(Int(p.2) - 41) < 6, "\(codec): \(p)")
        }
    }
}
