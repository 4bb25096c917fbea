import Testing
@testable import ReelCore

@Suite("Parameters, templating and --set")
struct TemplatingTests {
    let text = """
    reel: 1
    canvas: { size: [64, 64] }
    params:
      title: "Hello"
      size: 20
      accent: { type: color, default: "#ff0000", doc: "the accent" }
      big: { type: number, default: 5, min: 0, max: 10 }
    layers:
      - id: t
        text: "{{title}}, world"
        font: { size: "{{size}}" }
        fill: "{{ accent }}"
      - rect: { size: "{{size}}" }
    """

    func textLayer(_ scene: Scene) -> (String, Double)? {
        guard case let .text(content) = scene.layers[0].content else { return nil }
        return (content.text.value(at: 0), content.font.size.value(at: 0))
    }

    @Test func defaultsAreSubstituted() throws {
        let scene = try SceneDecoder().decode(text)
        let (title, size) = try #require(textLayer(scene))
        #expect(title == "Hello, world")
        #expect(size == 20, "a whole-scalar reference to a number reads as a number")
        #expect(scene.layers[0].fill?.value(at: 0) == .solid(Color(red: 1, green: 0, blue: 0)))
        #expect(scene.parameters.map(\.name) == ["title", "size", "accent", "big"])
        #expect(scene.parameters[0].type == .string && scene.parameters[1].type == .number)
    }

    @Test func overridesReplaceDefaults() throws {
        let scene = try SceneDecoder(overrides: ["title": "Hi", "size": "30", "accent": "#00ff00"]).decode(text)
        let (title, size) = try #require(textLayer(scene))
        #expect(title == "Hi, world" && size == 30)
        #expect(scene.layers[0].fill?.value(at: 0) == .solid(Color(red: 0, green: 1, blue: 0)))
    }

    @Test(arguments: [("size", "large", "expected a number"), ("accent", "reddish", "expected a colour"),
                      ("big", "11", "above the maximum 10"), ("big", "-1", "below the minimum 0")])
    func overridesAreTypeChecked(name: String, value: String, message: String) throws {
        let error = #expect(throws: SceneError.self) { try SceneDecoder(overrides: [name: value]).decode(text) }
        #expect(error?.codes == [.parameterType])
        #expect(error?.diagnostics.first?.message.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func unknownOverridesAreCorrected() throws {
        let error = #expect(throws: SceneError.self) { try SceneDecoder(overrides: ["tilte": "x"]).decode(text) }
        #expect(error?.codes == [.unknownParameter])
        #expect(error?.diagnostics.first?.suggestion == "title")
    }

    @Test func unknownReferencesAreLocated() throws {
        let error = #expect(throws: SceneError.self) {
            try SceneDecoder().decode("reel: 1\ncanvas: { size: [8, 8] }\nparams: { title: x }\nlayers: [{ text: \"{{titel}}\" }]\n")
        }
        #expect(error?.codes == [.unknownParameter])
        #expect(error?.diagnostics.first?.location?.line == 4)
        #expect(error?.diagnostics.first?.suggestion == "title")
    }

    @Test func substitutedValuesAreStillValidated() throws {
        let error = #expect(throws: SceneError.self) { try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [8, 8] }
        params: { radius: "wide" }
        layers: [{ circle: { radius: "{{radius}}" } }]
        """) }
        #expect(error?.codes == [.typeMismatch])
    }
}
