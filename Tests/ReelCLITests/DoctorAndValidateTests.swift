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
}
