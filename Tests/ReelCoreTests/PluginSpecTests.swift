import Testing
@testable import ReelCore

/// A plugin whose parameter bounds cross is refused when it is registered, with a message for
/// its author, and never reaches the decoder (where forming the range would trap).
@Suite("Plugin parameter specs")
struct PluginSpecTests {
    struct Crossed: AnimationPass {
        var minimum: Double
        var maximum: Double
        var declaration: ContributionDeclaration {
            ContributionDeclaration("spin", summary: "", parameters: [
                Param.number("turns", default: 1, minimum: minimum, maximum: maximum, doc: ""),
            ])
        }
        func animate(_ layer: inout LayerState, in context: AnimationContext) {}
    }

    struct Plugin: ReelPlugin {
        let name = "crossed", version = "1"
        var pass: Crossed
        var contributions: [any PluginContribution] { [pass] }
    }

    @Test func boundsThatCrossAreRefusedAtRegistration() {
        let error = #expect(throws: ReelError.self) { try PluginRegistry([Plugin(pass: Crossed(minimum: 5, maximum: 0.99))]) }
        #expect(error?.code == .pluginSpec)
        #expect(error?.message.contains("'turns' of 'crossed.spin'") == true, "\(error?.message ?? "")")
        #expect(throws: ReelError.self) { try PluginRegistry([Plugin(pass: Crossed(minimum: .nan, maximum: 1))]) }
    }

    @Test func equalBoundsAreOneValueAndAccepted() throws {
        let registry = try PluginRegistry([Plugin(pass: Crossed(minimum: 2, maximum: 2))])
        let scene = try SceneDecoder(catalog: registry.catalog)
            .decode("reel: 1\ncanvas: { size: [10, 10], fps: 10, duration: 1s }\nlayers:\n  - { rect: { size: 2 }, animate: [{ spin: { turns: 2 } }] }\n")
        #expect(scene.layers.count == 1)
    }

    @Test func aCatalogMadeWithoutTheRegistryDoesNotTrapOnCrossedBounds() {
        // The decoder's own guard: the use is read without a range rather than trapping.
        let catalog = PluginCatalog([Crossed(minimum: 5, maximum: 1).descriptor(plugin: "crossed")])
        #expect(throws: Never.self) {
            _ = try? SceneDecoder(catalog: catalog)
                .decode("reel: 1\ncanvas: { size: [10, 10], fps: 10, duration: 1s }\nlayers:\n  - { rect: { size: 2 }, animate: [{ spin: { turns: 3 } }] }\n")
        }
    }
}
