/// A plugin's contribution as a scene sees it: the plugin it belongs to, its name, kind,
/// summary and typed parameters.
///
/// The registry makes one for each contribution from the contribution's own
/// `ContributionDeclaration` (name, summary, parameters), the registering plugin's name and
/// the contribution's kind; shader files make theirs when read. The scene decoder checks
/// uses against a `PluginCatalog` of them, and `reel schema` and `reel plugins` print them.
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

/// What a contribution says about itself, once: its name, a one-line summary and its
/// parameters. The plugin's name and the kind are not restated: the registry adds them.
///
/// ```swift
/// static let strength = Param.number("strength", default: 0.5, in: 0...1, doc: "how dark the corners get")
/// let declaration = ContributionDeclaration("vignette", summary: "darkens the edges", parameters: [Self.strength])
/// ```
public struct ContributionDeclaration: Sendable, Hashable {
    /// The name scenes use, unique among the plugin's contributions of its kind: lowercase
    /// letters, digits and dashes (`follow-path`).
    public var name: String
    /// One line for `reel plugins` and the schema.
    public var summary: String
    /// The parameters, in the order `reel plugins describe` lists them.
    public var parameters: [ParameterSpec]

    public init(_ name: String, summary: String, parameters: [any AnyParam] = []) {
        (self.name, self.summary, self.parameters) = (name, summary, parameters.map(\.spec))
    }
}

/// One parameter of a plugin contribution, as the decoder, the schema and `reel plugins`
/// see it. Made only by a typed `Param` declaration, which is also how the plugin reads it.
public struct ParameterSpec: Sendable, Hashable {
    public let name: String
    public let type: ParameterType
    /// The default as a value: what a use that leaves the parameter out gets.
    public let defaultResolved: ResolvedValue
    /// Bounds a scene's value must keep (numbers, integers and the components of vec2s).
    public let minimum: Double?
    public let maximum: Double?
    public let doc: String
    /// For a word out of a few (`order: reverse`): the words; nil for free text and other types.
    public let choices: [String]?

    init(name: String, type: ParameterType, default value: ResolvedValue, minimum: Double? = nil, maximum: Double? = nil,
         doc: String, choices: [String]? = nil) {
        (self.name, self.type, self.defaultResolved, self.minimum, self.maximum) = (name, type, value, minimum, maximum)
        (self.doc, self.choices) = (doc, choices)
    }

    /// Whether a scene may keyframe it: numbers, integers, times, colours and vec2s.
    public var isAnimatable: Bool {
        switch type {
        case .number, .integer, .time, .color, .vec2: return true
        case .bool, .string: return false
        }
    }

    /// The default in scene-file syntax (`0.8`, `"#ffffff"`, `[0, 0]`, `true`, `forward`), as
    /// `reel plugins describe` prints it and a scene would write it: a choice's word and a
    /// number-like text (an expression's `0`) bare, other text quoted.
    public var defaultValue: String {
        guard case let .string(text) = defaultResolved else { return defaultResolved.sceneText }
        if choices != nil || Double(text) != nil { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension ResolvedValue {
    /// The value as a scene file writes it: numbers without a trailing `.0`, colours quoted,
    /// text bare when it is a plain word YAML reads as text, quoted otherwise.
    public var sceneText: String {
        switch self {
        case let .number(v): return v.clean
        case let .bool(b): return b ? "true" : "false"
        case let .vec2(v): return "[\(v.x.clean), \(v.y.clean)]"
        case let .color(c): return "\"\(c.description)\""
        case let .string(s):
            let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
                && Double(s) == nil && !["true", "false", "null", "yes", "no", "on", "off"].contains(s.lowercased())
            return plain ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
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
