/// Bounds that keep a hostile or mistaken scene file from exhausting memory or time.
/// Each has a default that no reasonable scene reaches; a scene over one is refused with a
/// located `E-SCENE-LIMIT` before anything is drawn. The README's limits table lists them.
public struct SceneLimits: Sendable {
    /// Largest scene file read, in bytes. The default is 16 MiB.
    public var maxFileBytes = 16 << 20
    /// Deepest nesting of mappings and lists. The default is 64.
    public var maxDepth = 64
    /// Most nodes (values, lists, mappings) in the document once YAML aliases are expanded:
    /// a kilobyte of nested aliases can otherwise stand for billions of nodes. The default
    /// is 1 000 000.
    public var maxNodes = 1_000_000
    /// Most keyframes on one property. The default is 100 000.
    public var maxKeyframes = 100_000
    /// Widest or tallest canvas, in pixels. The default is 16 384.
    public var maxCanvasSide = 16_384
    /// Most pixels in a canvas. The default is 8192 × 8192.
    public var maxCanvasPixels = 8192 * 8192
    /// Longest scene, in seconds. The default is 24 hours.
    public var maxDurationSeconds: Double = 24 * 3600
    /// Most frames in a scene (duration × rate). The default is 24 hours at 120 fps.
    public var maxFrames = 24 * 3600 * 120
    /// Most layers. The default is 100 000.
    public var maxLayers = 100_000
    /// Most characters (Unicode scalars) in one text layer. The default is 20 000.
    public var maxTextCharacters = 20_000
    /// Most characters of text in the whole scene, every text layer and keyframe together.
    /// The default is 200 000.
    public var maxSceneTextCharacters = 200_000
    /// Most pixels in one decoded picture: an image asset, or a frame of a video asset.
    /// Checked from the file's header before it is decoded. The default is 8192 × 8192.
    public var maxImagePixels = 8192 * 8192
    /// Most pixels of every image asset a scene decodes, together. The default is
    /// 2 × 8192 × 8192.
    public var maxSceneImagePixels = 2 * 8192 * 8192
    /// Most pixel-samples drawn into offscreen targets in one frame (groups composited as one,
    /// masks, effects), estimated from the scene before rendering: each isolated layer costs
    /// its target's pixels × samples. The default is 2³² (about 16 full-canvas passes at
    /// 8192², or 500 at 1080p with 4× MSAA).
    public var maxFrameDrawCost = 1 << 32
    /// Most offscreen target bytes held at once while a frame is drawn (isolated layers
    /// nested in isolated layers each hold one, with its mask). The default is 4 GiB.
    public var maxFrameTargetBytes = 4 << 30
    /// Most shapes, pictures and text layers drawn in one frame, once animation passes have
    /// made their copies (`motion.repeat` in `motion.repeat` multiplies). The default is 200 000.
    public var maxFrameItems = 200_000
    /// Most glyphs drawn in one frame, every copy of every text layer together. The default
    /// is 100 000.
    public var maxFrameGlyphs = 100_000

    public init() {}
}
