import Testing
@testable import ReelCore

@Suite("Plugin uses in scenes")
struct PluginUseTests {
    static let catalog = PluginCatalog([
        ContributionDescriptor(plugin: "postfx", name: "vignette", kind: .pass, summary: "Darkens the corners", parameters: [
            ParameterSpec(name: "strength", type: .number, defaultValue: "0.3", minimum: 0, maximum: 1, doc: "How dark"),
            ParameterSpec(name: "tint", type: .color, defaultValue: "#000000", doc: "Corner colour"),
        ]),
        ContributionDescriptor(plugin: "postfx", name: "glow", kind: .pass, summary: "", parameters: []),
        ContributionDescriptor(plugin: "other", name: "glow", kind: .pass, summary: "", parameters: []),
        ContributionDescriptor(plugin: "motion", name: "wiggle", kind: .animation, summary: "", parameters: [
            ParameterSpec(name: "amplitude", type: .number, defaultValue: "8", doc: "Pixels"),
        ]),
    ])

    func decode(_ body: String) throws(SceneError) -> Scene {
        try SceneDecoder(catalog: Self.catalog).decode("reel: 1\ncanvas: { size: [8, 8], fps: 10 }\n" + body)
    }

    @Test func bareAndQualifiedNamesResolveWithDefaults() throws {
        let scene = try decode("passes: [{ vignette: { strength: { keys: [[0s, 0], [1s, 1]] } } }, postfx.glow]\n")
        #expect(scene.passes.map(\.name) == ["postfx.vignette", "postfx.glow"])
        let state = Timeline.evaluate(scene, frame: 5)
        #expect(state.passes[0].parameters["strength"] == .number(0.5), "keyframed parameters evaluate per frame")
        #expect(state.passes[0].parameters["tint"] == .color(.black), "defaults fill in")
    }

    @Test func ambiguousBareNamesAskForTheQualifiedOne() throws {
        let error = #expect(throws: SceneError.self) { try decode("passes: [glow]\n") }
        #expect(error?.codes == [.unknownPlugin])
        #expect(error?.diagnostics.first?.message.contains("other.glow") == true)
    }

    @Test func parametersAreCheckedLikeEverythingElse() throws {
        let error = #expect(throws: SceneError.self) { try decode("passes: [{ vignette: { strenght: 0.2, tint: 5 } }]\n") }
        #expect(error?.codes == [.unknownKey, .typeMismatch])
        #expect(error?.diagnostics.first?.suggestion == "strength")
        let range = #expect(throws: SceneError.self) { try decode("passes: [{ vignette: { strength: 2 } }]\n") }
        #expect(range?.codes == [.outOfRange])
    }

    @Test func kindsDoNotMix() throws {
        let error = #expect(throws: SceneError.self) { try decode("layers: [{ rect: { size: 2 }, animate: [vignette] }]\n") }
        #expect(error?.codes == [.unknownPlugin])
        let scene = try decode("layers: [{ rect: { size: 2 }, animate: [{ wiggle: { amplitude: 3 } }], effects: [vignette] }]\n")
        #expect(scene.layers[0].animate.first?.name == "motion.wiggle")
        #expect(SceneSummary(scene).pluginsNeeded == ["motion.wiggle", "postfx.vignette"])
    }

    @Test func theSchemaListsPluginParameters() {
        let schema = SceneSchema.document(catalog: Self.catalog).serialized()
        #expect(schema.contains("\"postfx.vignette\"") && schema.contains("\"strength\"") && schema.contains("How dark"))
        #expect(SceneSchema.document().serialized().contains("No installed plugin provides these."))
    }
}
