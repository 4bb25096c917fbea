import Testing
@testable import ReelCore

/// What an animation pass can ask of the timeline beside the current frame: the layer at
/// another time, its children, and a say in decoding.
@Suite("Animation passes and the timeline")
struct AnimationContextTests {
    /// Records what `layer(at:)` answers, as the layer's x at t - 1, in its opacity.
    struct LookBack: AnimationPass {
        let declaration = ContributionDeclaration("look-back", summary: "")
        func animate(_ layer: inout LayerState, in context: AnimationContext) {
            layer.opacity = context.layer(at: context.time - 1)?.transform.tx ?? -1
        }
    }

    /// Moves the layer 1000 px right: must run before `look-back` to be seen by it.
    struct Shove: AnimationPass {
        let declaration = ContributionDeclaration("shove", summary: "")
        func animate(_ layer: inout LayerState, in context: AnimationContext) {
            layer.transform = .translation(Vec2(1000, 0)) * layer.transform
        }
    }

    /// Keeps the ids it was told its children are, as the layer's id.
    struct ListChildren: AnimationPass {
        let declaration = ContributionDeclaration("children", summary: "")
        func animate(_ layer: inout LayerState, in context: AnimationContext) {
            layer.id = context.childIDs.joined(separator: ",")
        }
    }

    /// Accepts only `mode: a` or `mode: b`, pointing at the third character of anything else (offset 2).
    struct Picky: AnimationPass {
        let declaration = ContributionDeclaration("picky", summary: "", parameters: [
            Param.string("mode", default: "a", doc: ""),
            Param.integer("count", default: 1, in: 1...4, doc: ""),
        ])
        func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] {
            guard case let .string(mode)? = parameters["mode"], mode != "a", mode != "b" else { return [] }
            return [ParameterProblem(parameter: "mode", message: "expected a or b", offset: 2)]
        }
        func animate(_ layer: inout LayerState, in context: AnimationContext) {}
    }

    struct Probe: ReelPlugin {
        let name = "probe", version = "1"
        var contributions: [any PluginContribution] { [LookBack(), Shove(), ListChildren(), Picky()] }
    }

    static let registry: PluginRegistry = {
        do { return try PluginRegistry([Probe()]) } catch { preconditionFailure("\(error)") }
    }()

    func scene(_ layers: String) throws -> Scene {
        try SceneDecoder(catalog: Self.registry.catalog).decode("reel: 1\ncanvas: { size: [100, 100], fps: 10, duration: 5s }\nlayers:\n" + layers)
    }

    @Test func aPassSeesTheLayerAtAnotherTimeWithTheKeyframesThen() throws {
        let scene = try scene("  - { rect: { size: 2 }, position: { keys: [[0s, [0, 0]], [4s, [40, 0]]] }, animate: [look-back] }\n")
        let state = Timeline.evaluate(scene, frame: 30, plugins: Self.registry)
        #expect(state.layers.first?.opacity == 20, "at 3 s it saw x = 20, the position at 2 s")
    }

    @Test func itSeesThePassesBeforeItAndNotItselfOrLaterOnes() throws {
        let before = try scene("  - { rect: { size: 2 }, position: [5, 0], animate: [shove, look-back] }\n")
        #expect(Timeline.evaluate(before, frame: 30, plugins: Self.registry).layers.first?.opacity == 1005)
        let after = try scene("  - { rect: { size: 2 }, position: [5, 0], animate: [look-back, shove] }\n")
        #expect(Timeline.evaluate(after, frame: 30, plugins: Self.registry).layers.first?.opacity == 5)
    }

    @Test func theLayersLifespanAndOpacityDoNotHideItThere() throws {
        // Before its in-time and fully transparent then, it is still answered.
        let scene = try scene("  - { rect: { size: 2 }, position: [7, 0], in: 2.5s, opacity: { keys: [[0s, 0], [3s, 1]] }, animate: [look-back] }\n")
        #expect(Timeline.evaluate(scene, frame: 30, plugins: Self.registry).layers.first?.opacity == 7)
    }

    @Test func withoutAnEvaluatorThereIsNoOtherTime() {
        let context = AnimationContext(frame: 0, time: 0, fps: 30, canvasSize: .zero, seed: 0, layerID: "x", parameters: [:])
        #expect(context.layer(at: 1) == nil)
        #expect(context.childIDs.isEmpty)
    }

    @Test func aGroupPassIsToldItsDrawableChildren() throws {
        let scene = try scene("""
          - id: g
            group:
              - { id: a, rect: { size: 2 }, in: 4s }
              - { id: hidden, rect: { size: 2 }, visible: false }
              - { id: m, rect: { size: 2 } }
              - { id: b, rect: { size: 2 }, mask: { layer: m } }
            animate: [children]

        """)
        // `a` does not show yet but is listed; the hidden layer and the mask source are not.
        #expect(Timeline.evaluate(scene, frame: 0, plugins: Self.registry).layers.first?.id == "a,b")
    }

    @Test func aContributionsValidationIsALocatedSceneError() throws {
        let error = #expect(throws: SceneError.self) {
            try scene("  - { rect: { size: 2 }, animate: [{ picky: { mode: abc } }] }\n")
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(error?.codes == [.pluginParameter])
        #expect(diagnostic.path == "layers[0].animate[0].picky.mode")
        #expect(diagnostic.location?.line == 4 && diagnostic.location?.column == 55, "\(diagnostic)")
        #expect(diagnostic.message == "expected a or b")
        _ = try scene("  - { rect: { size: 2 }, animate: [{ picky: { mode: b } }] }\n")
    }

    @Test func integerParametersKeepToTheirRange() throws {
        let error = #expect(throws: SceneError.self) {
            try scene("  - { rect: { size: 2 }, animate: [{ picky: { count: 9 } }] }\n")
        }
        #expect(error?.codes == [.outOfRange])
        let fraction = #expect(throws: SceneError.self) {
            try scene("  - { rect: { size: 2 }, animate: [{ picky: { count: 2.5 } }] }\n")
        }
        #expect(fraction?.codes == [.typeMismatch])
    }
}
