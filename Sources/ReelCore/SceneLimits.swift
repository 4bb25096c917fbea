/// Bounds that keep a hostile or mistaken scene file from exhausting memory or time.
/// Each has a default that no reasonable scene reaches.
public struct SceneLimits: Sendable {
    /// Largest scene file read, in bytes. The default is 16 MiB.
    public var maxFileBytes = 16 << 20
    /// Deepest nesting of mappings and lists. The default is 64.
    public var maxDepth = 64
    /// Most keyframes on one property. The default is 100 000.
    public var maxKeyframes = 100_000
    /// Widest or tallest canvas, in pixels. The default is 16 384.
    public var maxCanvasSide = 16_384
    /// Most pixels in a canvas. The default is 8192 × 8192.
    public var maxCanvasPixels = 8192 * 8192
    /// Longest scene, in seconds. The default is 24 hours.
    public var maxDurationSeconds: Double = 24 * 3600
    /// Most layers. The default is 100 000.
    public var maxLayers = 100_000

    public init() {}
}
