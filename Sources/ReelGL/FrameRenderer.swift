import ReelCore

/// Turns `FrameState`s into pictures: owns the frame target and the layer renderers, and
/// reuses them from frame to frame (nothing is allocated per frame).
public final class FrameRenderer {
    private let context: GLContext
    private let painter: LayerPainter
    private var yuv: YUVConverter?
    private var target: FrameTarget?

    /// - Parameters:
    ///   - assets: supplies pictures for image layers; without one, a frame with an image
    ///     layer fails with `E-MEDIA-IMAGE`.
    ///   - text: lays out text layers; without one, a frame with text fails with `E-TEXT-FONT`.
    /// - Throws: `E-GL-SHADER` when the driver rejects Reel's shaders.
    public init(context: GLContext, assets: AssetLoader? = nil, text: TextShaper? = nil) throws {
        self.context = context
        painter = try LayerPainter(context: context, assets: assets, shaper: text)
    }

    /// Features met in rendered frames that this renderer does not draw yet, e.g.
    /// "text layers". Callers report them rather than let them vanish silently.
    public var skippedFeatures: Set<String> { painter.skipped }

    /// Draws `state` and returns its pixels (premultiplied RGBA, rows top to bottom).
    public func render(_ state: FrameState) throws -> RGBAImage {
        var pixels: [UInt8] = []
        try render(state, into: &pixels)
        return RGBAImage(width: state.width, height: state.height, pixels: pixels, isPremultiplied: true)
    }

    /// Draws `state` and reads it into `pixels` (premultiplied RGBA, rows top to bottom),
    /// reusing the array's storage from frame to frame.
    public func render(_ state: FrameState, into pixels: inout [UInt8]) throws {
        let target = try target(width: state.width, height: state.height, samples: state.samples)
        try target.withPass(clear: state.background) {
            try painter.paint(state, into: target)
        }
        try target.readPixels(into: &pixels)
    }

    /// Draws `state`, converts it to BT.709 limited-range YUV 4:2:0 on the GPU and reads the
    /// planes into `planes` (storage reused from frame to frame).
    public func renderYUV(_ state: FrameState, into planes: inout YUVPlanes) throws {
        let target = try target(width: state.width, height: state.height, samples: state.samples)
        try target.withPass(clear: state.background) {
            try painter.paint(state, into: target)
        }
        let converter = try yuv ?? YUVConverter(context: context)
        yuv = converter
        try converter.convert(target.texture, width: state.width, height: state.height, into: &planes)
    }

    private func target(width: Int, height: Int, samples: Int) throws -> FrameTarget {
        if let target, target.width == width, target.height == height,
           target.samples == min(max(samples, 1), max(context.info.maxSamples, 1)) {
            return target
        }
        target?.release()
        let fresh = try FrameTarget(context: context, width: width, height: height, samples: samples)
        target = fresh
        return fresh
    }

    /// Deletes all GL objects now. Idempotent.
    public func release() {
        target?.release()
        target = nil
        painter.release()
        yuv?.releaseAll()
        yuv = nil
    }
}
