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

    /// Checks parameter values beyond their declared types and ranges (an expression that
    /// does not parse, path data, a word outside a list of choices), once, when the scene is
    /// decoded; each problem becomes a located scene error. The default finds none.
    ///
    /// `parameters` holds every declared parameter, defaults filled in.
    func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem]
}

extension PluginContribution {
    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] { [] }
}

/// A parameter value a contribution rejects, found by `PluginContribution.validate`.
public struct ParameterProblem: Sendable, Hashable {
    /// The parameter's name; the error points at its value in the scene file.
    public var parameter: String
    /// What is wrong, e.g. `expected a number after '*'`.
    public var message: String
    /// For a string value: the 0-based offset of the offending character, so that the
    /// error's column points at it when the string sits on one line.
    public var offset: Int?

    public init(parameter: String, message: String, offset: Int? = nil) {
        (self.parameter, self.message, self.offset) = (parameter, message, offset)
    }
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
public struct AnimationContext: Sendable, ParameterReading {
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
    /// For a group: the ids of its children that can be drawn (not hidden, not mask
    /// sources), in painter's order, whether or not they show at this frame. Empty otherwise.
    public var childIDs: [String]
    /// Evaluates this layer at another time; see `layer(at:)`.
    public var evaluator: (@Sendable (_ time: Double) -> LayerState?)?

    public init(frame: Int, time: Double, fps: Double, canvasSize: Vec2, seed: UInt64, layerID: String,
                parameters: [String: ResolvedValue], childIDs: [String] = [],
                evaluator: (@Sendable (_ time: Double) -> LayerState?)? = nil) {
        (self.frame, self.time, self.fps, self.canvasSize) = (frame, time, fps, canvasSize)
        (self.seed, self.layerID, self.parameters) = (seed, layerID, parameters)
        (self.childIDs, self.evaluator) = (childIDs, evaluator)
    }

    /// This layer at another time, as this pass would receive it then: its keyframes, its
    /// children (keyframes and their own animation passes) and the passes listed before this
    /// one in its `animate` list — never this pass or later ones, so a pass may call it
    /// freely without recursing into itself.
    ///
    /// Its own lifespan and opacity do not hide the layer here (a pass that asks for another
    /// time wants its shape then and decides what shows); its children are left out where
    /// they would not show at that time. Nil only for a context built without an evaluator
    /// (in code, without `Timeline`), or for a time that is not finite. Pure, like the rest
    /// of evaluation: the same time gives the same state.
    ///
    /// Cost: one evaluation of the layer's subtree per call.
    public func layer(at time: Double) -> LayerState? {
        guard time.isFinite else { return nil }
        return evaluator?(time)
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
    /// A plugin declares something no scene could satisfy: a parameter whose bounds cross.
    public static let pluginSpec = Self("E-PLUGIN-SPEC")
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
    ///   descriptor names another plugin, or two contributions of one kind and name;
    ///   `E-PLUGIN-SPEC` for a parameter whose minimum is above its maximum.
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
                for parameter in descriptor.parameters {
                    let low = parameter.minimum ?? -.infinity, high = parameter.maximum ?? .infinity
                    guard !low.isNaN, !high.isNaN, low <= high else {
                        throw ReelError(.pluginSpec, "plugin '\(plugin.name)' declares parameter '\(parameter.name)' of '\(descriptor.qualifiedName)' with bounds \(low)…\(high), which hold no value",
                                        detail: "a parameter's minimum must not be above its maximum; fix the plugin's ParameterSpec")
                    }
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

    /// What the scene decoder checks uses against, with each contribution's `validate`.
    public var catalog: PluginCatalog {
        var catalog = PluginCatalog(plugins.flatMap { $0.contributions.map(\.descriptor) })
        for contribution in byName.values {
            catalog.validators[Self.key(contribution.descriptor.qualifiedName, contribution.descriptor.kind)] = contribution.validate
        }
        return catalog
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

    static func key(_ name: String, _ kind: ContributionDescriptor.Kind) -> String { "\(kind.rawValue):\(name)" }
}
