import Foundation

/// The facts `reel info` prints about a scene: size, timing, layers by kind, assets and
/// whether each exists, plugins needed.
public struct SceneSummary: Sendable {
    public var width: Int
    public var height: Int
    public var fps: Double
    public var frames: Int
    public var durationSeconds: Double
    public var samples: Int
    /// Layer counts by kind name (groups' children included), sorted by name.
    public var layersByKind: [(kind: String, count: Int)]
    public var assets: [(name: String, path: String, exists: Bool?)]
    /// Qualified names of every plugin contribution the scene uses, sorted.
    public var pluginsNeeded: [String]
    public var parameters: [ParameterDeclaration]

    public init(_ scene: Scene) {
        width = scene.canvas.width
        height = scene.canvas.height
        fps = scene.canvas.fps
        frames = scene.canvas.frameCount
        durationSeconds = scene.canvas.duration
        samples = scene.canvas.samples
        var counts: [String: Int] = [:]
        var plugins = Set(scene.passes.map(\.name))
        for layer in scene.allLayers {
            counts[layer.content.kindName, default: 0] += 1
            plugins.formUnion(layer.effects.map(\.name))
            plugins.formUnion(layer.animate.map(\.name))
            if case let .shader(shader) = layer.content { plugins.insert(shader.shader.name) }
        }
        layersByKind = counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        assets = scene.assets.map { asset in
            (asset.name, asset.path, asset.resolvedPath.map { FileManager.default.fileExists(atPath: $0) })
        }
        pluginsNeeded = plugins.sorted()
        parameters = scene.parameters
    }

    /// The summary as JSON; `width`, `height`, `fps`, `frames` and `duration_seconds` are
    /// stable keys for scripts.
    public var json: JSONValue {
        .object([
            ("width", .number(Double(width))), ("height", .number(Double(height))), ("fps", .number(fps)),
            ("frames", .number(Double(frames))), ("duration_seconds", .number(durationSeconds)), ("samples", .number(Double(samples))),
            ("layers", .object(layersByKind.map { ($0.kind, .number(Double($0.count))) })),
            ("assets", .array(assets.map { asset in
                .object([("name", .string(asset.name)), ("path", .string(asset.path)), ("exists", asset.exists.map { .bool($0) } ?? .null)])
            })),
            ("plugins", .array(pluginsNeeded.map { .string($0) })),
            ("params", .object(parameters.map { p in
                (p.name, .object([("type", .string(p.type.rawValue)), ("default", .string(p.defaultValue)), ("value", .string(p.value))]
                                 + (p.doc.map { [("doc", JSONValue.string($0))] } ?? [])))
            })),
        ])
    }
}

extension Diagnostic {
    /// The diagnostic as JSON, for `reel validate --json`.
    public var json: JSONValue {
        .object([
            ("code", .string(code.rawValue)), ("message", .string(message)),
            ("file", location.map { .string($0.file) } ?? .null),
            ("line", location.map { .number(Double($0.line)) } ?? .null),
            ("column", location.map { .number(Double($0.column)) } ?? .null),
            ("path", .string(path)), ("suggestion", suggestion.map { .string($0) } ?? .null),
        ])
    }
}
