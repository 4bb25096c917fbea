/// The scene format (version 1), declared key by key: each key once, on the type that holds
/// it. The decoder reads through these declarations, the model's initialisers take their
/// defaults from them, and `reel schema` and the README's format tables are generated from
/// them. See `SceneProperty`.

// MARK: - The scene

extension Scene {
    /// The top-level keys.
    public enum Keys {
        public static let reel = SceneProperty.integer("reel", default: 1, in: 1...1, doc: "The format version.").required()
        public static let canvas = SceneProperty.custom("canvas", type: .section("canvas"), default: Canvas(), defaultText: nil,
                                                        doc: "The picture: size, frame rate, length, background and multisampling (`Canvas.Keys`).",
                                                        parse: { reader, node, path in reader.canvas(node, path: path) }).required()
        public static let seed = SceneProperty.custom("seed", type: .integer, default: UInt64(0), defaultText: "0",
                                                      doc: "Seeds every deterministic random choice (plugins get a generator keyed by seed, layer and frame).",
                                                      parse: { reader, node, path in reader.seed(node, path: path) })
        public static let params = PropertyDescription(
            key: "params", type: .section("params"), animatable: false,
            doc: "`name: default` (the type follows the default) or `name: { type, default, doc, min, max }` (`ParameterDeclaration.Keys`). `{{name}}` in any value is replaced; `--set name=value` overrides, type-checked.")
        public static let assets = PropertyDescription(key: "assets", type: .section("assets"), animatable: false,
                                                       doc: "`name: path`, relative to the scene file.")
        public static let shaders = PropertyDescription(
            key: "shaders", type: .section("shaders"), animatable: false,
            doc: "`name: path` to ISF (`.fs`) or Shadertoy-style (`.glsl`) files, relative to the scene file; each becomes a layer kind or pass named `name` whose inputs are parameters.")
        public static let camera = SceneProperty.custom("camera", type: .section("camera"), default: Camera?.none, defaultText: nil,
                                                        doc: "A 2D camera over the canvas: `{ position, zoom, rotation }` (`Camera.Keys`).",
                                                        parse: { reader, node, path in reader.camera(node, path: path).map { .some($0) } })
        public static let layers = PropertyDescription(key: "layers", type: .layers, animatable: false, doc: "The layers, bottom first.")
        public static let passes = PropertyDescription(key: "passes", type: .passes, animatable: false,
                                                       doc: "Post passes over the frame, in order: `[{ bloom: { threshold: 0.8 } }, { vignette: {} }]`.")

        /// Every top-level key, in the order the docs list them.
        public static let all: [any AnySceneProperty] = [reel, canvas, seed, params, assets, shaders, camera, layers, passes]
    }
}

extension Canvas {
    /// The keys of `canvas`.
    public enum Keys {
        public static let size = SceneProperty.custom("size", type: .pixelSize, default: Vec2(1920, 1080), defaultText: "1920×1080",
                                                      doc: "[width, height] in whole pixels.",
                                                      parse: { reader, node, path in reader.vec2(node, path: path, allowScalar: false) }).required()
        public static let fps = SceneProperty.number("fps", default: 30, in: 0...1000, exclusiveMinimum: true, animatable: false,
                                                     doc: "Frames per second.")
        public static let duration = SceneProperty.time("duration", default: 5, doc: "The scene's length: 2s, 500ms, 90f or seconds.")
        public static let background = SceneProperty.color("background", default: .black, animatable: false, doc: "The colour behind every layer.")
        public static let samples = SceneProperty.custom("samples", type: .count([1, 2, 4, 8, 16]), default: 4, defaultText: "4",
                                                         doc: "Multisampling for antialiased edges: 1 (off), 2, 4, 8 or 16.",
                                                         parse: { reader, node, path in reader.int(node, path: path) })

        public static let all: [any AnySceneProperty] = [size, fps, duration, background, samples]
    }
}

extension Camera {
    /// The keys of `camera`; every one takes keyframes.
    public enum Keys {
        public static let position = SceneProperty.vec2("position", default: .zero, doc: "The canvas point shown at the picture's centre.")
            .optional(absent: "the canvas centre")
        public static let zoom = SceneProperty.number("zoom", default: 1, in: 0...1000, exclusiveMinimum: true, doc: "2 shows things twice as large.")
        public static let rotation = SceneProperty.number("rotation", default: 0, doc: "Degrees, clockwise: the picture turns the other way.")

        public static let all: [any AnySceneProperty] = [position, zoom, rotation]
    }
}

extension ParameterDeclaration {
    /// The keys of a parameter declared in the long form, `name: { type, default, … }`.
    public enum Keys {
        public static let type = SceneProperty.choice("type", default: ParameterType.number, doc: "What values it takes.").required()
        public static let `default` = PropertyDescription(key: "default", type: .text, required: true, animatable: false,
                                                          doc: "Its value unless `--set` gives another; it must fit the type.")
        public static let doc = SceneProperty.text("doc", default: "", doc: "One line saying what it does, shown by `reel info`.")
            .optional()
        public static let min = SceneProperty.number("min", default: 0, animatable: false, doc: "The smallest value a number may take.").optional()
        public static let max = SceneProperty.number("max", default: 0, animatable: false, doc: "The largest value a number may take.").optional()

        public static let all: [any AnySceneProperty] = [type, `default`, doc, min, max]
    }
}

// MARK: - Layers

extension Layer {
    /// The keys every layer may have, beside its kind (`LayerKind`).
    public enum Keys {
        public static let id = SceneProperty.text("id", default: "", type: .identifier,
                                                  doc: "Names the layer in messages, masks and plugin parameters; unique in the scene.")
            .optional(absent: "layer<index> (<group id>.<index> inside a group)")
        public static let position = SceneProperty.vec2("position", default: .zero,
                                                        doc: "Where the layer's anchor sits in its parent, in pixels: (0, 0) is the top-left corner and y points down.")
        public static let anchor = SceneProperty.vec2(
            "anchor", default: .zero,
            doc: "The point of the layer's own coordinates (origin at the middle of its shape or text block) that position places and rotation, skew and scale turn about.")
        public static let scale = SceneProperty.vec2("scale", default: .one, scalar: true,
                                                     doc: "A multiple of the layer's size, one number or [x, y]; scaling a rounded rect squashes its corners.")
        public static let rotation = SceneProperty.number("rotation", default: 0, doc: "Degrees, clockwise, about the anchor.")
        public static let skew = SceneProperty.vec2("skew", default: .zero, in: -89...89, doc: "[x, y] degrees of shear about the anchor.")
        public static let opacity = SceneProperty.number("opacity", default: 1, in: 0...1,
                                                         doc: "0 to 1, applied to the layer as a whole (a group fades as one).")
        public static let fill = PropertyDescription(
            key: "fill", type: .paint, defaultText: "white for shapes without a stroke; none for lines, pictures, groups and shader layers",
            animatable: true,
            doc: "A colour (\"#e94560\", rgb(…), hsl(…), a CSS name), a linear or radial gradient in the layer's own coordinates with [offset, colour] stops, or none.")
        /// The paint a shape gets when its scene gives neither fill nor stroke (`fill`'s default).
        public static let defaultFill = Paint.solid(.white)
        public static let stroke = PropertyDescription(
            key: "stroke", type: .stroke, defaultText: "none (a line: white, 2 px)", animatable: false,
            doc: "A colour, or { color, width, cap, join, miterLimit, dash, dashOffset }; a line is drawn by its stroke.")
        public static let trim = PropertyDescription(
            key: "trim", type: .trim, defaultText: "the whole outline", animatable: false,
            doc: "Draws part of the outline: start and end are fractions 0 to 1 of its length, offset moves both.")
        public static let blend = SceneProperty.choice("blend", default: BlendMode.normal,
                                                       doc: "How the layer combines with what is under it (W3C separable blend modes).")
        public static let inTime = SceneProperty.time("in", default: 0, doc: "When the layer appears: 2s, 500ms, 90f or seconds.")
            .optional(absent: "the start")
        public static let outTime = SceneProperty.time("out", default: 0, doc: "When the layer disappears.").optional(absent: "the end")
        public static let visible = SceneProperty.bool("visible", default: true, doc: "false hides the layer (a mask source usually is).")
        public static let mask = PropertyDescription(
            key: "mask", type: .mask, defaultText: "none", animatable: false,
            doc: "A sibling layer's id, or { layer, mode: alpha | luminance, invert }: the layer shows only where the mask does.")
        public static let effects = PropertyDescription(key: "effects", type: .passes, animatable: false,
                                                        doc: "Post passes over this layer alone (postfx.*, shader files).")
        public static let animate = PropertyDescription(key: "animate", type: .animations, animatable: false,
                                                        doc: "Animation passes run on this layer after its keyframes (motion.*).")

        /// Every common key, in the order the docs list them.
        public static let all: [any AnySceneProperty] = [
            id, position, anchor, scale, rotation, skew, opacity, fill, stroke, trim, blend, inTime, outTime, visible, mask, effects, animate,
        ]
    }
}

extension TextContent {
    /// The keys a text layer has beside `text` (written on the layer itself).
    public enum Keys {
        public static let font = PropertyDescription(key: "font", type: .font, defaultText: "DejaVu Sans 48 regular", animatable: false,
                                                     doc: "{ family, size, weight (100–900 or thin…black), style: normal | italic }.")
        public static let align = SceneProperty.choice("align", default: TextAlign.center, doc: "Text alignment about the position.")
        public static let lineHeight = SceneProperty.number("lineHeight", default: 1.2, in: 0...100,
                                                            doc: "Line spacing as a multiple of the font size.")
        public static let letterSpacing = SceneProperty.number("letterSpacing", default: 0, doc: "Extra space between letters, in pixels.")

        public static let all: [any AnySceneProperty] = [font, align, lineHeight, letterSpacing]
    }
}

extension Font {
    /// The keys of a text layer's `font`.
    public enum Keys {
        public static let family = SceneProperty.text("family", default: "DejaVu Sans", doc: "A font family fontconfig knows.")
        public static let size = SceneProperty.number("size", default: 48, in: 0...10_000, doc: "In pixels.")
        public static let weight = SceneProperty.custom("weight", type: .fontWeight, default: 400, defaultText: "400 (regular)",
                                                        doc: "100…900, or a name: thin, light, regular, medium, semibold, bold, black…",
                                                        parse: { reader, node, path in reader.fontWeight(node, path: path) })
        public static let style = SceneProperty.custom("style", type: .choice(["normal", "italic"]), default: false, defaultText: "normal",
                                                       doc: "normal or italic.",
                                                       parse: { reader, node, path in reader.fontStyle(node, path: path) })

        public static let all: [any AnySceneProperty] = [family, size, weight, style]
    }
}

extension Stroke {
    /// The keys of a stroke written as a mapping.
    public enum Keys {
        public static let color = SceneProperty.color("color", default: .white, doc: "The outline's colour.").required()
        public static let width = SceneProperty.number("width", default: 1, in: 0...Double.greatestFiniteMagnitude,
                                                       doc: "In pixels, in the layer's own units, centred on the edge.")
        public static let cap = SceneProperty.choice("cap", default: LineCap.butt, doc: "How open ends finish.")
        public static let join = SceneProperty.choice("join", default: LineJoin.miter, doc: "How corners finish.")
        public static let miterLimit = SceneProperty.number("miterLimit", default: 4, in: 1...1000,
                                                            doc: "Miters longer than this many half-widths are bevelled.")
        public static let dash = PropertyDescription(key: "dash", type: .dashes, defaultText: "a solid line", animatable: true,
                                                     doc: "Alternating dash and gap lengths in pixels, 1 to 64 of them.")
        public static let dashOffset = SceneProperty.number("dashOffset", default: 0, doc: "How far into the dash pattern the outline starts.")

        public static let all: [any AnySceneProperty] = [color, width, cap, join, miterLimit, dash, dashOffset]
    }
}

extension Trim {
    /// The keys of `trim`.
    public enum Keys {
        public static let start = SceneProperty.number("start", default: 0, in: 0...1, doc: "Where the visible part begins, a fraction of the length.")
        public static let end = SceneProperty.number("end", default: 1, in: 0...1, doc: "Where it ends.")
        public static let offset = SceneProperty.number("offset", default: 0, doc: "Shifts both round the outline (1 is once round).")

        public static let all: [any AnySceneProperty] = [start, end, offset]
    }
}

extension Mask {
    /// The keys of `mask` written as a mapping.
    public enum Keys {
        public static let layer = SceneProperty.text("layer", default: "", doc: "The id of a sibling layer.").required()
        public static let mode = SceneProperty.choice("mode", default: MaskMode.alpha, doc: "What of the mask counts: its alpha or its brightness.")
        public static let invert = SceneProperty.bool("invert", default: false, doc: "Show the layer where the mask is empty instead.")

        public static let all: [any AnySceneProperty] = [layer, mode, invert]
    }
}

extension Paint {
    /// The keys of `{ linear: … }`.
    public enum LinearKeys {
        /// The paint's own key: `fill: { linear: { from, to, stops } }`.
        public static let name = "linear"
        /// What the gradient is, for the schema and the docs.
        public static let doc = "A gradient along the line from `from` to `to`, in the layer's own coordinates."
        public static let from = SceneProperty.vec2("from", default: .zero, animatable: false, doc: "Where the first stop sits, in the layer's own coordinates.")
            .required()
        public static let to = SceneProperty.vec2("to", default: .zero, animatable: false, doc: "Where the last stop sits.").required()
        public static let stops = PropertyDescription(key: "stops", type: .stops, required: true, animatable: false,
                                                      doc: "At least two [offset, colour] pairs, offsets 0 to 1 and not decreasing.")

        public static let all: [any AnySceneProperty] = [from, to, stops]
    }

    /// The keys of `{ radial: … }`.
    public enum RadialKeys {
        /// The paint's own key: `fill: { radial: { center, radius, stops } }`.
        public static let name = "radial"
        /// What the gradient is, for the schema and the docs.
        public static let doc = "A gradient out from `center` to `radius`, in the layer's own coordinates."
        public static let center = SceneProperty.vec2("center", default: .zero, animatable: false, doc: "The centre, in the layer's own coordinates.")
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude, exclusiveMinimum: true,
                                                        animatable: false, doc: "Where the last stop sits, in pixels.").optional(required: true)
        public static let stops = LinearKeys.stops

        public static let all: [any AnySceneProperty] = [center, radius, stops]
    }
}

extension PropertyDescription: AnySceneProperty {
    public var description: PropertyDescription { self }
}
