/// Everything a renderer needs to draw one frame, with every animation resolved.
///
/// Produced by `Timeline.evaluate`; holds no keyframes and no references to time, so a
/// renderer never needs the scene.
public struct FrameState: Sendable {
    public var frame: Int
    /// Seconds since the scene's start.
    public var time: Double
    public var width: Int
    public var height: Int
    public var background: Color
    public var samples: Int
    /// Layers to draw, in painter's order (hidden, faded-out and out-of-lifespan layers and
    /// mask sources are left out).
    public var layers: [LayerState]
    /// Post passes over the whole frame.
    public var passes: [ResolvedPluginUse]
    /// The scene's frame rate and seed, for passes drawn with the frame.
    public var fps: Double = 30
    public var seed: UInt64 = 0
    /// Output pixels per scene unit: 1, or the factor of `resized` (`--scale`). Passes
    /// multiply lengths in scene units by it.
    public var pixelScale: Double = 1
    /// Set when evaluating the frame took more than `Timeline.evaluationBudget` layer
    /// evaluations and stopped: the id of the layer it stopped at. Such a state is
    /// incomplete, and `FrameCost` refuses it.
    public var evaluationStoppedAt: String?

    public init(frame: Int, time: Double, width: Int, height: Int, background: Color, samples: Int,
                layers: [LayerState], passes: [ResolvedPluginUse] = []) {
        (self.frame, self.time, self.width, self.height) = (frame, time, width, height)
        (self.background, self.samples, self.layers, self.passes) = (background, samples, layers, passes)
    }
}

/// A plugin use with its parameters' values at this frame.
public struct ResolvedPluginUse: Sendable, Hashable {
    public var name: String
    public var parameters: [String: ResolvedValue]

    public init(name: String, parameters: [String: ResolvedValue]) { (self.name, self.parameters) = (name, parameters) }
}

/// One layer at one frame.
public struct LayerState: Sendable {
    public var id: String
    public var content: ContentState
    /// Maps the layer's own coordinates to its parent's (the canvas at the top level).
    public var transform: Affine2D
    /// 0…1, applied to the layer as a whole (a group composites as one).
    public var opacity: Double
    public var fill: Paint?
    public var stroke: StrokeState?
    public var trim: TrimState?
    public var blend: BlendMode
    public var mask: MaskState?
    public var effects: [ResolvedPluginUse]
    public var animate: [ResolvedPluginUse]

    public init(id: String, content: ContentState, transform: Affine2D, opacity: Double = 1, fill: Paint? = nil,
                stroke: StrokeState? = nil, trim: TrimState? = nil, blend: BlendMode = .normal, mask: MaskState? = nil,
                effects: [ResolvedPluginUse] = [], animate: [ResolvedPluginUse] = []) {
        self.id = id
        self.content = content
        self.transform = transform
        self.opacity = opacity
        self.fill = fill
        self.stroke = stroke
        self.trim = trim
        self.blend = blend
        self.mask = mask
        self.effects = effects
        self.animate = animate
    }
}

extension LayerState {
    /// The layer and everything under it (group children, mask sources), counting at most
    /// `limit`: the walk stops there, so it is cheap however many copies share storage.
    public func nodeCount(upTo limit: Int) -> Int {
        var count = 0
        func visit(_ layer: LayerState) {
            guard count < limit else { return }
            count += 1
            if case let .group(children) = layer.content {
                for child in children where count < limit { visit(child) }
            }
            if let mask = layer.mask {
                for source in mask.source where count < limit { visit(source) }
            }
        }
        visit(self)
        return count
    }
}

/// What a layer draws at one frame, all values resolved.
public enum ContentState: Sendable {
    case rect(halfSize: Vec2, cornerRadius: Double)
    case ellipse(radii: Vec2)
    case polygon(sides: Int, radius: Double)
    case star(points: Int, outerRadius: Double, innerRadius: Double)
    case line(from: Vec2, to: Vec2)
    case path(PathData, fillRule: FillRule)
    case text(TextState)
    case image(ImageState)
    case video(VideoState)
    case group([LayerState])
    case shader(ResolvedPluginUse, size: Vec2)

    /// The kind's name, for messages.
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

/// A text layer at one frame; hashable so shaped results can be cached by it.
public struct TextState: Sendable, Hashable {
    public var text: String
    public var fontFamily: String
    public var fontSize: Double
    public var fontWeight: Int
    public var italic: Bool
    public var align: TextAlign
    public var lineHeight: Double
    public var letterSpacing: Double
    /// Per-glyph changes made by animation passes (a typewriter reveal, a wave), applied in
    /// order after layout. Empty for plain text.
    public var glyphAdjustments: [GlyphAdjustment]

    public init(text: String, fontFamily: String, fontSize: Double, fontWeight: Int = 400, italic: Bool = false,
                align: TextAlign = .center, lineHeight: Double = 1.2, letterSpacing: Double = 0,
                glyphAdjustments: [GlyphAdjustment] = []) {
        (self.text, self.fontFamily, self.fontSize, self.fontWeight) = (text, fontFamily, fontSize, fontWeight)
        (self.italic, self.align, self.lineHeight, self.letterSpacing) = (italic, align, lineHeight, letterSpacing)
        self.glyphAdjustments = glyphAdjustments
    }

    /// The same text without glyph adjustments: what layout depends on.
    public var layoutKey: TextState {
        var plain = self
        plain.glyphAdjustments = []
        return plain
    }
}

/// The hook for per-glyph animation: glyphs whose characters fall in `characters` (indices
/// of Unicode scalars in the text) are moved, scaled and turned about their own origin on
/// the baseline, and faded. Adjustments compose: offsets add, scales and opacities multiply.
public struct GlyphAdjustment: Sendable, Hashable {
    public var characters: Range<Int>
    public var offset: Vec2
    public var scale: Double
    /// Degrees, clockwise.
    public var rotation: Double
    public var opacity: Double

    public init(characters: Range<Int>, offset: Vec2 = .zero, scale: Double = 1, rotation: Double = 0, opacity: Double = 1) {
        (self.characters, self.offset, self.scale, self.rotation, self.opacity) = (characters, offset, scale, rotation, opacity)
    }
}

public struct ImageState: Sendable, Hashable {
    public var asset: String
    public var size: Vec2?
    public var fit: Fit
    /// Corner radius of the drawn picture, in pixels.
    public var radius: Double
}

public struct VideoState: Sendable, Hashable {
    public var asset: String
    public var size: Vec2?
    public var fit: Fit
    /// Seconds into the clip, before looping or holding is applied (the decoder knows the
    /// clip's length; the timeline does not).
    public var clipTime: Double
    public var loop: Bool
}

public struct StrokeState: Sendable, Hashable {
    public var color: Color
    public var width: Double
    public var cap: LineCap
    public var join: LineJoin
    public var miterLimit: Double
    public var dash: [Double]?
    public var dashOffset: Double

    public init(color: Color, width: Double, cap: LineCap = .butt, join: LineJoin = .miter, miterLimit: Double = 4,
                dash: [Double]? = nil, dashOffset: Double = 0) {
        (self.color, self.width, self.cap, self.join) = (color, width, cap, join)
        (self.miterLimit, self.dash, self.dashOffset) = (miterLimit, dash, dashOffset)
    }
}

public struct TrimState: Sendable, Hashable {
    public var start: Double
    public var end: Double
    public var offset: Double
}

/// The resolved mask source. `source` holds the source layer, or nothing when the source
/// is outside its lifespan (an empty mask, which hides the layer unless inverted); a list
/// only because a struct cannot hold itself directly.
public struct MaskState: Sendable {
    public var source: [LayerState]
    public var mode: MaskMode
    public var invert: Bool
}

extension FrameState {
    /// The same frame drawn at `width` × `height` instead: everything under one scale from the
    /// canvas to the new size, so a half-size draft is the full frame made smaller, not cropped.
    public func resized(width newWidth: Int, height newHeight: Int) -> FrameState {
        guard newWidth != width || newHeight != height, width > 0, height > 0 else { return self }
        var copy = self
        copy.width = newWidth
        copy.height = newHeight
        let factor = Vec2(Double(newWidth) / Double(width), Double(newHeight) / Double(height))
        copy.transformRoot(by: .scale(factor))
        copy.pixelScale *= (factor.x * factor.y).squareRoot()
        return copy
    }

    /// Puts `transform` over the whole layer tree (and mask sources, which live beside it).
    public mutating func transformRoot(by transform: Affine2D) {
        for index in layers.indices {
            layers[index].transform = transform * layers[index].transform
            if var mask = layers[index].mask {
                for m in mask.source.indices { mask.source[m].transform = transform * mask.source[m].transform }
                layers[index].mask = mask
            }
        }
    }
}

extension Scene {
    /// The scene played at `fps` instead of its own rate: the same seconds, sampled at the new
    /// rate. Frame n shows time n / fps; the length stays `duration` (rounded up to whole
    /// frames), and keyframes written in frames (`90f`) keep the meaning they had at the
    /// scene's own rate.
    public func retimed(fps: Double) -> Scene {
        guard fps > 0, fps != canvas.fps else { return self }
        var copy = self
        copy.canvas.frameCount = max(1, Int((canvas.duration * fps - 1e-9).rounded(.up)))
        copy.canvas.fps = fps
        return copy
    }
}
