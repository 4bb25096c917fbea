/// Plugin parameters, declared once and typed.
///
/// A contribution declares each parameter as a `Param` — name, typed default, range, doc —
/// and reads it through that declaration: `context[Self.strength]`. Everything else is
/// derived from the declaration: the decoder checks and fills in uses with it, `reel schema`
/// and `reel plugins describe` print it. A misspelt name is a compile error, never a silent
/// fallback, and a default is a Swift value, never text in scene syntax.

/// One parameter of a contribution: its description, its typed default, and how a value
/// of its type is read back from a resolved parameter.
///
/// ```swift
/// static let strength = Param.number("strength", default: 0.5, in: 0...1, doc: "how dark the corners get")
/// static let color = Param.color("color", default: .black, doc: "colour the edges fade to")
/// …
/// let strength = input[Self.strength]
/// ```
public struct Param<Value: Sendable>: Sendable, AnyParam {
    /// What the decoder, the schema and `reel plugins` see.
    public let spec: ParameterSpec
    /// What a use that leaves the parameter out gets (the decoder fills it in).
    public let defaultValue: Value
    private let decode: @Sendable (ResolvedValue) -> Value?

    /// The scene-file key.
    public var name: String { spec.name }

    init(spec: ParameterSpec, defaultValue: Value, decode: @escaping @Sendable (ResolvedValue) -> Value?) {
        (self.spec, self.defaultValue, self.decode) = (spec, defaultValue, decode)
    }

    /// The value at the context's frame. The decoder fills in every declared parameter, so
    /// the default only stands in for a use built in code that leaves it out.
    public func read(from context: some ParameterReading) -> Value {
        value(in: context.parameters) ?? defaultValue
    }

    /// The value in `parameters` (a frame's resolved parameters, as `warmUp` gets them) when
    /// it holds one of this parameter's type; nil when it holds none.
    public func value(in parameters: [String: ResolvedValue]) -> Value? {
        parameters[spec.name].flatMap(decode)
    }

    /// The value a scene wrote, for `validate`: nil when the parameter is keyframed (or missing).
    public func written(in parameters: [String: ParameterValue]) -> Value? {
        guard let value = parameters[spec.name], value.isConstant else { return nil }
        return decode(value.resolved(at: 0))
    }

    /// A problem with this parameter, located at its value in the scene file.
    public func problem(_ message: String, offset: Int? = nil) -> ParameterProblem {
        ParameterProblem(parameter: spec.name, message: message, offset: offset)
    }
}

/// A `Param` of any value type: what a contribution's parameter list holds.
public protocol AnyParam: Sendable {
    var spec: ParameterSpec { get }
}

// MARK: - Declaring

extension Param where Value == Double {
    /// A number, keyframeable; `minimum`/`maximum` bound what a scene may write.
    public static func number(_ name: String, default value: Double, minimum: Double? = nil, maximum: Double? = nil,
                              doc: String) -> Param<Double> {
        Param(spec: ParameterSpec(name: name, type: .number, default: .number(value), minimum: minimum, maximum: maximum, doc: doc),
              defaultValue: value, decode: { $0.number })
    }

    /// A number from `range.lowerBound` to `range.upperBound`.
    public static func number(_ name: String, default value: Double, in range: ClosedRange<Double>, doc: String) -> Param<Double> {
        number(name, default: value, minimum: range.lowerBound, maximum: range.upperBound, doc: doc)
    }

    /// A number of at least `range.lowerBound`.
    public static func number(_ name: String, default value: Double, in range: PartialRangeFrom<Double>, doc: String) -> Param<Double> {
        number(name, default: value, minimum: range.lowerBound, doc: doc)
    }

    /// A time in seconds, written `2s`, `500ms`, `90f` or a bare number; keyframeable.
    public static func time(_ name: String, default seconds: Double, doc: String) -> Param<Double> {
        Param(spec: ParameterSpec(name: name, type: .time, default: .number(seconds), doc: doc), defaultValue: seconds, decode: { $0.number })
    }
}

extension Param where Value == Int {
    /// A whole number, keyframeable (it steps); `minimum`/`maximum` bound it.
    public static func integer(_ name: String, default value: Int, minimum: Double? = nil, maximum: Double? = nil,
                               doc: String) -> Param<Int> {
        Param(spec: ParameterSpec(name: name, type: .integer, default: .number(Double(value)), minimum: minimum, maximum: maximum, doc: doc),
              defaultValue: value, decode: { $0.number.map(Self.whole) })
    }

    /// A whole number from `range.lowerBound` to `range.upperBound`.
    public static func integer(_ name: String, default value: Int, in range: ClosedRange<Int>, doc: String) -> Param<Int> {
        integer(name, default: value, minimum: Double(range.lowerBound), maximum: Double(range.upperBound), doc: doc)
    }

    /// A whole number of at least `range.lowerBound`.
    public static func integer(_ name: String, default value: Int, in range: PartialRangeFrom<Int>, doc: String) -> Param<Int> {
        integer(name, default: value, minimum: Double(range.lowerBound), doc: doc)
    }

    /// The nearest whole number, kept within ±10¹⁵ so that any finite value converts
    /// (a keyframe easing can overshoot the declared bounds).
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(Swift.min(Swift.max(value.rounded(), -1e15), 1e15))
    }
}

extension Param where Value == Vec2 {
    /// `[x, y]`, or one number for both; keyframeable.
    public static func vec2(_ name: String, default value: Vec2, doc: String) -> Param<Vec2> {
        Param(spec: ParameterSpec(name: name, type: .vec2, default: .vec2(value), doc: doc), defaultValue: value, decode: { $0.vec2 })
    }
}

extension Param where Value == Color {
    /// A colour, written as scenes write colours; keyframeable (blended in OKLab).
    public static func color(_ name: String, default value: Color, doc: String) -> Param<Color> {
        Param(spec: ParameterSpec(name: name, type: .color, default: .color(value), doc: doc), defaultValue: value, decode: { $0.color })
    }
}

extension Param where Value == Bool {
    /// `true` or `false`; constant.
    public static func bool(_ name: String, default value: Bool, doc: String) -> Param<Bool> {
        Param(spec: ParameterSpec(name: name, type: .bool, default: .bool(value), doc: doc), defaultValue: value, decode: { $0.bool })
    }
}

extension Param where Value == String {
    /// Text; constant. Check what it must hold (an expression, path data) in `validate`.
    public static func string(_ name: String, default value: String, doc: String) -> Param<String> {
        Param(spec: ParameterSpec(name: name, type: .string, default: .string(value), doc: doc), defaultValue: value, decode: { $0.string })
    }
}

extension Param where Value: Choice {
    /// One of the words of `Value` (an enum of `String` raw values); the decoder refuses any
    /// other word at its line and column, so the pass never sees one.
    public static func choice(_ name: String, default value: Value, doc: String) -> Param<Value> {
        Param(spec: ParameterSpec(name: name, type: .string, default: .string(value.rawValue), doc: doc,
                                  choices: Value.allCases.map(\.rawValue)),
              defaultValue: value, decode: { $0.string.flatMap(Value.init(rawValue:)) })
    }
}

// MARK: - Reading

extension ParameterReading {
    /// The parameter's value at this frame: `context[Self.strength]`.
    public subscript<Value>(_ param: Param<Value>) -> Value { param.read(from: self) }
}

extension ResolvedValue {
    var number: Double? {
        if case let .number(v) = self { return v }
        return nil
    }

    /// A vec2, or one number standing for both components.
    var vec2: Vec2? {
        switch self {
        case let .vec2(v): return v
        case let .number(n): return Vec2(n, n)
        default: return nil
        }
    }

    var color: Color? {
        if case let .color(c) = self { return c }
        return nil
    }

    var bool: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }
}

extension ParameterValue {
    /// False when keyframed.
    public var isConstant: Bool {
        switch self {
        case let .number(a): return !a.isAnimated
        case let .color(a): return !a.isAnimated
        case let .vec2(a): return !a.isAnimated
        case .bool, .string: return true
        }
    }
}
