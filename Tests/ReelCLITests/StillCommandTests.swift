import Foundation
import Testing

@Suite("reel still")
struct StillCommandTests {
    @Test func rendersHelloToACorrectPNG() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("hello.png")
        let result = try reel(["still", "Scenes/hello.yaml", "--at", "1s", "-o", output.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("wrote \(output.path)"))

        // Points chosen from Scenes/hello.yaml at t = 1 s.
        let png = try ProbedPNG(output, points: [(5, 5), (160, 180), (400, 180), (480, 70), (480, 100), (100, 330), (320, 60)])
        #expect(png.width == 640 && png.height == 360)
        #expect(close(png[5, 5], [0x10, 0x10, 0x18, 255]), "background, top-left: \(png[5, 5])")
        #expect(close(png[160, 180], [0xE9, 0x45, 0x60, 255]), "red square: \(png[160, 180])")
        #expect(close(png[400, 180], [0xF5, 0xC5, 0x18, 255]), "ball halfway along its inOutSine path: \(png[400, 180])")
        #expect(close(png[480, 70], [0x4E, 0xCC, 0xA3, 255]), "the ring's stroke, near the top: \(png[480, 70])")
        #expect(close(png[480, 100], [0x1F, 0x24, 0x40, 255]), "the ring is hollow: \(png[480, 100])")
        #expect(close(png[100, 330], [0x10, 0x10, 0x18, 255]), "below the panel is background: \(png[100, 330])")
        #expect(close(png[320, 60], [0x3A, 0x43, 0x78, 255]), "the panel's top stroke: \(png[320, 60])")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["hello.png"])
    }

    @Test func framesAreChosenByTimeOrNumber() throws {
        let folder = try makeScratchFolder()
        let byTime = folder.appendingPathComponent("t.png"), byFrame = folder.appendingPathComponent("f.png")
        #expect(try reel(["still", "Scenes/hello.yaml", "--at", "2s", "-o", byTime.path]).status == 0)
        #expect(try reel(["still", "Scenes/hello.yaml", "--frame", "59", "-o", byFrame.path]).status == 0)
        #expect(try Data(contentsOf: byTime) == Data(contentsOf: byFrame), "2 s, the scene's end, shows its last frame, 59")
        // A frame number past the last is a mistake, not the end: it is refused, naming the last.
        let past = try reel(["still", "Scenes/hello.yaml", "--frame", "60", "-o", folder.path + "/p.png"])
        #expect(past.status == 1 && past.stderr.hasPrefix("error[E-CLI-ARGUMENT]: frame 60 is not in the scene, whose frames are 0-59"), "\(past.stderr)")
        let negative = try reel(["still", "Scenes/hello.yaml", "--frame", "-1", "-o", folder.path + "/n.png"])
        #expect(negative.status == 64 && negative.stderr.hasPrefix("error[E-CLI-ARGUMENT]: --frame -1: frames are numbered from 0"), "\(negative.stderr)")
        // At the end of its path the ball sits at x = 480.
        #expect(close(try ProbedPNG(byTime, points: [(480, 180)])[480, 180], [0xF5, 0xC5, 0x18, 255]))
    }

    @Test func aMissingSceneIsOneClearLine() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("x.png")
        let result = try reel(["still", "Scenes/no-such-scene.yaml", "-o", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-IO-READ]: cannot read scene 'Scenes/no-such-scene.yaml': no such file"))
        #expect(!result.stderr.contains("Backtrace"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func missingOutputFoldersAreMadeAndRemovedAgainOnFailure() throws {
        let folder = try makeScratchFolder()
        // Every output kind makes the folders it needs, as a PNG sequence always did.
        let still = try reel(["still", "Scenes/hello.yaml", "-o", folder.path + "/a/b/x.png"])
        #expect(still.status == 0, "\(still.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/a/b/x.png"))
        let video = try reel(["render", "Scenes/hello.yaml", "-o", folder.path + "/v/w/x.mp4", "--frames", "0-1"])
        #expect(video.status == 0, "\(video.stderr)")
        // A render that fails leaves no folder behind: frame 99 is not in the scene.
        let failed = try reel(["still", "Scenes/hello.yaml", "--frame", "59", "--set", "nope=1", "-o", folder.path + "/c/d/x.png"])
        #expect(failed.status == 1)
        let late = try reel(["still", "Scenes/hello.yaml", "--at", "1s", "-o", folder.path + "/e/f/x.png"],
                            environment: ["REEL_GL_FAULT": "reject-shader:reel.shapes"])
        #expect(late.status == 1 && late.stderr.contains("E-GL-SHADER"), "\(late.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a", "v"])
        // A file where a folder should be is still an error.
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder.path + "/file"))
        let blocked = try reel(["still", "Scenes/hello.yaml", "-o", folder.path + "/file/x.png"])
        #expect(blocked.status == 1 && blocked.stderr.hasPrefix("error[E-IO-WRITE]"), "\(blocked.stderr)")
    }

    @Test func anUnwritableOutputFolderLeavesNoStrayFile() throws {
        // /proc refuses new files even to root.
        let result = try reel(["still", "Scenes/hello.yaml", "-o", "/proc/reel-still.png"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-IO-WRITE]:"), "stderr: \(result.stderr)")
        let debris = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.contains("reel-still") }
        #expect(debris.isEmpty)
    }

    @Test func aFailedRenderLeavesAnExistingOutputUntouched() throws {
        let folder = try makeScratchFolder()
        let output = folder.appendingPathComponent("keep.png")
        try Data("precious".utf8).write(to: output)
        let scene = folder.appendingPathComponent("bad.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nlayers:\n  - rectangle: { size: 4 }\n".utf8).write(to: scene)
        let result = try reel(["still", scene.path, "-o", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.yaml:4:5: layers[0]: unknown key 'rectangle'"), "stderr: \(result.stderr)")
        #expect(try Data(contentsOf: output) == Data("precious".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["bad.yaml", "keep.png"])
    }

    @Test func anUndecodableImageNamesTheLayerAndTheAsset() throws {
        let folder = try makeScratchFolder()
        let scene = folder.appendingPathComponent("img.yaml")
        try Data("not a picture".utf8).write(to: folder.appendingPathComponent("broken.jpg"))
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nassets: { pic: broken.jpg }\nlayers: [{ id: poster, image: pic }]\n".utf8).write(to: scene)
        let output = folder.appendingPathComponent("x.png")
        let result = try reel(["still", scene.path, "-o", output.path])
        #expect(result.status == 1)
        // Refused before drawing, at the asset's line, naming the layer that shows it.
        #expect(result.stderr.hasPrefix("error[E-MEDIA-IMAGE]: \(scene.path):3:"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("layer 'poster': image asset 'pic' (broken.jpg): 'broken.jpg' is text, not a picture or video"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func anUndecodableVideoNamesTheLayerAndTheAsset() throws {
        let folder = try makeScratchFolder()
        try Data("not a video".utf8).write(to: folder.appendingPathComponent("broken.mp4"))
        let scene = folder.appendingPathComponent("v.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nassets: { clip: broken.mp4 }\nlayers: [{ id: screen, video: clip }]\n".utf8).write(to: scene)
        let result = try reel(["still", scene.path, "-o", folder.appendingPathComponent("x.png").path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-MEDIA-VIDEO]: \(scene.path):3:"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("layer 'screen': video asset 'clip' (broken.mp4): 'broken.mp4' is text, not a picture or video"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.png").path))
    }

    @Test func aTimePastTheEndIsExplained() throws {
        let result = try reel(["still", "Scenes/hello.yaml", "--at", "5s", "-o", "/tmp/never.png"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-CLI-ARGUMENT]: 5s is past the end of the scene"))
    }

    @Test func badFlagsAreUsageErrors() throws {
        let result = try reel(["still", "Scenes/hello.yaml", "--at", "soon", "-o", "/tmp/x.png"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--at soon is not a time"))
    }

    @Test func everyExampleSceneRenders() throws {
        let folder = try makeScratchFolder()
        let scenes = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Scenes").path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
        #expect(!scenes.isEmpty)
        for scene in scenes {
            // The start, a moment in the middle and the last frame.
            for time in ["0s", "1.25s", "2s"] {
                let output = folder.appendingPathComponent("\(scene)-\(time).png")
                let result = try reel(["still", "Scenes/" + scene, "--at", time, "-o", output.path])
                #expect(result.status == 0, "\(scene) at \(time): \(result.stderr)")
                #expect(!result.stderr.contains("E-GL"), "\(scene) at \(time): \(result.stderr)")
                #expect(!result.stderr.contains("not drawn"), "\(scene) at \(time): \(result.stderr)")
                #expect(FileManager.default.fileExists(atPath: output.path), "\(scene) produced no PNG at \(time)")
            }
        }
    }
}
