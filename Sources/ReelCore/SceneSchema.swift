/// The JSON Schema (draft 2020-12) of scene format 1, for editors and for checking scene
/// files with any validator. It mirrors `SceneReader`: when one changes, change the other
/// (a test validates every example scene against this schema).
public enum SceneSchema {
    /// The schema, with the parameters of every contribution in `catalog`.
    public static func document(catalog: PluginCatalog = .core) -> JSONValue {
        .object([
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", "urn:reel:scene:1"),
            ("title", "Reel scene (format 1)"),
            ("type", "object"),
            ("required", ["reel", "canvas"]),
            ("additionalProperties", false),
            ("properties", .object([
                ("reel", .object([("const", 1), ("description", "The scene-file format version.")])),
                ("canvas", ref("canvas")),
                ("seed", .object([("type", "integer"), ("minimum", 0), ("description", "Seeds every deterministic random choice.")])),
                ("params", ref("params")),
                ("assets", .object([("type", "object"), ("additionalProperties", .object([("type", "string"), ("minLength", 1)])),
                                    ("description", "Named files; paths are relative to the scene file.")])),
                ("shaders", .object([("type", "object"), ("additionalProperties", .object([("type", "string"), ("minLength", 1)])),
                                     ("description", "ISF (.fs) and Shadertoy-style (.glsl) files by name; paths are relative to the scene file.")])),
                ("camera", object([("position", animatable(ref("vec2"))), ("zoom", animatable(ref("number"))), ("rotation", animatable(ref("number")))],
                                  description: "A 2D camera: the canvas point at the picture's centre, zoom and rotation.")),
                ("layers", ref("layers")),
                ("passes", pluginList(catalog, kind: .pass)),
            ])),
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

    static func anyOf(_ options: JSONValue...) -> JSONValue { .object([("anyOf", .array(options))]) }

    /// `value` with a description for editors' hovers and completions.
    static func described(_ value: JSONValue, _ text: String) -> JSONValue {
        guard case var .object(pairs) = value else { return value }
        pairs.removeAll { $0.0 == "description" }
        pairs.append(("description", .string(text)))
        return .object(pairs)
    }

    /// What each core property means, as `reel schema` shows editors.
    static let propertyDocs: [String: String] = [
        "id": "Names the layer in messages, masks and plugin parameters; unique in the scene. The default is layer<index> (<group id>.<index> inside a group).",
        "position": "Where the layer's anchor sits in its parent, in pixels: (0, 0) is the top-left corner and y points down. The default is [0, 0].",
        "anchor": "The point of the layer's own coordinates (origin at the middle of its shape or text block) that position places and rotation, skew and scale turn about. The default is [0, 0].",
        "scale": "A multiple of the layer's size, one number or [x, y]; scaling a rounded rect squashes its corners. The default is 1.",
        "rotation": "Degrees, clockwise, about the anchor. The default is 0.",
        "skew": "[x, y] degrees of shear about the anchor. The default is [0, 0].",
        "opacity": "0 to 1, applied to the layer as a whole (a group fades as one). The default is 1.",
        "fill": "A colour (\"#e94560\", rgb(…), hsl(…), a CSS name), a linear or radial gradient in the layer's own coordinates with [offset, colour] stops, or none.",
        "stroke": "A colour, or { color, width, cap, join, miterLimit, dash, dashOffset }; a line is drawn by its stroke (white 2 px by default).",
        "trim": "Draws part of the outline: start and end are fractions 0 to 1 of its length, offset moves both.",
        "blend": "How the layer combines with what is under it (W3C separable blend modes). The default is normal.",
        "in": "When the layer appears: 2s, 500ms, 90f or seconds. The default is the start.",
        "out": "When the layer disappears. The default is the end.",
        "visible": "false hides the layer (a mask source usually is). The default is true.",
        "mask": "A sibling layer's id, or { layer, mode: alpha | luminance, invert }: the layer shows only where the mask does.",
        "effects": "Post passes over this layer alone (postfx.*, shader files).",
        "animate": "Animation passes run on this layer after its keyframes (motion.*).",
        "font": "{ family, size, weight (100–900 or thin…black), style: normal | italic } for a text layer. The default is DejaVu Sans 48 regular.",
        "align": "Text alignment about the position. The default is center.",
        "lineHeight": "Line spacing as a multiple of the font size. The default is 1.2.",
        "letterSpacing": "Extra space between letters, in pixels. The default is 0.",
        "rect": "A rectangle centred on the layer's origin: { size: [w, h], radius }.",
        "circle": "A circle centred on the layer's origin: { radius }.",
        "ellipse": "An ellipse centred on the layer's origin: { size: [w, h] }.",
        "polygon": "A regular polygon: { sides, radius }.",
        "star": "A star: { points, radius, innerRadius }.",
        "line": "A line from one point to another in the layer's coordinates, drawn by its stroke.",
        "path": "SVG path data (M L H V C S Q T A Z), or { d, fillRule: nonzero | evenodd }.",
        "text": "The text; placed by the middle of its block of lines. See font, align, lineHeight, letterSpacing.",
        "image": "An asset name or path, or { asset, size, fit: contain | cover | stretch | none }.",
        "video": "Like image, plus start (offset into the clip), speed and loop.",
        "group": "A list of layers (or { layers: [...] }) moved, faded and composited as one; children are placed in the group's coordinates.",
        "shader": "A layer drawn by a shader file: { name, size, params }.",
        "size": "[width, height] in pixels.",
        "fps": "Frames per second. The default is 30.",
        "duration": "The scene's length: 2s, 500ms, 90f or seconds. The default is 5s.",
        "background": "The colour behind every layer. The default is black.",
        "samples": "Multisampling for antialiased edges: 1, 2, 4, 8 or 16. The default is 4.",
    ]

    /// Properties with their descriptions attached.
    static func documented(_ properties: [(String, JSONValue)]) -> [(String, JSONValue)] {
        properties.map { key, value in (key, propertyDocs[key].map { described(value, $0) } ?? value) }
    }

    static func enumeration(_ values: [String]) -> JSONValue { .object([("enum", .array(values.map { .string($0) }))]) }

    /// `value` or `{ keys: [[time, value], [time, value, easing], …] }`.
    static func animatable(_ value: JSONValue) -> JSONValue {
        let key: JSONValue = .object([
            ("type", "array"), ("minItems", 2), ("maxItems", 3),
            ("prefixItems", [ref("time"), value, ref("easing")]),
        ])
        return anyOf(value, object([("keys", .object([("type", "array"), ("minItems", 1), ("items", key)]))], required: ["keys"]))
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
        let stops: JSONValue = .object([("type", "array"), ("minItems", 2), ("items", .object([
            ("type", "array"), ("minItems", 2), ("maxItems", 2), ("prefixItems", [unit, ref("color")]),
        ]))])
        let paint = anyOf(ref("color"),
                          object([("linear", object([("from", ref("vec2")), ("to", ref("vec2")), ("stops", stops)], required: ["from", "to", "stops"]))], required: ["linear"]),
                          object([("radial", object([("center", ref("vec2")), ("radius", nonNegative), ("stops", stops)], required: ["radius", "stops"]))], required: ["radial"]))
        let stroke = anyOf(ref("color"), object([
            ("color", animatable(ref("color"))), ("width", animatable(ref("nonNegative"))), ("cap", enumeration(LineCap.allCases.map(\.rawValue))),
            ("join", enumeration(LineJoin.allCases.map(\.rawValue))), ("miterLimit", animatable(ref("number"))),
            ("dash", animatable(.object([("type", "array"), ("minItems", 1), ("maxItems", 64), ("items", ref("nonNegative"))]))),
            ("dashOffset", animatable(ref("number"))),
        ], required: ["color"]))
        let mask = anyOf(.object([("type", "string")]), object([
            ("layer", .object([("type", "string")])), ("mode", enumeration(MaskMode.allCases.map(\.rawValue))), ("invert", .object([("type", "boolean")])),
        ], required: ["layer"]))
        let picture: (Bool) -> JSONValue = { video in
            var props: [(String, JSONValue)] = [("asset", .object([("type", "string")])), ("size", animatable(ref("vec2OrNumber"))),
                                                ("fit", enumeration(Fit.allCases.map(\.rawValue)))]
            if video {
                props += [("start", ref("time")), ("speed", .object([("type", "number"), ("exclusiveMinimum", 0)])), ("loop", .object([("type", "boolean")]))]
            }
            return anyOf(.object([("type", "string")]), object(props, required: ["asset"]))
        }
        let kinds: [(String, JSONValue)] = [
            ("rect", object([("size", animatable(ref("vec2OrNumber"))), ("radius", animatable(ref("nonNegative")))], required: ["size"])),
            ("circle", object([("radius", animatable(ref("nonNegative")))], required: ["radius"])),
            ("ellipse", object([("size", animatable(ref("vec2OrNumber")))], required: ["size"])),
            ("polygon", object([("sides", .object([("type", "integer"), ("minimum", 3), ("maximum", 1000)])), ("radius", animatable(ref("nonNegative")))], required: ["sides", "radius"])),
            ("star", object([("points", .object([("type", "integer"), ("minimum", 2), ("maximum", 1000)])), ("radius", animatable(ref("nonNegative"))),
                             ("innerRadius", animatable(ref("nonNegative")))], required: ["points", "radius"])),
            ("line", object([("from", animatable(ref("vec2"))), ("to", animatable(ref("vec2")))], required: ["from", "to"])),
            ("path", anyOf(animatable(.object([("type", "string")])),
                           object([("d", animatable(.object([("type", "string")]))), ("fillRule", enumeration(FillRule.allCases.map(\.rawValue)))], required: ["d"]))),
            ("text", animatable(.object([("type", "string")]))),
            ("image", picture(false)),
            ("video", picture(true)),
            ("group", anyOf(ref("layers"), object([("layers", ref("layers"))], required: ["layers"]))),
            ("shader", shaderLayer(catalog)),
        ]
        let common: [(String, JSONValue)] = [
            ("id", .object([("type", "string"), ("pattern", "^\\S+$")])),
            ("position", animatable(ref("vec2"))), ("anchor", animatable(ref("vec2"))), ("scale", animatable(ref("vec2OrNumber"))),
            ("rotation", animatable(ref("number"))), ("skew", animatable(ref("vec2"))), ("opacity", animatable(ref("unit"))),
            ("fill", anyOf(.object([("const", "none")]), animatable(ref("paint")))),
            ("stroke", anyOf(.object([("const", "none")]), ref("stroke"))),
            ("trim", object([("start", animatable(ref("unit"))), ("end", animatable(ref("unit"))), ("offset", animatable(ref("number")))])),
            ("blend", enumeration(BlendMode.allCases.map(\.rawValue))),
            ("in", ref("time")), ("out", ref("time")), ("visible", .object([("type", "boolean")])), ("mask", mask),
            ("effects", pluginList(catalog, kind: .pass)), ("animate", pluginList(catalog, kind: .animation)),
            ("font", object([("family", .object([("type", "string")])), ("size", animatable(ref("nonNegative"))),
                             ("weight", anyOf(.object([("type", "integer"), ("minimum", 100), ("maximum", 900)]), enumeration(Font.weightNames.keys.sorted()))),
                             ("style", enumeration(["normal", "italic"]))])),
            ("align", enumeration(TextAlign.allCases.map(\.rawValue))),
            ("lineHeight", animatable(ref("nonNegative"))), ("letterSpacing", animatable(ref("number"))),
        ]
        let layer: JSONValue = .object([
            ("type", "object"), ("additionalProperties", false),
            ("description", "A layer: exactly one kind key plus common properties."),
            ("properties", .object(documented(common + kinds))),
            ("oneOf", .array(kinds.map { .object([("required", [.string($0.0)])]) })),
        ])
        let parameter = anyOf(.object([("type", ["number", "string", "boolean"])]), object([
            ("type", enumeration(ParameterType.allCases.map(\.rawValue))), ("default", .object([("type", ["number", "string", "boolean", "array"])])),
            ("doc", .object([("type", "string")])), ("min", .object([("type", "number")])), ("max", .object([("type", "number")])),
        ], required: ["type", "default"]))
        let canvas = object(documented([
            ("size", .object([("type", "array"), ("minItems", 2), ("maxItems", 2), ("prefixItems", [ref("pixels"), ref("pixels")])])),
            ("fps", anyOf(.object([("type", "number"), ("exclusiveMinimum", 0), ("maximum", 1000)]), ref("template"))),
            ("duration", ref("time")), ("background", ref("color")), ("samples", .object([("enum", [1, 2, 4, 8, 16])])),
        ]), required: ["size"], description: "The picture: size, frame rate, length, background and multisampling.")
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
                options.append(object([(name, anyOf(.object([("type", "null")]), parameters(use.parameters)))], required: [name], description: use.summary))
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

    static func shaderLayer(_ catalog: PluginCatalog) -> JSONValue {
        let names = catalog.contributions.filter { $0.kind == .layer }.flatMap { [$0.qualifiedName, $0.name] }
        return object([
            // Installed layer kinds, or a shader file the scene names under `shaders:`.
            ("name", .object([("type", "string"), ("minLength", 1),
                              ("description", .string("a shader file named under shaders:" + (names.isEmpty ? "" : ", or one of " + names.joined(separator: ", "))))])),
            ("size", animatable(ref("vec2OrNumber"))), ("params", .object([("type", "object")])),
        ], required: ["name"])
    }
}
