import Foundation
import Testing

/// `reel still SHADER` and `reel render SHADER`: a shader file alone is a scene, run as a user
/// runs it, by the real `reel` process (the scene it builds is tested in ShadersTests).
@Suite("A shader file as the scene")
struct ShaderFileCommandTests {
    /// A Shadertoy generator fills the 1280×720 canvas; `--scale` sizes it.
    @Test func aGeneratorFillsTheCanvas() throws {
        let folder = try makeScratchFolder()
        let shader = folder.appendingPathComponent("orange.glsl")
        try "void mainImage(out vec4 c, in vec2 p) { c = vec4(1.0, 0.5, 0.0, 1.0); }\n".write(to: shader, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("orange.png")
        let still = try reel(["still", shader.path, "-o", output.path])
        #expect(still.status == 0, "\(still.stderr)")
        let png = try ProbedPNG(output, points: [(0, 0), (640, 360), (1279, 719)])
        #expect(png.width == 1280 && png.height == 720)
        for point in [(0, 0), (640, 360), (1279, 719)] {
            #expect(close(png[point.0, point.1], [255, 128, 0, 255]), "\(point): \(png[point.0, point.1])")
        }
        let small = try reel(["render", shader.path, "-o", folder.path + "/seq/####.png", "--frames", "0-1", "--scale", "0.25"])
        #expect(small.status == 0, "\(small.stderr)")
        let first = try ProbedPNG(URL(fileURLWithPath: folder.path + "/seq/0000.png"), points: [(10, 10)])
        #expect(first.width == 320 && first.height == 180)
    }

    /// An ISF filter is a pass over `--input`; `--set` sets its inputs; without a picture to
    /// filter it says so, naming the option.
    @Test func aFilterRunsOverItsInputAndTakesSet() throws {
        let folder = try makeScratchFolder()
        let picture = folder.appendingPathComponent("hello.png")
        #expect(try reel(["still", "Scenes/hello.yaml", "--at", "1s", "--scale", "2", "-o", picture.path]).status == 0)
        let shader = folder.appendingPathComponent("invert.fs")
        try """
        /*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "inputImage", "TYPE": "image" },
            { "NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0 } ] }*/
        void main() {
            vec4 c = IMG_THIS_PIXEL(inputImage);
            gl_FragColor = vec4(mix(c.rgb, 1.0 - c.rgb, amount), c.a);
        }

        """.write(to: shader, atomically: true, encoding: .utf8)
        let inverted = folder.appendingPathComponent("inverted.png"), plain = folder.appendingPathComponent("plain.png")
        let run = try reel(["still", shader.path, "--input", picture.path, "-o", inverted.path])
        #expect(run.status == 0, "\(run.stderr)")
        let set = try reel(["still", shader.path, "--input", picture.path, "--set", "amount=0", "-o", plain.path])
        #expect(set.status == 0, "\(set.stderr)")
        // hello.yaml's background is #101018 and its red square (at 160, 180, scaled 2×) #E94560.
        let a = try ProbedPNG(inverted, points: [(10, 10), (320, 360)]), b = try ProbedPNG(plain, points: [(10, 10), (320, 360)])
        #expect(close(a[10, 10], [0xEF, 0xEF, 0xE7, 255]), "inverted background: \(a[10, 10])")
        #expect(close(a[320, 360], [0x16, 0xBA, 0x9F, 255]), "inverted square: \(a[320, 360])")
        #expect(close(b[10, 10], [0x10, 0x10, 0x18, 255]), "amount=0 leaves the background: \(b[10, 10])")
        #expect(close(b[320, 360], [0xE9, 0x45, 0x60, 255]), "amount=0 leaves the square: \(b[320, 360])")

        // A value is a value: a colour keeps its '#', and text cannot add keys to the scene.
        try """
        /*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "tint", "TYPE": "color", "DEFAULT": [0, 0, 0, 1] },
            { "NAME": "at", "TYPE": "point2D", "DEFAULT": [0, 0] } ] }*/
        void main() { gl_FragColor = tint; }

        """.write(to: folder.appendingPathComponent("tint.fs"), atomically: true, encoding: .utf8)
        let tinted = folder.appendingPathComponent("tinted.png")
        let colour = try reel(["still", folder.path + "/tint.fs", "--set", "tint=#ff8800", "--set", "at=[0.5, 0.5]", "-o", tinted.path])
        #expect(colour.status == 0, "\(colour.stderr)")
        #expect(close(try ProbedPNG(tinted, points: [(5, 5)])[5, 5], [0xFF, 0x88, 0x00, 255]))
        let injected = try reel(["still", folder.path + "/tint.fs", "--set", "tint=1 }, layers: [ { text: x } ], z: {", "-o", folder.path + "/i.png"])
        #expect(injected.status != 0 && injected.stderr.contains("shader.tint: expected a colour") && injected.stderr.contains("found \"1 }, layers"),
                "the whole text is the value of tint: \(injected.stderr)")

        let alone = try reel(["still", shader.path, "-o", folder.path + "/none.png"])
        #expect(alone.status != 0 && alone.stderr.contains("--input"), "\(alone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/none.png"))
    }
}

/// Scene and shader files are opened as `AssetFile`s: a pipe or device is refused before a
/// byte is read (a blocking open would hang), and a file over the 16 MiB limit is refused from
/// its size, unread.
@Suite("Scene and shader files that are not ordinary files")
struct SceneFileKindTests {
    @Test func aPipeOrAnOversizedFileIsRefusedUnread() throws {
        let folder = try makeScratchFolder()
        for name in ["pipe.yaml", "pipe.fs"] {
            #expect(mkfifo(folder.appendingPathComponent(name).path, 0o600) == 0)
            let started = Date()
            let run = try reel(["still", folder.path + "/" + name, "-o", folder.path + "/x.png"])
            #expect(run.status == 1 && run.stderr.contains("is a FIFO (named pipe), not a regular file"), "\(name): \(run.stderr)")
            #expect(Date().timeIntervalSince(started) < 20, "\(name): refused at once, not after blocking")
        }
        // Sparse: 1 GiB that takes no disk and would take a gigabyte of memory to read.
        let big = folder.appendingPathComponent("big.yaml")
        #expect(FileManager.default.createFile(atPath: big.path, contents: Data("reel: 1\n".utf8)))
        #expect(truncate(big.path, 1 << 30) == 0)
        let run = try reel(["validate", big.path])
        #expect(run.status == 1 && run.stderr.contains("E-SCENE-LIMIT") && run.stderr.contains("the file is 1073741824 bytes"), "\(run.stderr)")
        let shader = folder.appendingPathComponent("big.fs")
        #expect(FileManager.default.createFile(atPath: shader.path, contents: Data()))
        #expect(truncate(shader.path, 1 << 30) == 0)
        let still = try reel(["still", shader.path, "-o", folder.path + "/y.png"])
        #expect(still.status == 1 && still.stderr.contains("E-SCENE-LIMIT") && still.stderr.contains("1073741824 bytes"), "\(still.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/x.png") && !FileManager.default.fileExists(atPath: folder.path + "/y.png"))
    }
}
