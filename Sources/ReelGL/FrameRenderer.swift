import CEGL
import ReelCore

/// Turns `FrameState`s into pictures: owns the frame target and the layer renderers, and
/// reuses them from frame to frame (nothing is allocated per frame).
public final class FrameRenderer {
    private let context: GLContext
    private let painter: LayerPainter
    private let passes: PassGL
    private let chain: PassChain
    private var yuv: YUVConverter?
    private var target: FrameTarget?

    /// - Parameters:
    ///   - assets: supplies pictures for image layers; without one, a frame with an image
    ///     layer fails with `E-MEDIA-IMAGE`.
    ///   - text: lays out text layers; without one, a frame with text fails with `E-TEXT-FONT`.
    ///   - plugins: post passes, layer effects and shader layers are looked up here; uses it
    ///     lacks are skipped and reported in `skippedFeatures`.
    /// - Throws: `E-GL-SHADER` when the driver rejects Reel's shaders.
    public init(context: GLContext, assets: AssetLoader? = nil, text: TextShaper? = nil, plugins: PluginRegistry = .empty) throws {
        self.context = context
        passes = try PassGL(context: context)
        chain = PassChain(plugins: plugins, gl: passes, assets: assets)
        painter = try LayerPainter(context: context, assets: assets, shaper: text, chain: chain)
    }

    /// Features met in rendered frames that this renderer does not draw, e.g. a pass whose
    /// plugin is not loaded. Callers report them rather than let them vanish silently.
    public var skippedFeatures: Set<String> { painter.skipped.union(passSkips) }
    private var passSkips: Set<String> = []

    /// Draws `state` and returns its pixels (premultiplied RGBA, rows top to bottom).
    public func render(_ state: FrameState) throws -> RGBAImage {
        var pixels: [UInt8] = []
        try render(state, into: &pixels)
        return RGBAImage(width: state.width, height: state.height, pixels: pixels, isPremultiplied: true)
    }

    /// Draws `state` and reads it into `pixels` (premultiplied RGBA, rows top to bottom),
    /// reusing the array's storage from frame to frame.
    public func render(_ state: FrameState, into pixels: inout [UInt8]) throws {
        let target = try draw(state)
        try target.readPixels(into: &pixels)
    }

    /// Draws `state`, converts it to BT.709 limited-range YUV 4:2:0 on the GPU and reads the
    /// planes into `planes` (storage reused from frame to frame).
    public func renderYUV(_ state: FrameState, into planes: inout YUVPlanes) throws {
        let target = try draw(state)
        let converter = try yuv ?? YUVConverter(context: context)
        yuv = converter
        try converter.convert(target.texture, width: state.width, height: state.height, into: &planes)
    }

    /// Like `renderYUV(_:into:)`, and also reads the RGBA frame into `pixels` (premultiplied,
    /// rows top to bottom): for checksums of exactly the frame that was converted.
    public func renderYUV(_ state: FrameState, into planes: inout YUVPlanes, rgba pixels: inout [UInt8]) throws {
        let target = try draw(state)
        try target.readPixels(into: &pixels)
        let converter = try yuv ?? YUVConverter(context: context)
        yuv = converter
        try converter.convert(target.texture, width: state.width, height: state.height, into: &planes)
    }

    /// Draws `state` and starts reading it back into a free buffer of `ring`, in the ring's
    /// layout, without waiting for the GPU: `ring.collect(keepingInFlight:)` lends the
    /// pixels once they have arrived. Waits for a lent frame to come back when every buffer
    /// of the ring is busy.
    /// - Throws: GL errors, `E-GL-CONTEXT-LOST`, and whatever drawing the frame throws.
    public func render(_ state: FrameState, readingInto ring: ReadbackRing) throws {
        let target = try draw(state)
        let (slot, buffer, regions) = try ring.acquire(width: state.width, height: state.height)
        // Bound only while the reads are queued: any other read must land in client memory.
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer.name)
        defer { glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0) }
        if let rgba = regions.rgba { try target.readPixels(intoPackBufferAt: rgba) }
        if let luma = regions.luma, let chroma = regions.chroma {
            let converter = try yuv ?? YUVConverter(context: context)
            yuv = converter
            try converter.convert(target.texture, width: state.width, height: state.height, intoPackBufferLuma: luma, chroma: chroma)
        }
        try ring.submit(slot, frame: state.frame)
    }

    /// Draws `state` without reading it back: a warm-up frame for stateful passes.
    public func prime(_ state: FrameState) throws {
        _ = try draw(state)
    }

    /// Paints the layers, then runs the scene's passes and leaves the result in the target's
    /// resolved texture, where readback and colour conversion find it.
    private func draw(_ state: FrameState) throws -> FrameTarget {
        try context.checkAlive(frame: state.frame)
        let target = try target(width: state.width, height: state.height, samples: state.samples)
        defer { passes.endFrame() }
        try target.withPass(clear: state.background) {
            try painter.paint(state, into: target)
        }
        guard !state.passes.isEmpty else { return target }
        let site = PassChain.Site(state: state, key: "passes", width: state.width, height: state.height)
        let frame = PassImage(target.texture)
        let result = try chain.run(state.passes, at: site, source: { frame }, skipped: &passSkips)
        if result.texture !== target.texture {
            try passes.copy(result, into: target.resolveFramebuffer, width: state.width, height: state.height)
        }
        return target
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
        passes.release()
        yuv?.releaseAll()
        yuv = nil
    }
}
