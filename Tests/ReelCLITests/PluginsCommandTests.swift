import Foundation
import Testing

@Suite("reel plugins")
struct PluginsCommandTests {
    @Test func listsDescribesAndExplainsUnknownNames() throws {
        let list = try reel(["plugins"])
        #expect(list.status == 0 && list.stdout.contains("motion ") && list.stdout.contains("motion.orbit"))

        let describe = try reel(["plugins", "describe", "orbit"])
        #expect(describe.status == 0, "\(describe.stderr)")
        for parameter in ["radius", "speed", "phase", "orient"] { #expect(describe.stdout.contains(parameter)) }
        #expect(describe.stdout.contains("animate: [{ orbit: {"))

        let unknown = try reel(["plugins", "describe", "orbt"])
        #expect(unknown.status == 1 && unknown.stderr.contains("E-CLI-ARGUMENT") && unknown.stderr.contains("did you mean \"orbit\""))

        let json = try reel(["plugins", "--json"])
        #expect(json.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let motion = try #require(parsed?.first { $0["name"] as? String == "motion" })
        let contributions = try #require(motion["contributions"] as? [[String: Any]])
        #expect(contributions.contains { $0["name"] as? String == "motion.orbit" && ($0["parameters"] as? [Any])?.count == 4 })
    }

    @Test func theExampleItPrintsIsAValidSceneForEveryAnimationPass() throws {
        let json = try reel(["plugins", "--json"])
        let plugins = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let names = plugins.flatMap { ($0["contributions"] as? [[String: Any]]) ?? [] }
            .filter { $0["kind"] as? String == "animation" }.compactMap { $0["name"] as? String }
        #expect(names.contains("motion.orbit") && names.contains("motion.particles"), "\(names)")
        let folder = try makeScratchFolder()
        for name in names {
            let describe = try reel(["plugins", "describe", name])
            let example = try #require(describe.stdout.split(separator: "\n").first { $0.contains("animate:") }, "\(name)")
            let scene = folder.appendingPathComponent("\(name).yaml")
            try Data("""
            reel: 1
            canvas: { size: [320, 180], fps: 30, duration: 1s }
            layers:
              - id: dot
                circle: { radius: 10 }
                position: [160, 90]
                \(example.trimmingCharacters(in: .whitespaces))
            """.utf8).write(to: scene)
            let validate = try reel(["validate", scene.path])
            #expect(validate.status == 0, "\(name): \(validate.stdout)\(validate.stderr)")
        }
    }
}
