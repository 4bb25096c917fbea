/// The plugin API: what a plugin is, what it contributes, and the registry a render looks
/// contributions up in. First-party plugins (`Plugins/`) use exactly this API.
///
/// A plugin is a value listing typed contributions. Kinds that draw (post passes, shader
/// layers) are declared in `ReelGL`, which refines `PluginContribution`; the core only needs
/// their descriptors to check scenes, and runs animation passes itself.

/// A Reel plugin: a name, a version and what it adds.
///
/// ```swift
/// struct Confetti: ReelPlugin {
///     let name = "confetti"
///     let version = "1.0.0"
///     var contributions: [any PluginContribution] { [Burst()] }
/// }
/// ```
public protocol ReelPlugin: Sendable {
    /// The namespace of its contributions (`motion` in `motion.orbit`): lowercase letters,
    /// digits and dashes.
    var name: String { get }
    /// Semantic version; part of cache keys, so a new version re-renders cached chunks.
    var version: String { get }
    var contributions: [any PluginContribution] { get }
}

/// Something a plugin adds, described for scene checking, `reel plugins` and the schema.
public protocol PluginContribution: Sendable {
    /// `descriptor.plugin` must equal the plugin's name; the registry checks it.
    var descriptor: ContributionDescriptor { get }
}

/// A procedural motion pass, used in a layer's `animate:` list.
///
/// Pure: the result may depend only on the layer's state, the context (frame, time, seed,
/// parameters) and nothing else — no clock, no global random source — so any frame renders
/// the same on its own, on any machine.
public protocol AnimationPass: PluginContribution {
    /// Changes `layer` (already evaluated from its keyframes) for one frame.
    func animate(_ layer: inout LayerState, in context: AnimationContext)
}

/// What an animation pass knows about the frame it runs in.
public struct AnimationContext: Sendable {
    public var frame: Int
    /// Seconds since the scene's start.
    public var time: Double
    public var fps: Double
    public var canvasSize: Vec2
    /// The scene's seed; combine with `layerID` and `frame` through `random(stream:)`.
    public var seed: UInt64
    public var layerID: String
    /// Every declared parameter at this frame, defaults filled in by the decoder.
    public var parameters: [String: ResolvedValue]

    public init(frame: Int, time: Double, fps: Double, canvasSize: Vec2, seed: UInt64, layerID: String,
                parameters: [String: ResolvedValue]) {
        (self.frame, self.time, self.fps, self.canvasSize) = (frame, time, fps, canvasSize)
        (self.seed, self.layerID, self.parameters) = (seed, layerID, parameters)
    }

    /// A number parameter (also accepts an integer written as a number); `fallback` when
    /// absent, which only happens for a use built in code without the decoder.
    public func number(_ name: String, _ fallback: Double = 0) -> Double {
        if case let .number(value)? = parameters[name] { return value }
        return fallback
    }

    public func vec2(_ name: String, _ fallback: Vec2 = .zero) -> Vec2 {
        if case let .vec2(value)? = parameters[name] { return value }
        if case let .number(value)? = parameters[name] { return Vec2(value, value) }
        return fallback
    }

    public func bool(_ name: String, _ fallback: Bool = false) -> Bool {
        if case let .bool(value)? = parameters[name] { return value }
        return fallback
    }

    public func string(_ name: String, _ fallback: String = "") -> String {
        if case let .string(value)? = parameters[name] { return value }
        return fallback
    }

    public func color(_ name: String, _ fallback: Color = .black) -> Color {
        if case let .color(value)? = parameters[name] { return value }
        return fallback
    }

    /// A deterministic random stream for this layer at `frame` (pass another frame to look
    /// at neighbours, e.g. for smooth noise).
    public func random(stream: UInt64 = 0, frame: Int? = nil) -> SeededRandom {
        SeededRandom(seed: seed, layer: layerID, frame: frame ?? self.frame, stream: stream)
    }
}

extension ReelError.Code {
    /// Two plugins claim the same name, or a plugin's contribution names another plugin.
    public static let pluginConflict = Self("E-PLUGIN-CONFLICT")
}

/// The plugins a render uses, and their contributions by qualified name. Built once and
/// handed to the decoder (as a catalog) and to the timeline: there is no global registry.
public struct PluginRegistry: Sendable {
    public let plugins: [any ReelPlugin]
    private let byName: [String: any PluginContribution]

    /// No plugins: only the core layer kinds.
    public static let empty = PluginRegistry()

    private init() {
        plugins = []
        byName = [:]
    }

    /// - Throws: `E-PLUGIN-CONFLICT` for two plugins of one name, a contribution whose
    ///   descriptor names another plugin, or two contributions of one kind and name.
    public init(_ plugins: [any ReelPlugin]) throws {
        var seen = Set<String>(), byName: [String: any PluginContribution] = [:]
        for plugin in plugins {
            guard seen.insert(plugin.name).inserted else {
                throw ReelError(.pluginConflict, "two plugins are named '\(plugin.name)'",
                                detail: "plugin names are namespaces; rename one of them")
            }
            for contribution in plugin.contributions {
                let descriptor = contribution.descriptor
                guard descriptor.plugin == plugin.name else {
                    throw ReelError(.pluginConflict, "plugin '\(plugin.name)' contributes '\(descriptor.qualifiedName)', which names another plugin",
                                    detail: "set the descriptor's plugin to '\(plugin.name)'")
                }
                let key = Self.key(descriptor.qualifiedName, descriptor.kind)
                guard byName[key] == nil else {
                    throw ReelError(.pluginConflict, "plugin '\(plugin.name)' contributes two \(descriptor.kind.rawValue)s named '\(descriptor.name)'")
                }
                byName[key] = contribution
            }
        }
        self.plugins = plugins
        self.byName = byName
    }

    /// What the scene decoder checks uses against.
    public var catalog: PluginCatalog {
        PluginCatalog(plugins.flatMap { $0.contributions.map(\.descriptor) })
    }

    /// The contribution of `kind` with this qualified name (as the decoder resolved it).
    public func contribution(_ qualifiedName: String, kind: ContributionDescriptor.Kind) -> (any PluginContribution)? {
        byName[Self.key(qualifiedName, kind)]
    }

    /// The animation pass with this qualified name.
    public func animationPass(_ qualifiedName: String) -> (any AnimationPass)? {
        contribution(qualifiedName, kind: .animation) as? any AnimationPass
    }

    /// The version of the plugin behind a qualified name, for cache keys.
    public func version(of plugin: String) -> String? {
        plugins.first { $0.name == plugin }?.version
    }

    private static func key(_ name: String, _ kind: ContributionDescriptor.Kind) -> String { "\(kind.rawValue):\(name)" }
}
