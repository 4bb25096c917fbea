import Foundation
import ReelCore
import ReelMedia
import Testing

@Suite("reel render")
struct RenderCommandTests {
    /// The hello scene's frames as `reel still` draws them, decoded from PNG.
    func stillFrame(_ frame: Int, in folder: URL) throws -> RGBAImage {
        let path = folder.appendingPathComponent("still-\(frame).png")
        let result = try reel(["still", "Scenes/hello.yaml", "--frame", "\(frame)", "-o", path.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try PNGCodec.decode(Data(contentsOf: path))
    }

    /// PSNR over RGB, or over BT.709 luma alone.
    func psnr(_ a: RGBAImage, _ b: RGBAImage, lumaOnly: Bool = false) -> Double {
        var squared = 0.0, count = 0
        for i in stride(from: 0, to: a.pixels.count, by: 4) {
            if lumaOnly {
                func luma(_ p: [UInt8]) -> Double { 0.2126 * Double(p[i]) + 0.7152 * Double(p[i + 1]) + 0.0722 * Double(p[i + 2]) }
                let d = luma(a.pixels) - luma(b.pixels)
                squared += d * d
                count += 1
                continue
            }
            for c in 0..<3 {
                let d = Double(a.pixels[i + c]) - Double(b.pixels[i + c])
                squared += d * d
                count += 1
            }
        }
        let mse = squared / Double(count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    @Test func rendersH264WithTheRightStreamAndPictures() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("hello.mp4")
        let result = try reel(["render", "Scenes/hello.yaml", "-o", output.path, "--crf", "18", "--progress", "none"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("rendered 60 frames at 640×360, 30 fps, in"), "the summary says the size and rate used: \(result.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["hello.mp4"], "no temporary file stays")

        let probe = try MediaProbe(path: output.path)
        #expect(probe.codec == "h264" && probe.width == 640 && probe.height == 360)
        #expect(probe.pixelFormat == "yuv420p" && probe.frameRate == 30 && probe.frames == 60)
        #expect(probe.colorPrimaries == "bt709" && probe.colorTransfer == "bt709" && probe.colorSpace == "bt709" && probe.colorRange == "tv")
        let expectedTimes = (0..<60).map { Double($0) / 30 }
        #expect(zip(probe.timestamps, expectedTimes).allSatisfy { abs($0 - $1) < 1e-6 }, "continuous timestamps from 0")
        let bytes = try Data(contentsOf: output)
        let moov = bytes.range(of: Data("moov".utf8))?.lowerBound ?? .max, mdat = bytes.range(of: Data("mdat".utf8))?.lowerBound ?? 0
        #expect(moov < mdat, "fast start: the index comes first")

        // Decoded frames match what the renderer drew: luma within 40 dB. Full-colour PSNR is
        // bounded by 4:2:0 itself at this scene's saturated edges (39.4 dB even losslessly, as
        // FFmpeg's own psnr filter measures), so RGB gets a 37 dB floor: a wrong matrix, range
        // or orientation lands far below either.
        let decoder = try MediaDecoder(path: output.path)
        for frame in [0, 29, 59] {
            let decoded = try decoder.frame(at: Double(frame) / 30)
            let drawn = try stillFrame(frame, in: folder)
            let luma = psnr(decoded, drawn, lumaOnly: true), full = psnr(decoded, drawn)
            #expect(luma >= 40, "frame \(frame): luma PSNR \(String(format: "%.1f", luma)) dB")
            #expect(full >= 37, "frame \(frame): RGB PSNR \(String(format: "%.1f", full)) dB")
        }
    }

    /// Particles (closed form) under a persistent-buffer ISF pass (a declared warm-up
    /// window): a range that starts late renders the same bytes as the full render.
    @Test func aStatefulSceneRendersAnyFrameRangeLikeTheFullRender() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try reel(["render", "Scenes/fireworks.yaml", "--frames", "0-89", "--scale", "0.5", "-o", folder.path + "/full/####.png",
                             "--progress", "none"])
        #expect(full.status == 0, "\(full.stderr)")
        let part = try reel(["render", "Scenes/fireworks.yaml", "--frames", "75-89", "--scale", "0.5", "-o", folder.path + "/part/####.png",
                             "--progress", "json"])
        #expect(part.status == 0, "\(part.stderr)")
        #expect(part.stderr.contains("{\"warm_up_first\":15,\"warm_up_last\":74}"), "the 60-frame window is announced: \(part.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/part").sorted()
        #expect(names == (75...89).map { String(format: "%04d.png", $0) })
        for name in names {
            let a = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/part/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/full/" + name))
            #expect(a == b, "\(name) differs between the range 75-89 and the full render")
        }
        // Without its warm-up the trail would be missing: frame 75 drawn alone has history.
        let first = try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/part/0075.png")))
        let lit = stride(from: 0, to: first.pixels.count, by: 4).filter { first.pixels[$0] > 40 }.count
        #expect(lit > 500, "the trails are drawn (\(lit) bright pixels)")
    }

    @Test func aFrameRangeOfPNGsEqualsTheSameFramesOfAFullRender() throws {
        let folder = try makeScratchFolder()
        let full = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/full/####.png", "--progress", "none"])
        #expect(full.status == 0, "\(full.stderr)")
        let part = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/part/%04d.png", "--frames", "40-45"])
        #expect(part.status == 0, "\(part.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/part").sorted()
        #expect(names == (40...45).map { String(format: "%04d.png", $0) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/full").count == 60)
        for name in names {
            let a = try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/part/" + name)))
            let b = try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/full/" + name)))
            #expect(a == b, "\(name) differs between the range and the full render")
        }
        // Opaque frames are written as RGB (colour type 2), and hold exactly what the renderer
        // drew: the same pixels as a still of that frame.
        let sequenceFrame = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/part/0042.png"))
        #expect(sequenceFrame[25] == 2)
        let still = try reel(["still", "Scenes/hello.yaml", "--frame", "42", "-o", folder.path + "/still.png"])
        #expect(still.status == 0, "\(still.stderr)")
        #expect(try PNGCodec.decode(sequenceFrame) == PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/still.png"))))
    }

    @Test func scaleFpsAndQualityPresetsChangeSizeAndRateNotLength() throws {
        let folder = try makeScratchFolder()
        // hello is 640×360, 30 fps, 2 s.
        let half = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/half.mp4", "--scale", "0.5", "--fps", "12", "--progress", "none"])
        #expect(half.status == 0, "\(half.stderr)")
        let probe = try MediaProbe(path: folder.path + "/half.mp4")
        #expect(probe.width == 320 && probe.height == 180 && probe.frames == 24 && abs(probe.frameRate - 12) < 1e-6)
        #expect(abs((probe.timestamps.last ?? 0) - 23.0 / 12) < 1e-3, "frame n at n / fps")
        // Odd sizes round to even for video; PNGs keep the exact size.
        let odd = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/odd.mp4", "--scale", "0.3", "--frames", "0-1"])
        #expect(odd.status == 0, "\(odd.stderr)")
        let oddProbe = try MediaProbe(path: folder.path + "/odd.mp4")
        #expect(oddProbe.width == 192 && oddProbe.height == 108)
        let png = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/p/####.png", "--scale", "0.25", "--frames", "5"])
        #expect(png.status == 0, "\(png.stderr)")
        let small = try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/p/0005.png")))
        #expect(small.width == 160 && small.height == 90)
        // The scaled frame is the full frame made smaller: compare with a full still, shrunk.
        let still = try reel(["still", "Scenes/hello.yaml", "--frame", "5", "-o", folder.path + "/full.png"])
        #expect(still.status == 0)
        let full = try PNGCodec.decode(Data(contentsOf: URL(fileURLWithPath: folder.path + "/full.png")))
        for (x, y) in [(40, 45), (80, 45), (150, 80), (10, 10)] {
            let a = small[x, y], b = full[x * 4 + 2, y * 4 + 2]
            let close = abs(Int(a.0) - Int(b.0)) < 40 && abs(Int(a.1) - Int(b.1)) < 40 && abs(Int(a.2) - Int(b.2)) < 40
            #expect(close, "(\(x), \(y)): \(a) vs full-size \(b)")
        }
        // --frames names the scene's frames (30 fps): the first 20 are 10 at draft's 15 fps.
        let draft = try reel(["render", "Scenes/showcase.yaml", "-o", folder.path + "/draft.mp4", "--quality", "draft", "--frames", "0-19"])
        #expect(draft.status == 0, "\(draft.stderr)")
        let draftProbe = try MediaProbe(path: folder.path + "/draft.mp4")
        #expect(draftProbe.height == 480 && draftProbe.width == 854 && abs(draftProbe.frameRate - 15) < 1e-6 && draftProbe.frames == 10)
        #expect(draft.stdout.hasPrefix("rendered 10 frames (scene frames 0-19 at 30 fps) at 854×480, 15 fps,"), "\(draft.stdout)")
        // Times select the same stretch whatever the rate.
        let byTime = try reel(["render", "Scenes/showcase.yaml", "-o", folder.path + "/t.mp4", "--fps", "10", "--frames", "1s-2s", "--scale", "0.25"])
        #expect(byTime.status == 0, "\(byTime.stderr)")
        #expect(try MediaProbe(path: folder.path + "/t.mp4").frames == 10)
        let bad = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/x.mp4", "--scale", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--scale"))
    }

    @Test func anExistingOutputIsKeptUnlessOverwriteIsGiven() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("out.mp4")
        try Data("keep me".utf8).write(to: output)
        let refused = try reel(["render", "Scenes/hello.yaml", "-o", output.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error[E-IO-EXISTS]:") && refused.stderr.contains("--overwrite"))
        #expect(try Data(contentsOf: output) == Data("keep me".utf8))
        // A render that fails midway leaves the existing file alone even with --overwrite.
        let scene = folder.appendingPathComponent("bad.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64], duration: 1s }\nassets: { clip: broken.mp4 }\nlayers: [{ id: screen, video: clip }]\n".utf8).write(to: scene)
        try Data("junk".utf8).write(to: folder.appendingPathComponent("broken.mp4"))
        let failed = try reel(["render", scene.path, "-o", output.path, "--overwrite"])
        #expect(failed.status == 1 && failed.stderr.contains("E-MEDIA-VIDEO"), "\(failed.stderr)")
        #expect(try Data(contentsOf: output) == Data("keep me".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["bad.yaml", "broken.mp4", "out.mp4"])
    }

    @Test func badOutputNamesAndRangesAreExplained() throws {
        let single = try reel(["render", "Scenes/hello.yaml", "-o", "/tmp/one.png"])
        #expect(single.status == 1 && single.stderr.contains("frames/####.png"))
        let range = try reel(["render", "Scenes/hello.yaml", "-o", "/tmp/x.mp4", "--frames", "50-70"])
        #expect(range.status == 1 && range.stderr.contains("past the last frame, 59"), "\(range.stderr)")
        let odd = try makeScratchFolder().appendingPathComponent("odd.yaml")
        try Data("reel: 1\ncanvas: { size: [65, 64], duration: 2f }\n".utf8).write(to: odd)
        let oddSize = try reel(["render", odd.path, "-o", odd.deletingLastPathComponent().path + "/odd.mp4"])
        #expect(oddSize.status == 1 && oddSize.stderr.contains("even width and height"), "\(oddSize.stderr)")
    }

    @Test func progressAsJSONLines() throws {
        let folder = try makeScratchFolder()
        let result = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/p.mp4", "--progress", "json"])
        #expect(result.status == 0)
        // Every line on stdout is JSON: progress, then one "finished" object instead of the human summary.
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count >= 2 && lines.allSatisfy { $0.hasPrefix("{") }, "\(result.stdout)")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let progress = try #require(objects.dropLast().last)
        #expect(progress["frames_done"] as? Int == 60 && progress["frames_total"] as? Int == 60)
        let finished = try #require(objects.last)
        #expect(finished["event"] as? String == "finished" && finished["frames"] as? Int == 60)
        #expect(finished["width"] as? Int == 640 && finished["height"] as? Int == 360 && finished["fps"] as? Double == 30)
    }

    /// Ctrl-C: a real `reel render` gets SIGINT part-way; it exits 130 and leaves nothing.
    @Test(arguments: ["long.mp4", "frames/####.png"])
    func interruptingLeavesNothingBehind(output: String) throws {
        let folder = try makeScratchFolder()
        let scene = folder.appendingPathComponent("long.yaml")
        try Data("""
        reel: 1
        canvas: { size: [1280, 720], fps: 30, duration: 60s, samples: 4 }
        layers:
          - { circle: { radius: 200 }, position: { keys: [[0s, [200, 360]], [60s, [1080, 360]]] }, fill: { radial: { radius: 200, stops: [[0, white], [1, "#e94560"]] } } }
        """.utf8).write(to: scene)
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let process = Process()
        process.executableURL = runner.deletingLastPathComponent().appendingPathComponent("reel")
        process.arguments = ["render", scene.path, "-o", folder.path + "/" + output, "--progress", "none"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Let it get going: wait until the first output appears (or give up after 20 s).
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let entries = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []
            if entries.contains(where: { $0.contains("partial") || $0.hasSuffix(".png") }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning, "the render should still be running when interrupted")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let left = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0 != "long.yaml" && $0 != "frames" }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}

@Suite("reel render with alpha")
struct AlphaRenderTests {
    /// The hello scene rendered --transparent: the background must decode clear, shapes opaque.
    @Test(arguments: [("a.mov", ["--codec", "prores_ks"], "prores", "yuva444p12le"), ("a.webm", [], "vp9", "yuv420p")])
    func alphaSurvives(file: String, flags: [String], codec: String, pixelFormat: String) throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent(file)
        let result = try reel(["render", "Scenes/hello.yaml", "-o", output.path, "--transparent", "--frames", "0-9", "--progress", "none"] + flags)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let probe = try MediaProbe(path: output.path)
        #expect(probe.codec == codec && probe.pixelFormat == pixelFormat && probe.frames == 10)
        let frame = try MediaDecoder(path: output.path).frame(at: 0)
        #expect(frame[5, 5].3 == 0, "the background is transparent: \(frame[5, 5])")
        let (r, g, b, a) = frame[160, 180]  // the red square
        #expect(a == 255 && abs(Int(r) - 0xE9) <= 6 && abs(Int(g) - 0x45) <= 6 && abs(Int(b) - 0x60) <= 6, "\(frame[160, 180])")
    }

    @Test func transparentPNGsKeepAlpha() throws {
        let folder = try makeScratchFolder()
        let result = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/f/####.png", "--transparent", "--frames", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/f/0003.png"))
        #expect(data[25] == 6, "colour type 6: RGBA")
        let image = try PNGCodec.decode(data)
        #expect(image[5, 5].3 == 0 && image[160, 180] == (0xE9, 0x45, 0x60, 255))
    }

    @Test func codecsWithoutAlphaAreRefused() throws {
        let result = try reel(["render", "Scenes/hello.yaml", "-o", "/tmp/never.mp4", "--transparent"])
        #expect(result.status == 1 && result.stderr.contains("libx264 cannot carry alpha"), "\(result.stderr)")
    }
}
