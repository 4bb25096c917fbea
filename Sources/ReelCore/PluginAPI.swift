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
///
/// ```swift
/// struct Pulse: AnimationPass {
///     static let amount = Param.number("amount", default: 0.2, in: 0...10, doc: "how much larger at the peak")
///     let declaration = ContributionDeclaration("pulse", summary: "scales the layer up and down",
///                                               parameters: [Self.amount])
///     func animate(_ layer: inout LayerState, in context: AnimationContext) {
///         let scale = 1 + context[Self.amount] * sin(2 * .pi * context.time)
///         layer.transform = layer.transform * .scale(Vec2(scale, scale))
///     }
/// }
/// ```
public protocol PluginContribution: Sendable {
    /// Its name, summary and parameters. The plugin's name and the kind are not restated:
    /// the registry adds them (`descriptor(plugin:)`).
    var declaration: ContributionDeclaration { get }

    /// Where a scene names it. `AnimationPass` supplies `.animation`; every other
    /// contribution is a post pass (`.pass`) unless it says otherwise: a `LayerShader`
    /// writes `static let kind = ContributionDescriptor.Kind.layer`, since `ReelGL`, where
    /// that protocol lives, does not supply it.
    static var kind: ContributionDescriptor.Kind { get }

    /// Checks parameter values beyond their declared types, ranges and choices (an
    /// expression that does not parse, path data), once, when the scene is decoded; each
    /// problem becomes a located scene error. The default finds none.
    ///
    /// `parameters` holds every declared parameter, defaults filled in; read one with
    /// `Self.path.written(in: parameters)` and report with `Self.path.problem(…)`.
    func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem]
}

extension PluginContribution {
    public static var kind: ContributionDescriptor.Kind { .pass }

    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] { [] }

    /// The contribution as scenes see it when `plugin` registers it.
    public func descriptor(plugin: String) -> ContributionDescriptor {
        ContributionDescriptor(plugin: plugin, name: declaration.name, kind: Self.kind, summary: declaration.summary,
                               parameters: declaration.parameters)
    }
}

extension ReelPlugin {
    /// Its contributions as scenes see them: named under this plugin, with their kinds.
    public var descriptors: [ContributionDescriptor] { contributions.map { $0.descriptor(plugin: name) } }
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

extension AnimationPass {
    public static var kind: ContributionDescriptor.Kind { .animation }
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
    /// Two plugins claim the same name, or one plugin two contributions of one kind and name.
    public static let pluginConflict = Self("E-PLUGIN-CONFLICT")
    /// A plugin declares something no scene could satisfy: a parameter whose bounds cross,
    /// whose default is not one of its choices, or two parameters of one name.
    public static let pluginSpec = Self("E-PLUGIN-SPEC")
}

/// The plugins a render uses, and their contributions by qualified name. Built once and
/// handed to the decoder (as a catalog) and to the timeline: there is no global registry.
public struct PluginRegistry: Sendable {
    public let plugins: [any ReelPlugin]
    private let byName: [String: any PluginContribution]
    /// Every contribution as scenes see it, in plugin order.
    public let descriptors: [ContributionDescriptor]

    /// No plugins: only the core layer kinds.
    public static let empty = PluginRegistry()

    private init() {
        plugins = []
        byName = [:]
        descriptors = []
    }

    /// - Throws: `E-PLUGIN-CONFLICT` for two plugins of one name or two contributions of one
    ///   kind and name in a plugin; `E-PLUGIN-SPEC` for a parameter whose minimum is above its
    ///   maximum or whose default is not one of its choices, or for two parameters of one name.
    public init(_ plugins: [any ReelPlugin]) throws {
        var seen = Set<String>(), byName: [String: any PluginContribution] = [:], descriptors: [ContributionDescriptor] = []
        for plugin in plugins {
            guard seen.insert(plugin.name).inserted else {
                throw ReelError(.pluginConflict, "two plugins are named '\(plugin.name)'",
                                detail: "plugin names are namespaces; rename one of them")
            }
            for contribution in plugin.contributions {
                let descriptor = contribution.descriptor(plugin: plugin.name)
                try Self.check(descriptor)
                let key = Self.key(descriptor.qualifiedName, descriptor.kind)
                guard byName[key] == nil else {
                    throw ReelError(.pluginConflict, "plugin '\(plugin.name)' contributes two \(descriptor.kind.rawValue)s named '\(descriptor.name)'")
                }
                byName[key] = contribution
                descriptors.append(descriptor)
            }
        }
        self.plugins = plugins
        self.byName = byName
        self.descriptors = descriptors
    }

    /// Refuses parameters no scene could satisfy, for the plugin's author to fix.
    private static func check(_ descriptor: ContributionDescriptor) throws {
        var names = Set<String>()
        for parameter in descriptor.parameters {
            guard names.insert(parameter.name).inserted else {
                throw ReelError(.pluginSpec, "'\(descriptor.qualifiedName)' declares two parameters named '\(parameter.name)'",
                                detail: "a parameter's name is its key in scene files; rename one of them")
            }
            let low = parameter.minimum ?? -.infinity, high = parameter.maximum ?? .infinity
            guard !low.isNaN, !high.isNaN, low <= high else {
                throw ReelError(.pluginSpec, "plugin '\(descriptor.plugin)' declares parameter '\(parameter.name)' of '\(descriptor.qualifiedName)' with bounds \(low)…\(high), which hold no value",
                                detail: "a parameter's minimum must not be above its maximum; fix the parameter's declaration")
            }
            if let choices = parameter.choices, case let .string(word) = parameter.defaultResolved, !choices.contains(word) {
                throw ReelError(.pluginSpec, "parameter '\(parameter.name)' of '\(descriptor.qualifiedName)' defaults to '\(word)', which is not one of its choices")
            }
        }
    }

    /// What the scene decoder checks uses against, with each contribution's `validate`.
    public var catalog: PluginCatalog {
        var catalog = PluginCatalog(descriptors)
        for descriptor in descriptors {
            let key = Self.key(descriptor.qualifiedName, descriptor.kind)
            catalog.validators[key] = byName[key]?.validate
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
