/// The JSON Schema (draft 2020-12) of scene format 1, for editors and for checking scene
/// files with any validator. Generated from the format's declarations (`Scene.Keys`,
/// `Layer.Keys`, `LayerKind`… and the plugins' `ParameterSpec`s), which the decoder reads
/// through too, so the two cannot disagree; a test validates every example scene against it.
public enum SceneSchema {
    /// The schema, with the parameters of every contribution in `catalog`.
    public static func document(catalog: PluginCatalog = .core) -> JSONValue {
        let top = Scene.Keys.self
        let properties: [(String, JSONValue)] = top.all.map(\.description).map { key in
            let value: JSONValue
            switch key.key {
            case top.reel.key: value = .object([("const", .number(Double(top.reel.defaultValue)))])
            case top.seed.key: value = .object([("type", "integer"), ("minimum", 0)])
            case top.assets.key, top.shaders.key:
                value = .object([("type", "object"), ("additionalProperties", .object([("type", "string"), ("minLength", 1)]))])
            case top.camera.key: value = object(Camera.Keys.all, catalog)
            default: value = schema(for: key, catalog)
            }
            return (key.key, described(value, key.fullDoc))
        }
        return .object([
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", "urn:reel:scene:1"),
            ("title", "Reel scene (format 1)"),
            ("type", "object"),
            ("required", .array(top.all.map(\.description).filter(\.required).map { .string($0.key) })),
            ("additionalProperties", false),
            ("properties", .object(properties)),
            ("$defs", definitions(catalog)),
        ])
    }

    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/$defs/\(name)"))]) }

    static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("type", "object"), ("additionalProperties", false)]
        if !required.isEmpty { pairs.append(("required", .array(required.map { .string($0) }))) }
        if let description { pairs.append(("description", .string(description))) }
        pairs.append(("properties", .object(properties)))
        return .object(pairs)
    }

    /// A mapping of declared keys, each described by its doc.
    static func object(_ keys: [any AnySceneProperty], _ catalog: PluginCatalog, description: String? = nil) -> JSONValue {
        let descriptions = keys.map(\.description)
        return object(descriptions.map { ($0.key, described(schema(for: $0, catalog), $0.fullDoc)) },
                      required: descriptions.filter(\.required).map(\.key), description: description)
    }

    static func anyOf(_ options: JSONValue...) -> JSONValue { .object([("anyOf", .array(options))]) }

    /// `value` with a description for editors' hovers and completions; one the value has
    /// already (`No installed plugin provides these.`) follows it.
    static func described(_ value: JSONValue, _ text: String) -> JSONValue {
        guard case var .object(pairs) = value else { return value }
        var description = text
        if let index = pairs.firstIndex(where: { $0.0 == "description" }) {
            if case let .string(own) = pairs[index].1 { description += " " + own }
            pairs.remove(at: index)
        }
        pairs.append(("description", .string(description)))
        return .object(pairs)
    }

    static func enumeration(_ values: [String]) -> JSONValue { .object([("enum", .array(values.map { .string($0) }))]) }

    /// `value` or `{ keys: [[time, value], [time, value, easing], …] }`.
    static func animatable(_ value: JSONValue) -> JSONValue {
        let key: JSONValue = .object([
            ("type", "array"), ("minItems", 2), ("maxItems", 3),
            ("prefixItems", [ref("time"), value, ref("easing")]),
        ])
        return anyOf(value, object([("keys", .object([("type", "array"), ("minItems", 1), ("items", key),
                                                      ("description", "Keyframes: [[time, value], [time, value, easing], …], in time order.")]))],
                                   required: ["keys"]))
    }

    /// How a declared key's value is written, keyframes included where it takes them.
    static func schema(for key: PropertyDescription, _ catalog: PluginCatalog) -> JSONValue {
        let value: JSONValue
        switch key.type {
        case .number: value = key.range == nil ? ref("number") : anyOf(bounded("number", key), ref("template"))
        case .integer: value = anyOf(bounded("integer", key), ref("template"))
        case .bool: value = anyOf(.object([("type", "boolean")]), ref("template"))
        case .text, .pathData, .asset: value = .object([("type", "string")])
        case .identifier: value = .object([("type", "string"), ("pattern", "^\\S+$")])
        case .color: value = ref("color")
        case .time: value = ref("time")
        case .vec2, .vec2OrNumber:
            let component = key.range == nil ? ref("number") : anyOf(bounded("number", key), ref("template"))
            let pair = key.range == nil ? ref("vec2") : anyOf(.object([("type", "array"), ("prefixItems", [component, component]),
                                                                       ("minItems", 2), ("maxItems", 2)]), ref("template"))
            value = key.type == .vec2 ? pair : anyOf(pair, component)
        case .pixelSize:
            value = .object([("type", "array"), ("minItems", 2), ("maxItems", 2), ("prefixItems", [ref("pixels"), ref("pixels")])])
        case let .choice(words): value = anyOf(enumeration(words), ref("template"))
        case let .count(values): value = .object([("enum", .array(values.map { .number(Double($0)) }))])
        // Fill and stroke are animated inside (a paint's keyframes; a stroke's keys).
        case .paint: return anyOf(.object([("const", "none")]), animatable(ref("paint")))
        case .stroke: return anyOf(.object([("const", "none")]), ref("stroke"))
        case .trim: value = object(Trim.Keys.all, catalog)
        case .mask: value = anyOf(.object([("type", "string")]), object(Mask.Keys.all, catalog))
        case .font: value = object(Font.Keys.all, catalog)
        case .fontWeight: value = anyOf(.object([("type", "integer"), ("minimum", 100), ("maximum", 900)]), enumeration(Font.weightNames.keys.sorted()))
        case .dashes: value = .object([("type", "array"), ("minItems", 1), ("maxItems", 64), ("items", ref("nonNegative"))])
        case .stops:
            value = .object([("type", "array"), ("minItems", 2), ("items", .object([
                ("type", "array"), ("minItems", 2), ("maxItems", 2), ("prefixItems", [ref("unit"), ref("color")]),
            ]))])
        case .parameters: value = .object([("type", "object")])
        case .layers: value = ref("layers")
        case .passes: value = pluginList(catalog, kind: .pass)
        case .animations: value = pluginList(catalog, kind: .animation)
        case let .section(name): value = ref(name)
        }
        return key.animatable ? animatable(value) : value
    }

    /// A number or integer with the key's bounds.
    static func bounded(_ type: String, _ key: PropertyDescription) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("type", .string(type))]
        if let minimum = key.minimum, minimum > -.greatestFiniteMagnitude {
            pairs.append((key.exclusiveMinimum ? "exclusiveMinimum" : "minimum", .number(minimum)))
        }
        if let maximum = key.maximum, maximum < .greatestFiniteMagnitude { pairs.append(("maximum", .number(maximum))) }
        return .object(pairs)
    }

    /// A layer kind's value: its mapping of keys, and the shorter forms some kinds take.
    static func kind(_ kind: LayerKind, _ catalog: PluginCatalog) -> JSONValue {
        let mapping = object(kind.keys, catalog)
        switch kind {
        case .path:
            return anyOf(animatable(.object([("type", "string")])), mapping)
        case .text:
            return animatable(.object([("type", "string")]))
        case .image, .video:
            return anyOf(.object([("type", "string")]), mapping)
        case .group:
            return anyOf(ref("layers"), mapping)
        case .shader:
            // Installed layer kinds, or a shader file the scene names under `shaders:`.
            let names = catalog.contributions.filter { $0.kind == .layer }.flatMap { [$0.qualifiedName, $0.name] }
            return object(kind.keys.map { key -> (String, JSONValue) in
                guard key.key == LayerKind.ShaderKeys.name.key else { return (key.key, described(schema(for: key, catalog), key.fullDoc)) }
                return (key.key, .object([("type", "string"), ("minLength", 1),
                                          ("description", .string(key.fullDoc + (names.isEmpty ? "" : " Installed: " + names.joined(separator: ", ") + ".")))]))
            }, required: kind.keys.filter(\.required).map(\.key))
        default:
            return mapping
        }
    }

    static func definitions(_ catalog: PluginCatalog) -> JSONValue {
        let template: JSONValue = .object([("type", "string"), ("pattern", "\\{\\{\\s*[A-Za-z][A-Za-z0-9_]*\\s*\\}\\}"),
                                          ("description", "A {{parameter}} reference, replaced before the scene is read.")])
        let number = anyOf(.object([("type", "number")]), ref("template"))
        let nonNegative = anyOf(.object([("type", "number"), ("minimum", 0)]), ref("template"))
        let unit = anyOf(.object([("type", "number"), ("minimum", 0), ("maximum", 1)]), ref("template"))
        let vec2 = anyOf(.object([("type", "array"), ("prefixItems", [number, number]), ("minItems", 2), ("maxItems", 2)]), ref("template"))
        let vec2OrNumber = anyOf(vec2, number)
        let colorNames = Color.named.keys.sorted()
        let color = anyOf(.object([("type", "string"), ("pattern", "^\\s*#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})\\s*$")]),
                          .object([("type", "string"), ("pattern", "^\\s*(rgba?|hsla?)\\(.*\\)\\s*$")]),
                          .object([("type", "string"), ("enum", .array(colorNames.map { .string($0) }))]), ref("template"))
        let time = anyOf(.object([("type", "number"), ("minimum", 0)]),
                         .object([("type", "string"), ("pattern", "^\\s*((\\d+(\\.\\d*)?|\\.\\d+)(ms|s)?|\\d+f)\\s*$")]), ref("template"))
        let easing = anyOf(enumeration(Easing.allNames),
                           .object([("type", "string"), ("pattern", "^(cubicBezier|steps|spring)\\(.*\\)$")]))
        let paint = anyOf(ref("color"),
                          object([(Paint.LinearKeys.name, described(object(Paint.LinearKeys.all, catalog), Paint.LinearKeys.doc))],
                                 required: [Paint.LinearKeys.name]),
                          object([(Paint.RadialKeys.name, described(object(Paint.RadialKeys.all, catalog), Paint.RadialKeys.doc))],
                                 required: [Paint.RadialKeys.name]))
        let stroke = anyOf(ref("color"), object(Stroke.Keys.all, catalog))
        let kinds = LayerKind.all.map { ($0.name, described(kind($0, catalog), $0.doc)) }
        let common = (Layer.Keys.all + TextContent.Keys.all).map(\.description).map { ($0.key, described(schema(for: $0, catalog), $0.fullDoc)) }
        let layer: JSONValue = .object([
            ("type", "object"), ("additionalProperties", false),
            ("description", "A layer: exactly one kind key plus common properties."),
            ("properties", .object(common + kinds)),
            ("oneOf", .array(kinds.map { .object([("required", [.string($0.0)])]) })),
        ])
        let declared = ParameterDeclaration.Keys.self
        let parameter = anyOf(.object([("type", ["number", "string", "boolean"])]), object(declared.all.map(\.description).map { key in
            // A default is whatever the parameter's type takes, so it is checked once the type is known.
            let value: JSONValue = key.key == declared.default.key ? .object([("type", ["number", "string", "boolean", "array"])])
                : key.type == .number ? .object([("type", "number")]) : schema(for: key, catalog)
            return (key.key, described(value, key.fullDoc))
        }, required: declared.all.map(\.description).filter(\.required).map(\.key)))
        let canvas = object(Canvas.Keys.all, catalog, description: "The picture: size, frame rate, length, background and multisampling.")
        return .object([
            ("template", template), ("number", number), ("nonNegative", nonNegative), ("unit", unit),
            ("pixels", anyOf(.object([("type", "integer"), ("minimum", 1), ("maximum", 16384)]), ref("template"))),
            ("vec2", vec2), ("vec2OrNumber", vec2OrNumber), ("color", color), ("time", time), ("easing", easing),
            ("paint", paint), ("stroke", stroke), ("canvas", canvas),
            ("params", .object([("type", "object"), ("propertyNames", .object([("pattern", "^[A-Za-z][A-Za-z0-9_]*$")])), ("additionalProperties", parameter)])),
            ("layer", layer),
            ("layers", .object([("type", "array"), ("items", ref("layer"))])),
        ])
    }

    static func parameters(_ specs: [ParameterSpec]) -> JSONValue {
        object(specs.map { spec in
            let value: JSONValue
            switch spec.type {
            case .number, .time: value = animatable(ref(spec.type == .time ? "time" : "number"))
            case .integer: value = animatable(anyOf(.object([("type", "integer")]), ref("template")))
            case .bool: value = .object([("type", "boolean")])
            case .string: value = spec.choices.map(enumeration) ?? .object([("type", "string")])
            case .color: value = animatable(ref("color"))
            case .vec2: value = animatable(ref("vec2OrNumber"))
            }
            return (spec.name, .object([("description", .string(spec.doc)), ("allOf", [value])]))
        })
    }

    static func pluginList(_ catalog: PluginCatalog, kind: ContributionDescriptor.Kind) -> JSONValue {
        let uses = catalog.contributions.filter { $0.kind == kind }
        guard !uses.isEmpty else {
            return .object([("type", "array"), ("maxItems", 0), ("description", "No installed plugin provides these.")])
        }
        var options: [JSONValue] = []
        var known: [JSONValue] = []
        for use in uses {
            for name in [use.qualifiedName, use.name] {
                options.append(object([(name, described(anyOf(.object([("type", "null")]), parameters(use.parameters)), use.summary))],
                                      required: [name], description: use.summary))
                known.append(.string(name))
            }
        }
        if kind == .pass {
            // A scene's own shader files (`shaders:`) are passes too; their inputs are only
            // known once the file is read, so `reel validate` checks them.
            options.append(.object([
                ("type", "object"), ("minProperties", 1), ("maxProperties", 1),
                ("propertyNames", .object([("not", .object([("enum", .array(known))]))])),
                ("additionalProperties", .object([("type", .array(["object", "null"]))])),
                ("description", "a shader file named under shaders:"),
            ]))
        }
        return .object([("type", "array"), ("items", .object([("anyOf", .array(options))]))])
    }
}
