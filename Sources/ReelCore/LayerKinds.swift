/// The layer kinds, declared once: each kind's scene-file key, what it draws, its own keys and
/// whether it is painted. A layer has exactly one of them. The decoder reads through these
/// declarations, and `reel schema` and the README's tables are generated from them.
public struct LayerKind: Sendable, Hashable {
    /// The scene-file key (`rect`).
    public let name: String
    /// What it draws and how it is written, for the schema and the docs.
    public let doc: String
    /// How its value is written, in a line of the README's kinds table.
    public let syntax: String
    /// The keys of its mapping form, in order (empty for kinds written another way).
    public let keys: [PropertyDescription]
    /// Drawn without a fill unless the scene gives one: lines (drawn by their stroke),
    /// pictures, groups and shader layers. Other shapes are filled white unless stroked.
    public let paintless: Bool

    init(_ name: String, doc: String, syntax: String, keys: [any AnySceneProperty] = [], paintless: Bool = false) {
        (self.name, self.doc, self.syntax, self.keys, self.paintless) = (name, doc, syntax, keys.map(\.description), paintless)
    }

    /// Kinds are told apart by their key.
    public static func == (a: LayerKind, b: LayerKind) -> Bool { a.name == b.name }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension LayerKind {
    public static let rect = LayerKind("rect", doc: "A rectangle centred on the layer's origin.", syntax: "`{ size: [w, h], radius }`",
                                       keys: [RectKeys.size, RectKeys.radius])
    public static let circle = LayerKind("circle", doc: "A circle centred on the layer's origin.", syntax: "`{ radius }`", keys: [CircleKeys.radius])
    public static let ellipse = LayerKind("ellipse", doc: "An ellipse centred on the layer's origin.", syntax: "`{ size: [w, h] }`",
                                          keys: [EllipseKeys.size])
    public static let polygon = LayerKind("polygon", doc: "A regular polygon, its first corner straight up.", syntax: "`{ sides, radius }`",
                                          keys: [PolygonKeys.sides, PolygonKeys.radius])
    public static let star = LayerKind("star", doc: "A star, its first tip straight up.", syntax: "`{ points, radius, innerRadius }`",
                                       keys: [StarKeys.points, StarKeys.radius, StarKeys.innerRadius])
    public static let line = LayerKind("line", doc: "A line from one point to another in the layer's coordinates, drawn by its stroke (white 2 px by default).",
                                       syntax: "`{ from: [x, y], to: [x, y] }`", keys: [LineKeys.from, LineKeys.to], paintless: true)
    public static let path = LayerKind("path", doc: "SVG path data (M L H V C S Q T A Z, absolute and relative); keyframed paths blend point by point when their commands match.",
                                       syntax: "SVG path data or `{ d, fillRule: nonzero | evenodd }`", keys: [PathKeys.d, PathKeys.fillRule])
    public static let text = LayerKind("text", doc: "The text; placed by the middle of its block of lines. See font, align, lineHeight, letterSpacing.",
                                       syntax: "the text; with layer keys `font: { family, size, weight, style }`, `align`, `lineHeight`, `letterSpacing`")
    public static let image = LayerKind("image", doc: "A picture: an asset name or path, or { asset, size, fit, radius }.",
                                        syntax: "an asset name or path, or `{ asset, size, fit: contain | cover | stretch | none, radius }`",
                                        keys: [PictureKeys.asset, PictureKeys.size, PictureKeys.fit, ImageKeys.radius], paintless: true)
    public static let video = LayerKind("video", doc: "A clip: like image, plus start (offset into the clip), speed and loop.",
                                        syntax: "like image, plus `start` (offset into the clip), `speed`, `loop`",
                                        keys: [PictureKeys.asset, PictureKeys.size, PictureKeys.fit, VideoKeys.start, VideoKeys.speed, VideoKeys.loop],
                                        paintless: true)
    public static let group = LayerKind("group", doc: "A list of layers (or { layers: [...] }) moved, faded and composited as one; children are placed in the group's coordinates.",
                                        syntax: "a list of layers (or `{ layers: [...] }`), moved and faded as one", keys: [GroupKeys.layers], paintless: true)
    public static let shader = LayerKind("shader", doc: "A layer drawn by a shader file or a layer plugin: { name, size, params }.",
                                         syntax: "`{ name, size, params }`: a layer drawn by a shader (an ISF generator, a Shadertoy file)",
                                         keys: [ShaderKeys.name, ShaderKeys.size, ShaderKeys.params], paintless: true)

    /// Every kind, in the order messages and the docs list them.
    public static let all: [LayerKind] = [rect, circle, ellipse, polygon, star, line, path, text, image, video, group, shader]

    /// The keys of `rect`.
    public enum RectKeys {
        public static let size = SceneProperty.vec2("size", default: .zero, scalar: true, in: 0...Double.greatestFiniteMagnitude,
                                                    doc: "[width, height] in pixels, or one number for a square.").optional(required: true)
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude, doc: "Corner radius in pixels.")
    }

    /// The keys of `circle`.
    public enum CircleKeys {
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude, doc: "In pixels.")
            .optional(required: true)
    }

    /// The keys of `ellipse`.
    public enum EllipseKeys {
        public static let size = SceneProperty.vec2("size", default: .zero, scalar: true, in: 0...Double.greatestFiniteMagnitude,
                                                    doc: "[width, height] in pixels.").optional(required: true)
    }

    /// The keys of `polygon`.
    public enum PolygonKeys {
        public static let sides = SceneProperty.integer("sides", default: 3, in: 3...1000, doc: "How many corners.").optional(required: true)
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude,
                                                        doc: "From the centre to each corner, in pixels.").optional(required: true)
    }

    /// The keys of `star`.
    public enum StarKeys {
        public static let points = SceneProperty.integer("points", default: 5, in: 2...1000, doc: "How many tips.").optional(required: true)
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude,
                                                        doc: "From the centre to each tip, in pixels.").optional(required: true)
        public static let innerRadius = SceneProperty.number("innerRadius", default: 0, in: 0...Double.greatestFiniteMagnitude,
                                                             doc: "From the centre to each valley, in pixels.").optional(absent: "half the radius")
    }

    /// The keys of `line`.
    public enum LineKeys {
        public static let from = SceneProperty.vec2("from", default: .zero, doc: "Where it starts, in the layer's coordinates.").optional(required: true)
        public static let to = SceneProperty.vec2("to", default: .zero, doc: "Where it ends.").optional(required: true)
    }

    /// The keys of `path` written as a mapping.
    public enum PathKeys {
        public static let d = PropertyDescription(key: "d", type: .pathData, required: true, animatable: true, doc: "SVG path data.")
        public static let fillRule = SceneProperty.choice("fillRule", default: FillRule.nonzero,
                                                          doc: "How overlapping parts of the outline decide what is inside.")
    }

    /// The keys of `image` (and `video`) written as a mapping.
    public enum PictureKeys {
        public static let asset = PropertyDescription(key: "asset", type: .asset, required: true, animatable: false,
                                                      doc: "The name of an asset, or a file path relative to the scene file.")
        public static let size = SceneProperty.vec2("size", default: .zero, scalar: true, in: 0...Double.greatestFiniteMagnitude,
                                                    doc: "The box the picture is fitted into, in pixels.").optional(absent: "the picture's own size")
        public static let fit = SceneProperty.choice("fit", default: Fit.contain, doc: "How the picture fills its box.")
    }

    /// The keys only `image` has.
    public enum ImageKeys {
        public static let radius = SceneProperty.number("radius", default: 0, in: 0...Double.greatestFiniteMagnitude,
                                                        doc: "Rounds the corners of the drawn picture, in pixels.")
    }

    /// The keys only `video` has.
    public enum VideoKeys {
        public static let start = SceneProperty.time("start", default: 0, doc: "Where in the clip playback starts.")
        public static let speed = SceneProperty.number("speed", default: 1, in: 0...1000, exclusiveMinimum: true, animatable: false,
                                                       doc: "Playback rate; 2 plays twice as fast.")
        public static let loop = SceneProperty.bool("loop", default: false, doc: "Loop when the clip ends; otherwise hold its last frame.")
    }

    /// The key of `group` written as a mapping.
    public enum GroupKeys {
        public static let layers = PropertyDescription(key: "layers", type: .layers, required: true, animatable: false, doc: "The children, bottom first.")
    }

    /// The keys of `shader`.
    public enum ShaderKeys {
        public static let name = SceneProperty.text("name", default: "", doc: "A shader file named under shaders:, or an installed layer kind.")
            .optional(required: true)
        public static let size = SceneProperty.vec2("size", default: .zero, scalar: true, in: 0...Double.greatestFiniteMagnitude,
                                                    doc: "The drawn rectangle, centred on the layer's origin.").optional(absent: "the canvas size")
        public static let params = PropertyDescription(key: "params", type: .parameters, animatable: false,
                                                       doc: "The shader's parameters, each a constant or keyframes.")
    }
}
