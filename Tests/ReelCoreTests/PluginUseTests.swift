import Testing
@testable import ReelCore

@Suite("Plugin uses in scenes")
struct PluginUseTests {
    static let catalog = PluginCatalog([
        ContributionDescriptor(plugin: "postfx", name: "vignette", kind: .pass, summary: "Darkens the corners", parameters: [
            Param.number("strength", default: 0.3, in: 0...1, doc: "How dark").spec,
            Param.color("tint", default: .black, doc: "Corner colour").spec,
        ]),
        ContributionDescriptor(plugin: "postfx", name: "glow", kind: .pass, summary: "", parameters: []),
        ContributionDescriptor(plugin: "other", name: "glow", kind: .pass, summary: "", parameters: []),
        ContributionDescriptor(plugin: "shaders", name: "plasma", kind: .layer, summary: "", parameters: [
            Param.number("speed", default: 1, doc: "Cycles a second").spec,
            Param.vec2("centre", default: .zero, doc: "Where it swirls").spec,
        ]),
        ContributionDescriptor(plugin: "motion", name: "wiggle", kind: .animation, summary: "", parameters: [
            Param.number("amplitude", default: 8, doc: "Pixels").spec,
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

    @Test func shaderLayersNameALayerContribution() throws {
        let scene = try decode("layers: [{ shader: { name: plasma, size: [4, 4], params: { speed: 2 } } }]\n")
        guard case let .shader(content) = scene.layers[0].content else {
            Issue.record("expected a shader layer")
            return
        }
        #expect(content.shader.name == "shaders.plasma")
        let state = Timeline.evaluate(scene, frame: 0)
        guard case let .shader(use, size) = state.layers[0].content else { return }
        #expect(use.parameters["speed"] == .number(2) && use.parameters["centre"] == .vec2(.zero) && size == Vec2(4, 4))
        let wrongKind = #expect(throws: SceneError.self) { try decode("layers: [{ shader: { name: vignette } }]\n") }
        #expect(wrongKind?.codes == [.unknownPlugin])
    }

    @Test func theSchemaListsPluginParameters() {
        let schema = SceneSchema.document(catalog: Self.catalog).serialized()
        #expect(schema.contains("\"postfx.vignette\"") && schema.contains("\"strength\"") && schema.contains("How dark"))
        #expect(SceneSchema.document().serialized().contains("No installed plugin provides these."))
    }
}
