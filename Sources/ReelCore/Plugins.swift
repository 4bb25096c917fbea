/// A plugin's contribution as a scene sees it: a name, a kind and typed parameters.
///
/// The scene decoder checks plugin uses against a `PluginCatalog`; the plugin system
/// registers the contributions, and `reel schema` lists their parameters.
public struct ContributionDescriptor: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Drawn as a `shader:` layer.
        case layer
        /// A post pass: scene-level `passes` or per-layer `effects`.
        case pass
        /// A procedural motion pass: per-layer `animate`.
        case animation
    }

    /// The plugin's name, e.g. `postfx`.
    public var plugin: String
    /// The contribution's own name, e.g. `bloom`.
    public var name: String
    public var kind: Kind
    public var summary: String
    public var parameters: [ParameterSpec]

    public init(plugin: String, name: String, kind: Kind, summary: String, parameters: [ParameterSpec]) {
        (self.plugin, self.name, self.kind, self.summary, self.parameters) = (plugin, name, kind, summary, parameters)
    }

    /// `plugin.name`, the unambiguous form.
    public var qualifiedName: String { "\(plugin).\(name)" }
}

/// One parameter of a plugin contribution.
public struct ParameterSpec: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    /// The default in scene-file syntax (`0.8`, `"#ffffff"`, `[0, 0]`, `true`).
    public var defaultValue: String
    public var minimum: Double?
    public var maximum: Double?
    public var doc: String

    public init(name: String, type: ParameterType, defaultValue: String, minimum: Double? = nil, maximum: Double? = nil, doc: String) {
        (self.name, self.type, self.defaultValue, self.minimum, self.maximum, self.doc) = (name, type, defaultValue, minimum, maximum, doc)
    }
}

/// The contributions a scene may name. Handed to the decoder explicitly: there is no global
/// registry.
public struct PluginCatalog: Sendable {
    /// Checks a use's parameters beyond their types; see `PluginContribution.validate`.
    public typealias Validator = @Sendable ([String: ParameterValue]) -> [ParameterProblem]

    public var contributions: [ContributionDescriptor]
    /// Validators by kind and qualified name; a contribution without one is checked by its
    /// descriptor alone. `PluginRegistry.catalog` fills this in.
    var validators: [String: Validator] = [:]

    public init(_ contributions: [ContributionDescriptor] = []) { self.contributions = contributions }

    /// What `descriptor`'s contribution finds wrong with `parameters`; none without a validator.
    public func problems(_ descriptor: ContributionDescriptor, _ parameters: [String: ParameterValue]) -> [ParameterProblem] {
        validators[PluginRegistry.key(descriptor.qualifiedName, descriptor.kind)]?(parameters) ?? []
    }

    /// An empty catalog: only the core layer kinds.
    public static let core = PluginCatalog()

    /// Finds `name` among contributions of `kind`: a qualified name exactly, a bare name when
    /// exactly one plugin offers it.
    public func resolve(_ name: String, kind: ContributionDescriptor.Kind) -> Resolution {
        let candidates = contributions.filter { $0.kind == kind }
        if let exact = candidates.first(where: { $0.qualifiedName == name }) { return .found(exact) }
        let bare = candidates.filter { $0.name == name }
        if bare.count == 1 { return .found(bare[0]) }
        if bare.count > 1 { return .ambiguous(bare.map(\.qualifiedName)) }
        return .unknown(nearest: nearestName(to: name, in: candidates.map(\.qualifiedName) + candidates.map(\.name)))
    }

    public enum Resolution: Sendable {
        case found(ContributionDescriptor)
        case ambiguous([String])
        case unknown(nearest: String?)
    }
}

/// A named plugin contribution used in a scene, with its parameters.
public struct PluginUse: Sendable {
    /// The qualified name it resolved to (`postfx.bloom`).
    public var name: String
    /// Every declared parameter, defaults filled in.
    public var parameters: [String: ParameterValue]
    /// Where the use is written, for runtime messages.
    public var location: SceneLocation?

    public init(name: String, parameters: [String: ParameterValue], location: SceneLocation? = nil) {
        (self.name, self.parameters, self.location) = (name, parameters, location)
    }
}

/// A plugin parameter's value; the animatable types may carry keyframes.
public enum ParameterValue: Sendable {
    case number(Animatable<Double>)
    case bool(Bool)
    case string(String)
    case color(Animatable<Color>)
    case vec2(Animatable<Vec2>)

    /// The value at `time`.
    public func resolved(at time: Double) -> ResolvedValue {
        switch self {
        case let .number(a): return .number(a.value(at: time))
        case let .bool(b): return .bool(b)
        case let .string(s): return .string(s)
        case let .color(a): return .color(a.value(at: time))
        case let .vec2(a): return .vec2(a.value(at: time))
        }
    }
}

/// A parameter's value at one moment.
public enum ResolvedValue: Sendable, Hashable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case color(Color)
    case vec2(Vec2)
}
