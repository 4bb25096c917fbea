/// A scene: the canvas, its parameters and assets, and the layers drawn on it, decoded from
/// a scene file.
///
/// An immutable value. Rendering any frame needs only the scene and the frame number
/// (`Timeline.evaluate`), which is what lets frame ranges render anywhere.
public struct Scene: Sendable {
    /// The scene-file format version (`reel: 1`).
    public var format: Int
    /// The picture every frame is drawn on.
    public var canvas: Canvas
    /// Seeds every deterministic random choice in the scene. The default is 0.
    public var seed: UInt64
    /// Declared parameters, with the values in force (defaults or `--set` overrides).
    public var parameters: [ParameterDeclaration]
    /// Named files the scene uses, in file order.
    public var assets: [Asset]
    /// Layers in painter's order: the first is drawn at the bottom.
    public var layers: [Layer]
    /// Post passes over the whole frame, in order.
    public var passes: [PluginUse]
    /// The view onto the canvas; nil shows the canvas as it is.
    public var camera: Camera?
    /// The file the scene came from, for messages; nil when decoded from memory.
    public var sourcePath: String?
    /// Shader files named under `shaders:`, with their source.
    public var shaders: [ShaderFile] = []
    /// Where each layer is written in the scene file, by id, for messages about a layer
    /// found after decoding (a frame over a limit); empty for scenes built in code.
    public var layerLocations: [String: SceneLocation] = [:]
    /// Where `canvas.size` is written, for messages about the size; nil for scenes built in code.
    public var canvasLocation: SceneLocation?

    /// A scene built in code. Unset means default: format 1, seed 0, no parameters, assets,
    /// passes or camera, and no source file.
    ///
    /// Layers that use assets name them: list each in `assets` with the file's path (as
    /// `resolvedPath`, the one that is read).
    public init(format: Int = Scene.Keys.reel.defaultValue, canvas: Canvas, seed: UInt64 = Scene.Keys.seed.defaultValue,
                parameters: [ParameterDeclaration] = [], assets: [Asset] = [], layers: [Layer], passes: [PluginUse] = [],
                camera: Camera? = nil, sourcePath: String? = nil) {
        self.format = format
        self.canvas = canvas
        self.seed = seed
        self.parameters = parameters
        self.assets = assets
        self.layers = layers
        self.passes = passes
        self.camera = camera
        self.sourcePath = sourcePath
    }

    /// Every layer, depth first (a group before its children).
    public var allLayers: [Layer] {
        var result: [Layer] = []
        func visit(_ layers: [Layer]) {
            for layer in layers {
                result.append(layer)
                if case let .group(children) = layer.content { visit(children) }
            }
        }
        visit(layers)
        return result
    }
}

/// The picture every frame is drawn on.
public struct Canvas: Sendable, Hashable {
    /// Width in pixels. The default is 1920.
    public var width: Int
    /// Height in pixels. The default is 1080.
    public var height: Int
    /// Frames per second. The default is 30.
    public var fps: Double
    /// Number of frames; frame n shows time n / fps. The default is 5 s worth.
    public var frameCount: Int
    /// Painted under every layer. The default is opaque black.
    public var background: Color
    /// Multisample count for antialiasing geometry edges; 1 turns MSAA off. The default is 4.
    public var samples: Int

    /// A canvas built in code. Unset means default (`Canvas.Keys`): 1920×1080, 30 fps, 5 s
    /// worth of frames (150 at 30 fps), an opaque black background, 4 samples.
    public init(width: Int = Int(Keys.size.defaultValue.x), height: Int = Int(Keys.size.defaultValue.y), fps: Double = Keys.fps.defaultValue,
                frameCount: Int = Int((Keys.duration.defaultValue * Keys.fps.defaultValue).rounded()),
                background: Color = Keys.background.defaultValue, samples: Int = Keys.samples.defaultValue) {
        (self.width, self.height, self.fps, self.frameCount, self.background, self.samples) =
            (width, height, fps, frameCount, background, samples)
    }

    /// The scene's length in seconds.
    public var duration: Double { Double(frameCount) / fps }
}

/// A 2D camera: which point of the canvas is at the centre of the picture, how far it is
/// zoomed and how it is turned. Every value can be keyframed.
public struct Camera: Sendable {
    /// The canvas point shown at the picture's centre. The default is the canvas centre.
    public var position: Animatable<Vec2>?
    /// 2 shows things twice as large. The default is 1.
    public var zoom: Animatable<Double>
    /// Degrees, clockwise: turning the camera clockwise turns the picture the other way.
    /// The default is 0.
    public var rotation: Animatable<Double>

    /// A camera built in code. Unset means default (`Camera.Keys`): the canvas centre, zoom 1,
    /// no rotation.
    public init(position: Animatable<Vec2>? = nil, zoom: Animatable<Double> = .constant(Keys.zoom.defaultValue),
                rotation: Animatable<Double> = .constant(Keys.rotation.defaultValue)) {
        (self.position, self.zoom, self.rotation) = (position, zoom, rotation)
    }

    /// The canvas-to-picture transform at `time`.
    public func view(at time: Double, canvas: Canvas) -> Affine2D {
        let centre = Vec2(Double(canvas.width) / 2, Double(canvas.height) / 2)
        let target = position?.value(at: time) ?? centre
        return Affine2D.translation(centre) * .rotation(degrees: -rotation.value(at: time))
            * .scale(Vec2(zoom.value(at: time), zoom.value(at: time))) * .translation(.zero - target)
    }
}

/// A named file the scene uses (image, video, font, LUT).
public struct Asset: Sendable, Hashable {
    public var name: String
    /// The path as written in the scene file.
    public var path: String
    /// The path resolved against the scene file's folder; nil for scenes decoded from memory.
    public var resolvedPath: String?
    /// Where the scene file declares it (its `assets` entry, or the first place naming the
    /// file), for messages about the file's contents; nil for scenes built in code. Not part of
    /// equality: the same scene read from another folder declares the same assets.
    public var location: SceneLocation? = nil
    /// The scene path of that declaration (`assets.logo`, `layers[2].image`); empty when unknown.
    public var declaration: String = ""

    /// An asset built in code: `name` is what layers call it, `path` the file. Unset means
    /// default: `path` is read as given (relative to the current folder), and the asset has no
    /// place in a scene file.
    public init(name: String, path: String, resolvedPath: String? = nil, location: SceneLocation? = nil, declaration: String = "") {
        (self.name, self.path, self.resolvedPath, self.location, self.declaration) = (name, path, resolvedPath, location, declaration)
    }

    public static func == (a: Asset, b: Asset) -> Bool {
        a.name == b.name && a.path == b.path && a.resolvedPath == b.resolvedPath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(path)
        hasher.combine(resolvedPath)
    }
}

// MARK: - Layers

/// One layer: what it draws, where, and how it is painted and composited.
public struct Layer: Sendable {
    /// Names the layer in messages, masks and plugin parameters; unique in the scene.
    /// Defaults to `layer<index>` (or `<group>.<index>` inside a group).
    public var id: String
    public var content: LayerContent
    /// Where the anchor point sits in the parent's space, in pixels. The default is [0, 0].
    public var position: Animatable<Vec2>
    /// The point in the layer's own coordinates (origin at a shape's centre) placed at
    /// `position`, about which rotation, skew and scale apply. The default is [0, 0].
    public var anchor: Animatable<Vec2>
    /// The default is [1, 1]; a single number scales both axes.
    public var scale: Animatable<Vec2>
    /// Degrees, clockwise on screen. The default is 0.
    public var rotation: Animatable<Double>
    /// Shear angles in degrees along x and y. The default is [0, 0].
    public var skew: Animatable<Vec2>
    /// 0…1. The default is 1.
    public var opacity: Animatable<Double>
    /// The interior paint; nil leaves the interior empty. Shapes without a stroke default to
    /// white, text to white; lines, images and videos have none.
    public var fill: Animatable<Paint>?
    /// The outline; nil draws none.
    public var stroke: Stroke?
    /// Draws only part of the outline, for draw-on animations; nil draws all of it.
    public var trim: Trim?
    /// How the layer combines with what is under it. The default is normal.
    public var blend: BlendMode
    /// The layer exists from `inTime` (seconds; nil: the start) until before `outTime`
    /// (nil: the end). Its own animations keep scene time.
    public var inTime: Double?
    public var outTime: Double?
    /// A hidden layer is validated but not drawn. The default is true.
    public var visible: Bool
    /// Shows the layer only where a sibling layer is opaque (or bright).
    public var mask: Mask?
    /// Post passes applied to this layer alone, in order.
    public var effects: [PluginUse]
    /// Animation passes that move this layer procedurally, in order.
    public var animate: [PluginUse]

    /// A layer built in code. Unset means default (`Layer.Keys`): at [0, 0], anchor [0, 0],
    /// scale 1, no rotation or skew, opaque, filled white (pass nil for none: lines, pictures,
    /// groups and shader layers have none when read from a file), no stroke, trim or mask,
    /// normal blending, from the scene's start to its end, visible, no effects or animation passes.
    public init(id: String, content: LayerContent, position: Animatable<Vec2> = .constant(Keys.position.defaultValue),
                anchor: Animatable<Vec2> = .constant(Keys.anchor.defaultValue), scale: Animatable<Vec2> = .constant(Keys.scale.defaultValue),
                rotation: Animatable<Double> = .constant(Keys.rotation.defaultValue), skew: Animatable<Vec2> = .constant(Keys.skew.defaultValue),
                opacity: Animatable<Double> = .constant(Keys.opacity.defaultValue), fill: Animatable<Paint>? = .constant(Keys.defaultFill),
                stroke: Stroke? = nil, trim: Trim? = nil, blend: BlendMode = Keys.blend.defaultValue, inTime: Double? = nil,
                outTime: Double? = nil, visible: Bool = Keys.visible.defaultValue, mask: Mask? = nil, effects: [PluginUse] = [],
                animate: [PluginUse] = []) {
        self.id = id
        self.content = content
        self.position = position
        self.anchor = anchor
        self.scale = scale
        self.rotation = rotation
        self.skew = skew
        self.opacity = opacity
        self.fill = fill
        self.stroke = stroke
        self.trim = trim
        self.blend = blend
        self.inTime = inTime
        self.outTime = outTime
        self.visible = visible
        self.mask = mask
        self.effects = effects
        self.animate = animate
    }
}

/// What a layer draws. Shapes are centred on the layer's origin.
public enum LayerContent: Sendable {
    /// A rectangle of `size`, corners rounded by `cornerRadius` pixels.
    case rect(size: Animatable<Vec2>, cornerRadius: Animatable<Double>)
    /// An ellipse with the given radii; a circle has equal radii.
    case ellipse(radii: Animatable<Vec2>)
    /// A regular polygon with `sides` corners on a circle of `radius`, the first straight up.
    case polygon(sides: Int, radius: Animatable<Double>)
    /// A star with `points` tips on `outerRadius` and valleys on `innerRadius`.
    case star(points: Int, outerRadius: Animatable<Double>, innerRadius: Animatable<Double>)
    /// A straight segment; drawn by its stroke.
    case line(from: Animatable<Vec2>, to: Animatable<Vec2>)
    /// SVG path data in the layer's own coordinates.
    case path(Animatable<PathData>, fillRule: FillRule)
    case text(TextContent)
    case image(ImageContent)
    case video(VideoContent)
    /// Children drawn in the group's space and composited as one.
    case group([Layer])
    /// A layer drawn by a shader plugin.
    case shader(ShaderContent)

    /// The scene-file key of each kind, in the order messages list them (`LayerKind.all`).
    public static var kindNames: [String] { LayerKind.all.map(\.name) }

    /// A circle of `radius` (an ellipse with equal radii), as `circle: { radius }` reads.
    public static func circle(radius: Animatable<Double>) -> LayerContent { .ellipse(radii: radius.map { Vec2($0, $0) }) }

    /// The kind's name as scene files write it (`circle` decodes as an ellipse).
    public var kindName: String {
        switch self {
        case .rect: return "rect"
        case .ellipse: return "ellipse"
        case .polygon: return "polygon"
        case .star: return "star"
        case .line: return "line"
        case .path: return "path"
        case .text: return "text"
        case .image: return "image"
        case .video: return "video"
        case .group: return "group"
        case .shader: return "shader"
        }
    }
}

/// How overlapping parts of a path's outline decide what is inside.
public enum FillRule: String, Sendable, CaseIterable {
    case nonzero, evenodd
}

/// Text and how it is set.
public struct TextContent: Sendable {
    /// The text; `{{param}}` is already substituted. Keyframes switch text (no blending).
    public var text: Animatable<String>
    public var font: Font
    /// The default is center: lines are centred on the layer's origin.
    public var align: TextAlign
    /// Line distance as a multiple of the font size. The default is 1.2.
    public var lineHeight: Animatable<Double>
    /// Extra space between letters, in pixels. The default is 0.
    public var letterSpacing: Animatable<Double>

    /// Text set in code. Unset means default (`TextContent.Keys`): DejaVu Sans 48 regular,
    /// centred, lines 1.2 font sizes apart, no extra letter spacing.
    public init(text: Animatable<String>, font: Font = Font(), align: TextAlign = Keys.align.defaultValue,
                lineHeight: Animatable<Double> = .constant(Keys.lineHeight.defaultValue),
                letterSpacing: Animatable<Double> = .constant(Keys.letterSpacing.defaultValue)) {
        (self.text, self.font, self.align, self.lineHeight, self.letterSpacing) = (text, font, align, lineHeight, letterSpacing)
    }

    /// Constant text with the defaults for the rest: `TextContent("Hello")`.
    public init(_ text: String, font: Font = Font()) {
        self.init(text: .constant(text), font: font)
    }
}

/// A font by family, found through fontconfig.
public struct Font: Sendable, Hashable {
    /// The default is "DejaVu Sans".
    public var family: String
    /// In pixels. The default is 48.
    public var size: Animatable<Double>
    /// 100…900; 400 is regular, 700 bold. The default is 400.
    public var weight: Int
    /// The default is false.
    public var italic: Bool

    /// A font chosen in code. Unset means default (`Font.Keys`): DejaVu Sans, 48 px,
    /// weight 400 (regular), upright.
    public init(family: String = Keys.family.defaultValue, size: Animatable<Double> = .constant(Keys.size.defaultValue),
                weight: Int = Keys.weight.defaultValue, italic: Bool = Keys.style.defaultValue) {
        (self.family, self.size, self.weight, self.italic) = (family, size, weight, italic)
    }

    /// Weights by name, as CSS and OpenType name them: `semibold` is 600, `black` 900.
    public static let weightNames: [String: Int] = [
        "thin": 100, "hairline": 100, "extralight": 200, "ultralight": 200, "light": 300,
        "normal": 400, "regular": 400, "medium": 500, "semibold": 600, "demibold": 600,
        "bold": 700, "extrabold": 800, "ultrabold": 800, "black": 900, "heavy": 900,
    ]

    public static func == (a: Font, b: Font) -> Bool {
        a.family == b.family && a.weight == b.weight && a.italic == b.italic
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(family)
        hasher.combine(weight)
        hasher.combine(italic)
    }
}

public enum TextAlign: String, Sendable, CaseIterable {
    case left, center, right
}

/// How a picture fills the box it is given.
public enum Fit: String, Sendable, CaseIterable {
    /// Fill the box exactly, distorting if the aspect differs.
    case stretch
    /// The whole picture inside the box, letterboxed.
    case contain
    /// The box covered, the picture cropped.
    case cover
    /// The picture's own pixel size.
    case none
}

/// A still picture from an asset.
public struct ImageContent: Sendable {
    /// The asset's name in `assets`.
    public var asset: String
    /// The box the picture is fitted into; nil uses the picture's own size.
    public var size: Animatable<Vec2>?
    /// The default is contain.
    public var fit: Fit
    /// Corner radius of the drawn picture, in pixels. The default is 0 (square corners).
    public var radius: Animatable<Double>

    /// A picture shown in code. Unset means default (`LayerKind.PictureKeys`, `ImageKeys`): the
    /// picture's own size, fitted by contain, square corners.
    public init(asset: String, size: Animatable<Vec2>? = nil, fit: Fit = LayerKind.PictureKeys.fit.defaultValue,
                radius: Animatable<Double> = .constant(LayerKind.ImageKeys.radius.defaultValue)) {
        (self.asset, self.size, self.fit, self.radius) = (asset, size, fit, radius)
    }
}

/// A clip from an asset, played in step with the scene.
public struct VideoContent: Sendable {
    public var asset: String
    public var size: Animatable<Vec2>?
    public var fit: Fit
    /// Where in the clip playback starts, in seconds. The default is 0.
    public var start: Double
    /// Playback rate; 2 plays twice as fast. The default is 1.
    public var speed: Double
    /// Loop when the clip ends; otherwise hold its last frame. The default is false.
    public var loop: Bool

    /// A clip played in code. Unset means default (`LayerKind.PictureKeys`, `VideoKeys`): the
    /// clip's own size, fitted by contain, from its start, at normal speed, not looping.
    public init(asset: String, size: Animatable<Vec2>? = nil, fit: Fit = LayerKind.PictureKeys.fit.defaultValue,
                start: Double = LayerKind.VideoKeys.start.defaultValue, speed: Double = LayerKind.VideoKeys.speed.defaultValue,
                loop: Bool = LayerKind.VideoKeys.loop.defaultValue) {
        (self.asset, self.size, self.fit, self.start, self.speed, self.loop) = (asset, size, fit, start, speed, loop)
    }
}

/// A layer drawn by a shader plugin.
public struct ShaderContent: Sendable {
    public var shader: PluginUse
    /// The size of the drawn rectangle, centred on the origin; nil means the canvas size.
    public var size: Animatable<Vec2>?

    /// A shader layer built in code; unset, `size` is the canvas size.
    public init(shader: PluginUse, size: Animatable<Vec2>? = nil) {
        (self.shader, self.size) = (shader, size)
    }
}

// MARK: - Paint, stroke, trim, blend, mask

/// How an area is painted.
public enum Paint: Sendable, Hashable {
    case solid(Color)
    /// A gradient along the line `from` → `to`, in the layer's own coordinates.
    case linear(from: Vec2, to: Vec2, stops: [GradientStop])
    /// A gradient from `center` out to `radius`.
    case radial(center: Vec2, radius: Double, stops: [GradientStop])

    /// "solid", "linear gradient" or "radial gradient", for messages.
    public var kindName: String {
        switch self {
        case .solid: return "solid"
        case .linear: return "linear gradient"
        case .radial: return "radial gradient"
        }
    }

    /// True when two paints can be keyframed into each other: the same kind, and gradients
    /// with the same number of stops.
    public func interpolates(with other: Paint) -> Bool {
        switch (self, other) {
        case (.solid, .solid): return true
        case let (.linear(_, _, a), .linear(_, _, b)), let (.radial(_, _, a), .radial(_, _, b)): return a.count == b.count
        default: return false
        }
    }
}

/// A colour at a position 0…1 along a gradient.
public struct GradientStop: Sendable, Hashable {
    public var offset: Double
    public var color: Color

    public init(offset: Double, color: Color) { (self.offset, self.color) = (offset, color) }
}

extension Paint: Interpolatable {
    public static func interpolate(_ from: Paint, _ to: Paint, _ t: Double) -> Paint {
        func stops(_ a: [GradientStop], _ b: [GradientStop]) -> [GradientStop] {
            zip(a, b).map { GradientStop(offset: Double.interpolate($0.offset, $1.offset, t), color: Color.interpolate($0.color, $1.color, t)) }
        }
        switch (from, to) {
        case let (.solid(a), .solid(b)):
            return .solid(Color.interpolate(a, b, t))
        case let (.linear(f1, t1, s1), .linear(f2, t2, s2)) where s1.count == s2.count:
            return .linear(from: Vec2.interpolate(f1, f2, t), to: Vec2.interpolate(t1, t2, t), stops: stops(s1, s2))
        case let (.radial(c1, r1, s1), .radial(c2, r2, s2)) where s1.count == s2.count:
            return .radial(center: Vec2.interpolate(c1, c2, t), radius: Double.interpolate(r1, r2, t), stops: stops(s1, s2))
        default:
            // Decoding refuses keyframes whose paints cannot blend; hold if one slips through.
            return t < 1 ? from : to
        }
    }
}

/// An outline centred on the shape's edge.
public struct Stroke: Sendable {
    public var color: Animatable<Color>
    /// Pixels, in the layer's own units. The default is 1.
    public var width: Animatable<Double>
    /// The default is butt.
    public var cap: LineCap
    /// The default is miter.
    public var join: LineJoin
    /// Miters longer than this many half-widths are bevelled. The default is 4.
    public var miterLimit: Animatable<Double>
    /// Alternating dash and gap lengths in pixels; nil draws a solid line.
    public var dash: Animatable<NumberList>?
    /// How far into the dash pattern the outline starts. The default is 0.
    public var dashOffset: Animatable<Double>

    /// A stroke built in code. Unset means default (`Stroke.Keys`): 1 px, butt caps, miter
    /// joins with a limit of 4, solid, no dash offset.
    public init(color: Animatable<Color>, width: Animatable<Double> = .constant(Keys.width.defaultValue), cap: LineCap = Keys.cap.defaultValue,
                join: LineJoin = Keys.join.defaultValue, miterLimit: Animatable<Double> = .constant(Keys.miterLimit.defaultValue),
                dash: Animatable<NumberList>? = nil, dashOffset: Animatable<Double> = .constant(Keys.dashOffset.defaultValue)) {
        self.color = color
        self.width = width
        self.cap = cap
        self.join = join
        self.miterLimit = miterLimit
        self.dash = dash
        self.dashOffset = dashOffset
    }
}

extension Stroke {
    /// The stroke a line gets when its scene gives none (a line is drawn by its stroke):
    /// white, 2 px.
    public static let line = Stroke(color: .constant(.white), width: .constant(2))
}

public enum LineCap: String, Sendable, CaseIterable { case butt, round, square }
public enum LineJoin: String, Sendable, CaseIterable { case miter, round, bevel }

/// A list of numbers that keyframes element by element (dash patterns).
public struct NumberList: Sendable, Hashable, Interpolatable {
    public var values: [Double]

    public init(_ values: [Double]) { self.values = values }

    public static func interpolate(_ from: NumberList, _ to: NumberList, _ t: Double) -> NumberList {
        guard from.values.count == to.values.count else { return t < 1 ? from : to }
        return NumberList(zip(from.values, to.values).map { Double.interpolate($0, $1, t) })
    }
}

/// The visible part of an outline: from `start` to `end` (fractions of its length), the
/// whole window shifted round by `offset`.
public struct Trim: Sendable {
    /// The default is 0.
    public var start: Animatable<Double>
    /// The default is 1.
    public var end: Animatable<Double>
    /// The default is 0.
    public var offset: Animatable<Double>

    /// A trim built in code. Unset means default (`Trim.Keys`): from 0 to 1 (the whole
    /// outline), not shifted.
    public init(start: Animatable<Double> = .constant(Keys.start.defaultValue), end: Animatable<Double> = .constant(Keys.end.defaultValue),
                offset: Animatable<Double> = .constant(Keys.offset.defaultValue)) {
        (self.start, self.end, self.offset) = (start, end, offset)
    }
}

/// How a layer combines with the picture under it.
public enum BlendMode: String, Sendable, CaseIterable {
    case normal, add, multiply, screen, overlay, darken, lighten
}

/// Shows a layer only where a sibling layer covers it. The sibling is then drawn only as
/// the mask, not on its own.
public struct Mask: Sendable, Hashable {
    /// The id of a layer in the same list (the same group, or the top level).
    public var layer: String
    /// The default is alpha.
    public var mode: MaskMode
    /// Show the layer where the mask is empty instead. The default is false.
    public var invert: Bool

    /// A mask built in code. Unset means default (`Mask.Keys`): by alpha, not inverted.
    public init(layer: String, mode: MaskMode = Keys.mode.defaultValue, invert: Bool = Keys.invert.defaultValue) {
        (self.layer, self.mode, self.invert) = (layer, mode, invert)
    }
}

public enum MaskMode: String, Sendable, CaseIterable { case alpha, luminance }
