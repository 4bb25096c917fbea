import Foundation
import Motion
import ReelCore
import Testing

@Suite("motion.orbit")
struct OrbitTests {
    static let registry: PluginRegistry = {
        do { return try PluginRegistry([MotionPlugin()]) } catch { preconditionFailure("\(error)") }
    }()

    static func scene(_ animate: String, position: String = "[960, 540]") throws -> Scene {
        try SceneDecoder(catalog: registry.catalog).decode("""
        reel: 1
        canvas: { size: [1920, 1080], fps: 60, duration: 10s }
        layers:
          - id: c7
            circle: { radius: 10 }
            position: \(position)
            animate: [\(animate)]
        """)
    }

    static func centre(_ scene: Scene, frame: Int) throws -> Vec2 {
        let state = Timeline.evaluate(scene, frame: frame, plugins: registry)
        let layer = try #require(state.layers.first)
        #expect(layer.animate.isEmpty, "the pass ran, so nothing is left for the renderer to report")
        return layer.transform.apply(.zero)
    }

    @Test(arguments: [0, 1, 59, 300, 599])
    func matchesTheBenchmarkFormula(frame: Int) throws {
        // Circle 7 of ../shared/bench/scene.py.
        let scene = try Self.scene("{ orbit: { radius: [700, 380], speed: [0.37, 0.291], phase: [7, 14] } }")
        let t = Double(frame) / 60
        let expected = Vec2(960 + 700 * sin(t * 0.37 + 7), 540 + 380 * cos(t * 0.291 + 14))
        let got = try Self.centre(scene, frame: frame)
        #expect(abs(got.x - expected.x) < 1e-9 && abs(got.y - expected.y) < 1e-9, "frame \(frame): \(got) ≠ \(expected)")
    }

    @Test func followsAKeyframedCentreAndAnimatedRadius() throws {
        let scene = try Self.scene("{ orbit: { radius: { keys: [[0s, [0, 0]], [1s, [100, 100]]] }, speed: [0, 0] } }",
                                   position: "{ keys: [[0s, [100, 100]], [1s, [200, 100]]] }")
        // speed 0: offset = radius · (sin 0, cos 0) = (0, r).
        let half = try Self.centre(scene, frame: 30)
        #expect(abs(half.x - 150) < 1e-9 && abs(half.y - 150) < 1e-9, "\(half)")
    }

    @Test func orientTurnsTheLayerAlongItsPath() throws {
        let scene = try Self.scene("{ orbit: { radius: [100, 100], speed: [1, 1], orient: true } }")
        let state = Timeline.evaluate(scene, frame: 0, plugins: Self.registry)
        let transform = try #require(state.layers.first).transform
        // At t = 0 the layer is below the centre moving right (+x): no turn; its origin stays put.
        let origin = transform.apply(.zero), ahead = transform.apply(Vec2(1, 0))
        #expect(abs(origin.x - 960) < 1e-9 && abs(origin.y - 640) < 1e-9)
        #expect(abs(ahead.x - origin.x - 1) < 1e-9 && abs(ahead.y - origin.y) < 1e-9)
        // A quarter turn later (t = π/2) it is right of the centre moving up (-y on screen).
        let later = Timeline.evaluate(scene, frame: Int((Double.pi / 2 * 60).rounded()), plugins: Self.registry)
        let t2 = try #require(later.layers.first).transform
        let direction = t2.apply(Vec2(1, 0)) - t2.apply(.zero)
        #expect(direction.y < -0.99 && abs(direction.x) < 0.02, "\(direction)")
    }

    @Test func withoutThePluginTheUseIsKeptForTheRendererToReport() throws {
        let scene = try Self.scene("{ orbit: {} }")
        let state = Timeline.evaluate(scene, frame: 10)
        #expect(state.layers.first?.animate.map(\.name) == ["motion.orbit"])
        #expect(state.layers.first?.transform.apply(.zero) == Vec2(960, 540))
    }

    @Test func badParametersAreSceneErrorsWithALine() throws {
        #expect(throws: SceneError.self) { try Self.scene("{ orbit: { radius: fast } }") }
        #expect(throws: SceneError.self) { try Self.scene("{ orbitt: {} }") }
    }
}

@Suite("Plugin registry")
struct RegistryTests {
    struct Named: ReelPlugin {
        var name: String
        var version = "1.0.0"
        var contributions: [any PluginContribution]
    }

    @Test func rejectsTwoPluginsOfOneName() {
        #expect(throws: ReelError.self) { try PluginRegistry([MotionPlugin(), MotionPlugin()]) }
    }

    /// A contribution no longer names its plugin (the registry fills it in), so it cannot name
    /// another one: it is known under the plugin that registers it, and only under that one.
    @Test func aContributionIsNamedAfterThePluginThatRegistersIt() throws {
        let registry = try PluginRegistry([Named(name: "mine", contributions: [Orbit()])])
        #expect(registry.catalog.contributions.map(\.qualifiedName) == ["mine.orbit"])
        #expect(registry.animationPass("mine.orbit") != nil && registry.animationPass("motion.orbit") == nil)
    }

    @Test func catalogListsTheContributionsAndFindsPasses() throws {
        let registry = try PluginRegistry([MotionPlugin()])
        #expect(registry.catalog.contributions.map(\.qualifiedName).contains("motion.orbit"))
        #expect(registry.animationPass("motion.orbit") != nil)
        #expect(registry.animationPass("motion.nothing") == nil)
        #expect(registry.version(of: "motion") == MotionPlugin().version)
    }
}
