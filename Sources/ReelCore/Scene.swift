/// A scene: the canvas and the layers drawn on it, decoded from a scene file.
///
/// An immutable value. Rendering any frame needs only the scene and the frame number
/// (`Timeline.evaluate`), which is what lets frame ranges render anywhere.
public struct Scene: Sendable {
    /// The scene-file format version (`reel: 1`).
    public var format: Int
    public var canvas: Canvas
    /// Layers in painter's order: the first is drawn at the bottom.
    public var layers: [Layer]
    /// The file the scene came from, for messages; nil when decoded from memory.
    public var sourcePath: String?

    public init(format: Int = 1, canvas: Canvas, layers: [Layer], sourcePath: String? = nil) {
        (self.format, self.canvas, self.layers, self.sourcePath) = (format, canvas, layers, sourcePath)
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

    public init(width: Int = 1920, height: Int = 1080, fps: Double = 30, frameCount: Int = 150,
                background: Color = .black, samples: Int = 4) {
        (self.width, self.height, self.fps, self.frameCount, self.background, self.samples) =
            (width, height, fps, frameCount, background, samples)
    }

    /// The scene's length in seconds.
    public var duration: Double { Double(frameCount) / fps }
}

/// One drawable layer: a shape with its transform and paint.
public struct Layer: Sendable {
    /// Names the layer in messages and (later) in masks and plugin parameters. Defaults to
    /// `layer<index>`.
    public var id: String
    public var shape: Shape
    /// Where the anchor point sits on the canvas, in pixels. The default is [0, 0].
    public var position: Animatable<Vec2>
    /// The point in the shape's own coordinates (origin at the shape's centre) that is
    /// placed at `position` and that rotation and scale turn about. The default is [0, 0].
    public var anchor: Animatable<Vec2>
    /// The default is [1, 1]; a single number scales both axes.
    public var scale: Animatable<Vec2>
    /// Degrees, clockwise on screen. The default is 0.
    public var rotation: Animatable<Double>
    /// 0…1. The default is 1.
    public var opacity: Animatable<Double>
    /// The interior paint; nil leaves the interior empty. The default is white when the
    /// layer has no stroke.
    public var fill: Animatable<Color>?
    /// The outline; nil draws none. The default is none.
    public var stroke: Stroke?
    /// A hidden layer is decoded and validated but not drawn. The default is true.
    public var visible: Bool

    public init(id: String, shape: Shape, position: Animatable<Vec2> = .constant(.zero),
                anchor: Animatable<Vec2> = .constant(.zero), scale: Animatable<Vec2> = .constant(.one),
                rotation: Animatable<Double> = .constant(0), opacity: Animatable<Double> = .constant(1),
                fill: Animatable<Color>? = .constant(.white), stroke: Stroke? = nil, visible: Bool = true) {
        self.id = id
        self.shape = shape
        self.position = position
        self.anchor = anchor
        self.scale = scale
        self.rotation = rotation
        self.opacity = opacity
        self.fill = fill
        self.stroke = stroke
        self.visible = visible
    }
}

/// The geometry of a shape layer, centred on the layer's origin.
public enum Shape: Sendable {
    /// A rectangle of `size`, with corners rounded by `cornerRadius` pixels.
    case rect(size: Animatable<Vec2>, cornerRadius: Animatable<Double>)
    /// An ellipse with the given radii; a circle has equal radii.
    case ellipse(radii: Animatable<Vec2>)

    /// The scene-file key that introduces each kind, in the order messages list them.
    public static let kindNames = ["rect", "circle", "ellipse"]
}

/// An outline centred on the shape's edge.
public struct Stroke: Sendable {
    public var color: Animatable<Color>
    /// Pixels, in the layer's own units (scaled with it). The default is 1.
    public var width: Animatable<Double>

    public init(color: Animatable<Color>, width: Animatable<Double> = .constant(1)) {
        (self.color, self.width) = (color, width)
    }
}
