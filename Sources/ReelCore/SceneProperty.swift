/// One key of the scene format, declared once: its name, how it is written, its default,
/// its range, whether it takes keyframes, and what it means.
///
/// Every core key a scene can write is a `SceneProperty` (on the type that holds it:
/// `Layer.Keys.opacity`, `Canvas.Keys.fps`, `Stroke.Keys.width`…). The decoder reads the key
/// through it — the default for an absent key, the range it checks, keyframes or not — the
/// model's initialisers take their defaults from it, and `reel schema` and the README's format
/// tables are generated from it (`SceneSchema`, `FormatTables`). So a new property is one
/// declaration, one field and the code that draws it, and the schema cannot disagree with the
/// reader.
public struct SceneProperty<Value: Sendable>: Sendable, AnySceneProperty {
    /// What the schema, the README's tables and `reel schema` say about the key.
    public let description: PropertyDescription
    /// What an absent key gives (nil for a key that has none: optional or required).
    public let defaultValue: Value
    /// Reads a written value (not keyframes), reporting any problem; nil after a report.
    let parse: @Sendable (SceneReader, SourceNode, String) -> Value?

    /// The scene-file key.
    public var key: String { description.key }

    init(_ description: PropertyDescription, default value: Value, parse: @escaping @Sendable (SceneReader, SourceNode, String) -> Value?) {
        (self.description, self.defaultValue, self.parse) = (description, value, parse)
    }

    /// The same key with no default: absent means none (or, when `required`, is an error).
    /// `absent` says what an absent key means, for the docs (`the canvas centre`).
    func optional(absent: String? = nil, required: Bool = false) -> SceneProperty<Value?> {
        var description = self.description
        (description.defaultText, description.required) = (absent, required)
        let parse = self.parse
        return SceneProperty<Value?>(description, default: nil) { reader, node, path in parse(reader, node, path).map { .some($0) } }
    }

    /// The same key, which a scene file must write; `defaultValue` is then only the model's
    /// default for values built in code.
    func required() -> SceneProperty<Value> {
        var description = self.description
        description.required = true
        return SceneProperty(description, default: defaultValue, parse: parse)
    }
}

/// A `SceneProperty` of any value type, for lists of keys (a type's `Keys.all`).
public protocol AnySceneProperty: Sendable {
    var description: PropertyDescription { get }
}

/// Everything about a key except its Swift type: what the JSON Schema, the README's tables and
/// messages are made from.
public struct PropertyDescription: Sendable, Hashable {
    public var key: String
    public var type: PropertyType
    /// What an absent key means, as the docs say it (`1`, `[0, 0]`, `black`, `5s`, `the canvas
    /// centre`); nil when the key has no default (optional keys without one, required keys).
    public var defaultText: String?
    /// A scene file must write it.
    public var required: Bool = false
    /// Bounds of a number (of each component of a vec2).
    public var minimum: Double?
    public var maximum: Double?
    /// True when the value must be above `minimum`, not equal to it.
    public var exclusiveMinimum = false
    /// Takes keyframes: `{ keys: [[time, value], …] }`.
    public var animatable: Bool
    /// What it means, one or two sentences; the default is stated from `defaultText`, not here.
    public var doc: String

    /// The doc with its default, as `reel schema` shows editors.
    public var fullDoc: String {
        guard let defaultText else { return doc }
        return doc + " The default is \(defaultText)."
    }

    var range: ClosedRange<Double>? {
        guard minimum != nil || maximum != nil else { return nil }
        return (minimum ?? -.greatestFiniteMagnitude)...(maximum ?? .greatestFiniteMagnitude)
    }
}

/// How a key's value is written: the vocabulary of the schema and the README's tables.
public enum PropertyType: Sendable, Hashable {
    case number
    case integer
    case bool
    case text
    /// A colour: `"#e94560"`, `rgb(…)`, `hsl(…)` or a CSS name.
    case color
    /// `2s`, `500ms`, `90f` or seconds.
    case time
    /// `[x, y]`.
    case vec2
    /// `[x, y]`, or one number for both.
    case vec2OrNumber
    /// One of these words.
    case choice([String])
    /// One of these whole numbers (`samples: 1, 2, 4, 8, 16`).
    case count([Int])
    /// A colour, a gradient or `none` (`fill`).
    case paint
    /// A colour, `{ color, width, … }` (`Stroke.Keys`) or `none`.
    case stroke
    /// `{ start, end, offset }` (`Trim.Keys`).
    case trim
    /// A sibling's id or `{ layer, mode, invert }` (`Mask.Keys`).
    case mask
    /// `{ family, size, weight, style }` (`Font.Keys`).
    case font
    /// 100…900 or a weight's name (`Font.weightNames`).
    case fontWeight
    /// A list of dash and gap lengths.
    case dashes
    /// A list of gradient stops `[offset, colour]`.
    case stops
    /// SVG path data.
    case pathData
    /// A name without spaces.
    case identifier
    /// An asset's name, or a file path.
    case asset
    /// A list of layers.
    case layers
    /// A list of post passes (`{ name: { parameter: value } }`).
    case passes
    /// A list of animation passes.
    case animations
    /// `[width, height]` in whole pixels.
    case pixelSize
    /// A plugin's parameters by name (`shader: { params }`), checked against its declarations.
    case parameters
    /// A mapping this format describes elsewhere (`params`, `assets`, `shaders`, `canvas`, `camera`).
    case section(String)
}

// MARK: - Declaring

extension SceneProperty where Value == Double {
    /// A number in `range` (above its lower bound when `exclusiveMinimum`).
    static func number(_ key: String, default value: Double, in range: ClosedRange<Double>? = nil, exclusiveMinimum: Bool = false,
                       animatable: Bool = true, doc: String) -> SceneProperty<Double> {
        let description = PropertyDescription(key: key, type: .number, defaultText: value.clean, minimum: range?.lowerBound,
                                              maximum: range?.upperBound, exclusiveMinimum: exclusiveMinimum, animatable: animatable, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in
            reader.double(node, path: path, in: range, exclusiveLower: exclusiveMinimum)
        }
    }

    /// A time: `2s`, `500ms`, `90f` or seconds.
    static func time(_ key: String, default seconds: Double, animatable: Bool = false, doc: String) -> SceneProperty<Double> {
        let description = PropertyDescription(key: key, type: .time, defaultText: SceneTime.seconds(seconds).description, animatable: animatable, doc: doc)
        return SceneProperty(description, default: seconds) { reader, node, path in reader.time(node, path: path) }
    }
}

extension SceneProperty where Value == Int {
    /// A whole number in `range`.
    static func integer(_ key: String, default value: Int, in range: ClosedRange<Int>? = nil, doc: String) -> SceneProperty<Int> {
        let description = PropertyDescription(key: key, type: .integer, defaultText: "\(value)", minimum: range.map { Double($0.lowerBound) },
                                              maximum: range.map { Double($0.upperBound) }, animatable: false, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.int(node, path: path, in: range) }
    }
}

extension SceneProperty where Value == Vec2 {
    /// `[x, y]` with each component in `range`; with `scalar`, one number stands for both.
    static func vec2(_ key: String, default value: Vec2, scalar: Bool = false, in range: ClosedRange<Double>? = nil,
                     animatable: Bool = true, doc: String) -> SceneProperty<Vec2> {
        let description = PropertyDescription(key: key, type: scalar ? .vec2OrNumber : .vec2,
                                              defaultText: scalar && value.x == value.y ? value.x.clean : "[\(value.x.clean), \(value.y.clean)]",
                                              minimum: range?.lowerBound, maximum: range?.upperBound, animatable: animatable, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.vec2(node, path: path, allowScalar: scalar, in: range) }
    }
}

extension SceneProperty where Value == Color {
    /// A colour.
    static func color(_ key: String, default value: Color, animatable: Bool = true, doc: String) -> SceneProperty<Color> {
        let name = Color.named.filter { $0.value == value }.keys.sorted().first
        let description = PropertyDescription(key: key, type: .color, defaultText: name ?? value.description, animatable: animatable, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.color(node, path: path) }
    }
}

extension SceneProperty where Value == Bool {
    /// `true` or `false`.
    static func bool(_ key: String, default value: Bool, doc: String) -> SceneProperty<Bool> {
        let description = PropertyDescription(key: key, type: .bool, defaultText: value ? "true" : "false", animatable: false, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.bool(node, path: path) }
    }
}

extension SceneProperty where Value == String {
    /// Any text; with `animatable`, keyframes switch it.
    static func text(_ key: String, default value: String, type: PropertyType = .text, animatable: Bool = false, doc: String) -> SceneProperty<String> {
        let description = PropertyDescription(key: key, type: type, defaultText: value, animatable: animatable, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.string(node, path: path) }
    }
}

extension SceneProperty where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the enum's words.
    static func choice(_ key: String, default value: Value, doc: String) -> SceneProperty<Value> {
        let description = PropertyDescription(key: key, type: .choice(Value.allCases.map(\.rawValue)), defaultText: value.rawValue,
                                              animatable: false, doc: doc)
        return SceneProperty(description, default: value) { reader, node, path in reader.enumValue(node, path: path, Value.self) }
    }
}

extension SceneProperty {
    /// A key whose value is read by code of its own (a paint, a stroke, a font): declared here
    /// for the schema and the docs, read by `parse`.
    static func custom(_ key: String, type: PropertyType, default value: Value, defaultText: String?, animatable: Bool = false,
                       doc: String, parse: @escaping @Sendable (SceneReader, SourceNode, String) -> Value?) -> SceneProperty<Value> {
        SceneProperty(PropertyDescription(key: key, type: type, defaultText: defaultText, animatable: animatable, doc: doc), default: value,
                      parse: parse)
    }
}
