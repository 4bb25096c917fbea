import Foundation
import Testing

/// The example scenes, for tests that check each.
let exampleScenes: [String] = {
    let folder = repositoryRoot.appendingPathComponent("Scenes")
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { "Scenes/" + $0 }
}()

@Suite("reel schema and reel info")
struct SchemaAndInfoTests {
    /// Validates every example scene (and two broken ones) against `reel schema` with
    /// Python's jsonschema, an independent implementation of JSON Schema 2020-12.
    @Test func everyExampleValidatesAgainstTheSchema() throws {
        let folder = try makeScratchFolder()
        let schema = folder.appendingPathComponent("reel.schema.json")
        let printed = try reel(["schema"])
        #expect(printed.status == 0)
        try Data(printed.stdout.utf8).write(to: schema)
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nlayers: [{ circle: { radius: 4 }, positon: [1, 2] }]\n".utf8).write(to: bad)
        let noKind = folder.appendingPathComponent("nokind.yaml")
        try Data("reel: 1\ncanvas: { size: [64, 64] }\nlayers: [{ fill: red }]\n".utf8).write(to: noKind)

        let script = """
        import json, sys, yaml, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            errors = list(validator.iter_errors(yaml.safe_load(open(path))))
            print(path, "valid" if not errors else "invalid: " + errors[0].message[:200])
        """
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, schema.path] + exampleScenes + [bad.path, noKind.path])
        #expect(result.status == 0, "python: \(result.stderr)")
        for scene in exampleScenes {
            #expect(result.stdout.contains("\(scene) valid"), "\(result.stdout)")
        }
        #expect(result.stdout.contains("bad.yaml invalid"), "the schema must reject unknown keys")
        #expect(result.stdout.contains("nokind.yaml invalid"), "the schema must reject layers without a kind")
    }

    @Test func validateAcceptsEveryExample() throws {
        let result = try reel(["validate"] + exampleScenes)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(exampleScenes.count >= 6)
    }

    @Test(arguments: exampleScenes)
    func infoDescribesEachExample(_ scene: String) throws {
        let json = try reel(["info", "--json", scene])
        #expect(json.status == 0, "stderr: \(json.stderr)")
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        for key in ["width", "height", "fps", "frames", "duration_seconds", "layers", "assets", "plugins"] {
            #expect(facts[key] != nil, "missing \(key)")
        }
        let frames = try #require(facts["frames"] as? Double), fps = try #require(facts["fps"] as? Double)
        let duration = try #require(facts["duration_seconds"] as? Double)
        #expect(abs(frames / fps - duration) < 1e-9)
        for asset in facts["assets"] as? [[String: Any]] ?? [] {
            #expect(asset["exists"] as? Bool == true, "\(scene): asset \(asset["path"] ?? "") is missing")
        }
        let text = try reel(["info", scene])
        #expect(text.status == 0)
        #expect(text.stdout.contains("canvas:") && text.stdout.contains("layers:"))
    }

    @Test func infoListsMissingAssetsWithoutFailing() throws {
        let result = try reel(["info", "--json", "Tests/ReelCLITests/Corpus/missing-asset.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"exists\": false"))
    }

    /// Together the examples use every layer kind and every easing (DESIGN: they are what
    /// people copy from).
    @Test func examplesCoverEveryKindAndEasing() throws {
        let text = try exampleScenes.map { try String(contentsOf: repositoryRoot.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        let kinds = ["rect", "circle", "ellipse", "polygon", "star", "line", "path", "text", "image", "video", "group"]
        for kind in kinds { #expect(text.contains("\(kind):"), "no example uses \(kind)") }
        for family in ["Sine", "Quad", "Cubic", "Quart", "Quint", "Expo", "Circ", "Back", "Elastic", "Bounce"] {
            for mode in ["in", "out", "inOut"] {
                #expect(text.contains(", \(mode)\(family)]"), "no example uses \(mode)\(family)")
            }
        }
        for form in ["hold]", "linear]", "\"cubicBezier(", "steps(", "\"spring("] { #expect(text.contains(form), "no example uses \(form)") }
        for property in ["skew:", "trim:", "blend:", "mask:", "in:", "out:", "anchor:", "dash:", "dashOffset:", "miterLimit:", "cap:", "join:",
                         "linear:", "radial:", "fillRule:", "letterSpacing:", "lineHeight:", "params:", "assets:", "seed:", "visible:", "camera:", "zoom:"] {
            #expect(text.contains(property), "no example uses \(property)")
        }
    }

    @Test func setOverridesAreTypeChecked() throws {
        let folder = try makeScratchFolder()
        let ok = try reel(["still", "Scenes/titles.yaml", "--set", "title=Hi there", "--set", "size=40", "-o", folder.path + "/t.png"])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        let wrongType = try reel(["validate", "Scenes/titles.yaml", "--set", "size=big"])
        #expect(wrongType.status == 1)
        #expect(wrongType.stderr.contains("error[E-SCENE-PARAM-TYPE]: --set size=big: expected a number"), "stderr: \(wrongType.stderr)")
        let outOfRange = try reel(["validate", "Scenes/titles.yaml", "--set", "size=5"])
        #expect(outOfRange.stderr.contains("below the minimum 12"))
        let unknown = try reel(["validate", "Scenes/titles.yaml", "--set", "titel=x"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("E-SCENE-UNKNOWN-PARAM") && unknown.stderr.contains("did you mean \"title\""), "stderr: \(unknown.stderr)")
        let malformed = try reel(["validate", "Scenes/titles.yaml", "--set", "novalue"])
        #expect(malformed.status != 0 && malformed.stderr.contains("name=value"))
    }
}
