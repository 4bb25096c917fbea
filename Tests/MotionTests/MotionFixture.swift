import Foundation
import Reel
import ReelCore
import Testing

/// Small scenes for the Motion passes: decoded with the standard registry, evaluated one
/// frame at a time.
enum Fixture {
    static let registry = PluginRegistry.standard

    /// A scene of `layers` (YAML, indented two spaces under `layers:`).
    static func scene(_ layers: String, fps: Double = 30, size: (Int, Int) = (640, 360), seed: Int = 7,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Scene {
        try SceneDecoder(catalog: registry.catalog).decode("""
        reel: 1
        canvas: { size: [\(size.0), \(size.1)], fps: \(fps), duration: 10s }
        seed: \(seed)
        layers:
        \(layers)
        """)
    }

    static func frame(_ scene: Scene, _ frame: Int) -> FrameState {
        Timeline.evaluate(scene, frame: frame, plugins: registry)
    }

    /// The layer with `id` at `frame`, searching groups.
    static func layer(_ id: String, in scene: Scene, frame: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> LayerState {
        try #require(find(id, in: Self.frame(scene, frame).layers), "no layer \(id) at frame \(frame)", sourceLocation: sourceLocation)
    }

    static func find(_ id: String, in layers: [LayerState]) -> LayerState? {
        for layer in layers {
            if layer.id == id { return layer }
            if case let .group(children) = layer.content, let found = find(id, in: children) { return found }
        }
        return nil
    }

    /// The children of a group (or of a layer a pass turned into one).
    static func children(_ layer: LayerState, sourceLocation: SourceLocation = #_sourceLocation) -> [LayerState] {
        guard case let .group(children) = layer.content else {
            Issue.record("\(layer.id) is a \(layer.content.kindName), not a group", sourceLocation: sourceLocation)
            return []
        }
        return children
    }

    /// The codes and located messages of a scene that must not decode.
    static func errors(_ layers: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        do {
            _ = try scene(layers)
            Issue.record("the scene decoded", sourceLocation: sourceLocation)
            return []
        } catch {
            return (error as? SceneError)?.diagnostics ?? []
        }
    }
}

/// Two points agree to within `tolerance`.
func close(_ a: Vec2, _ b: Vec2, _ tolerance: Double = 1e-6) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
}

extension Vec2 {
    var length: Double { (x * x + y * y).squareRoot() }
}
