import Foundation
import Testing

@Suite("reel doctor and reel validate")
struct DoctorAndValidateTests {
    @Test func doctorReportsTheRenderer() throws {
        let result = try reel(["doctor"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("GL_RENDERER:"))
        #expect(result.stdout.contains("client extensions:"))
        if result.stdout.contains("llvmpipe") {
            #expect(result.stdout.contains("rasterizer:   software (CPU)"))
        }
    }

    @Test func doctorJSONIsMachineReadable() throws {
        let result = try reel(["doctor", "--json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let gl = try #require(json["gl"] as? [String: Any])
        #expect((gl["renderer"] as? String)?.isEmpty == false)
        #expect(gl["isSoftware"] is Bool)
        #expect(json["egl"] is [String: Any])
    }

    @Test func doctorFailsWhenNoContextCanBeMade() throws {
        let result = try reel(["doctor"], environment: ["REEL_EGL_DEVICE": "99"])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("GL context: none could be made"))
        #expect(result.stdout.contains("REEL_EGL_DEVICE=99"))
    }

    @Test func validateAcceptsTheExamples() throws {
        let result = try reel(["validate", "Scenes/hello.yaml", "Scenes/showcase.yaml"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Scenes/hello.yaml: ok (640×360"))
    }

    @Test func validateListsEveryProblem() throws {
        let folder = try makeScratchFolder()
        let scene = folder.appendingPathComponent("two.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64], fsp: 30 }\nlayers:\n  - circle: { radius: 4 }\n    fill: \"#nothex\"\n".utf8).write(to: scene)
        let result = try reel(["validate", scene.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has 2 problems"))
        #expect(result.stderr.contains("two.yaml:2:27: canvas: unknown key 'fsp' (did you mean \"fps\"?)"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("two.yaml:5:11: layers[0].fill: expected a colour"))
    }

    /// `reel validate` as a full pre-flight: what used to pass it and fail the render.
    @Test func validateCompilesShaderFilesAtTheirOwnLine() throws {
        let folder = try makeScratchFolder()
        let shader = repositoryRoot.appendingPathComponent("Tests/ReelCLITests/Support/does-not-compile.fs").path
        let scene = folder.appendingPathComponent("glow.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nshaders: { glow: \(shader) }\nlayers:\n  - shader: { name: glow }\n".utf8).write(to: scene)
        let result = try reel(["validate", scene.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error[E-GL-SHADER]: \(shader):3:1: shaders.glow: shader 'glow' does not compile"), "\(result.stderr)")
        #expect(result.stderr.contains("undeclaredBrightness"), "the driver's own words: \(result.stderr)")
        // The same scene fails the render the same way: validate did not cry wolf.
        let render = try reel(["still", scene.path, "-o", folder.path + "/x.png"])
        #expect(render.status == 1 && render.stderr.contains("E-GL-SHADER"), "\(render.stderr)")
    }

    @Test func validateWarnsOfAnOddCanvasForVideo() throws {
        let folder = try makeScratchFolder()
        let scene = folder.appendingPathComponent("odd.yaml")
        try Data("reel: 1\ncanvas: { size: [641, 360], duration: 2f }\nlayers: []\n".utf8).write(to: scene)
        let result = try reel(["validate", scene.path])
        #expect(result.status == 0, "a warning, not an error: PNG output is fine")
        #expect(result.stderr.contains("warning: \(scene.path):2:17: canvas.size: the canvas's width 641 is odd"), "\(result.stderr)")
        let json = try reel(["validate", "--json", scene.path])
        #expect(json.stdout.contains("\"warnings\""), "\(json.stdout)")
        // And the video render refuses it with the same fix.
        let video = try reel(["render", scene.path, "-o", folder.path + "/odd.mp4"])
        #expect(video.status == 1 && video.stderr.contains("even"), "\(video.stderr)")
    }

    @Test func validateTakesFoldersLikeAShellGlobGivesThem() throws {
        // `reel validate Scenes/*` hands it Scenes/bench, Scenes/looks and Scenes/shaders too.
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("reel").path
        let real = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" validate Scenes/*", binary])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("Scenes/bench/orbits.yaml: ok"), "\(real.stdout)")
        #expect(real.stderr.contains("note: Scenes/looks holds no scene files"), "\(real.stderr)")
    }
}
