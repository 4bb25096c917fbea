import CEGL
import ReelCore

/// Where a frame (or an isolated layer) is drawn: a multisampled colour buffer with a
/// stencil buffer, resolved into a texture that compositing samples and readback reads.
///
/// Orientation: Reel's canvas has y pointing down, and its projection puts canvas row 0 in
/// framebuffer row 0. Since `glReadPixels` returns rows from row 0 upwards, readback yields
/// top-to-bottom rows with no flip on either side; textures sampled by `gl_FragCoord` agree.
public final class FrameTarget {
    public let width: Int
    public let height: Int
    /// The sample count actually obtained (after clamping to the driver's maximum); 1 when
    /// drawing goes straight into the resolve texture.
    public let samples: Int
    /// The resolved, single-sample picture.
    public let texture: GLTexture
    let resolveFramebuffer: GLFramebuffer
    let multisampleFramebuffer: GLFramebuffer?
    private let context: GLContext
    private var inPass = false

    /// - Throws: `ReelError` when the size exceeds the driver's limits or the framebuffer is
    ///   incomplete.
    public init(context: GLContext, width: Int, height: Int, samples: Int, label: String = "reel.frame") throws {
        self.context = context
        self.width = width
        self.height = height
        texture = try context.makeTexture(label: label + ".color", width: width, height: height)
        let wanted = min(samples, context.info.maxSamples)
        resolveFramebuffer = try context.makeFramebuffer(label: label + ".resolve", attachment: texture)
        if wanted > 1 {
            let color = try context.makeRenderbuffer(label: label + ".msaa", width: width, height: height, samples: wanted)
            multisampleFramebuffer = try context.makeFramebuffer(label: label + ".msaa", attachment: color)
            self.samples = wanted
        } else {
            multisampleFramebuffer = nil
            self.samples = 1
        }
        self.label = label
    }

    private let label: String
    /// Made on first use: frames of plain shapes never need it, and on a CPU rasterizer a
    /// depth-stencil attachment costs time on every frame.
    private var stencil: GLRenderbuffer?

    /// Attaches a zeroed stencil buffer to the drawing framebuffer if it has none, and leaves
    /// the drawing framebuffer bound. Every stencil user leaves the stencil zeroed again
    /// (cover passes reset what they mark), so it is cleared only here.
    func ensureStencil() throws {
        context.assertOnThread()
        guard stencil == nil else { return }
        let buffer = try context.makeRenderbuffer(label: label + ".stencil", width: width, height: height, samples: samples,
                                                  format: GLenum(GL_DEPTH24_STENCIL8))
        bindForDrawing()
        glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_STENCIL_ATTACHMENT), GLenum(GL_RENDERBUFFER), buffer.name)
        let status = glCheckFramebufferStatus(GLenum(GL_FRAMEBUFFER))
        guard status == GLenum(GL_FRAMEBUFFER_COMPLETE) else {
            buffer.release()
            throw ReelError(.framebufferIncomplete, "framebuffer '\(label)' with a stencil buffer is incomplete (status 0x\(String(status, radix: 16)))")
        }
        stencil = buffer
        glStencilMask(0xFF)
        glClearStencil(0)
        // All of it, whatever region the painter is limited to now: later users rely on zeroes.
        let scissored = glIsEnabled(GLenum(GL_SCISSOR_TEST)) != 0
        if scissored { glDisable(GLenum(GL_SCISSOR_TEST)) }
        glClear(GLbitfield(GL_STENCIL_BUFFER_BIT))
        if scissored { glEnable(GLenum(GL_SCISSOR_TEST)) }
        try context.checkError("adding a stencil buffer to '\(label)'")
    }

    /// Binds the drawing framebuffer, sets the viewport and clears colour (to `clear`,
    /// premultiplied here) and stencil, runs `body`, then resolves. Drawing is legal only
    /// inside.
    public func withPass<T>(clear: Color?, _ body: () throws -> T) throws -> T {
        begin(clear: clear)
        defer { inPass = false }
        let result = try body()
        try end()
        return result
    }

    /// Starts drawing into this target (see `withPass`); `end()` finishes.
    func begin(clear: Color?) {
        context.assertOnThread()
        precondition(!inPass, "FrameTarget passes do not nest")
        inPass = true
        bindForDrawing()
        if let clear {
            let (r, g, b, a) = clear.premultiplied
            glClearColor(GLfloat(r), GLfloat(g), GLfloat(b), GLfloat(a))
            Self.withinScissorGrown(width: width, height: height) { _ in glClear(GLbitfield(GL_COLOR_BUFFER_BIT)) }
        }
    }

    /// Rebinds this target for drawing, e.g. after drawing into another one.
    func bindForDrawing() {
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), (multisampleFramebuffer ?? resolveFramebuffer).name)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
    }

    /// Resolves what was drawn into `texture` without ending the pass.
    func resolve() {
        guard let multisampleFramebuffer else { return }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), multisampleFramebuffer.name)
        glBindFramebuffer(GLenum(GL_DRAW_FRAMEBUFFER), resolveFramebuffer.name)
        Self.blitWithinScissor(width: width, height: height)
    }

    /// Blits the bound read framebuffer's colour onto the bound draw framebuffer, over the
    /// scissor box when the scissor test is on (the painter limits an isolated layer to its
    /// pixels), else over the whole target. The box is passed as the blit's rectangle with the
    /// test off: llvmpipe was seen to skip the box's first row and column in a scissored
    /// multisample resolve.
    static func blitWithinScissor(width: Int, height: Int) {
        withinScissorGrown(width: width, height: height) { box in
            let scissored = glIsEnabled(GLenum(GL_SCISSOR_TEST)) != 0
            if scissored { glDisable(GLenum(GL_SCISSOR_TEST)) }
            glBlitFramebuffer(box[0], box[1], box[0] + box[2], box[1] + box[3], box[0], box[1], box[0] + box[2], box[1] + box[3],
                              GLbitfield(GL_COLOR_BUFFER_BIT), GLenum(GL_NEAREST))
            if scissored { glEnable(GLenum(GL_SCISSOR_TEST)) }
        }
    }

    /// Runs `body` with the scissor box (when the test is on) grown by a pixel on every side,
    /// clamped to the target, and passes it the box (the whole target when the test is off).
    /// Clears and resolves cover that extra ring because llvmpipe's multisampled scissor lets
    /// a draw touch samples of the pixels just outside the box: what the composite reads there
    /// must be defined.
    static func withinScissorGrown(width: Int, height: Int, _ body: ([GLint]) -> Void) {
        guard glIsEnabled(GLenum(GL_SCISSOR_TEST)) != 0 else {
            body([0, 0, GLint(width), GLint(height)])
            return
        }
        var box: [GLint] = [0, 0, 0, 0]
        glGetIntegerv(GLenum(GL_SCISSOR_BOX), &box)
        let x0 = max(0, box[0] - 1), y0 = max(0, box[1] - 1)
        let x1 = min(GLint(width), box[0] + box[2] + 1), y1 = min(GLint(height), box[1] + box[3] + 1)
        let grown: [GLint] = [x0, y0, x1 - x0, y1 - y0]
        glScissor(grown[0], grown[1], grown[2], grown[3])
        body(grown)
        glScissor(box[0], box[1], box[2], box[3])
    }

    func end() throws {
        resolve()
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        inPass = false
        try context.checkError("drawing a \(width)×\(height) frame")
    }

    /// Reads the resolved picture: premultiplied RGBA, rows top to bottom.
    public func readPixels() throws -> RGBAImage {
        var pixels: [UInt8] = []
        try readPixels(into: &pixels)
        return RGBAImage(width: width, height: height, pixels: pixels, isPremultiplied: true)
    }

    /// Reads the resolved picture into `pixels`, reusing its storage when it is large enough.
    public func readPixels(into pixels: inout [UInt8]) throws {
        context.assertOnThread()
        precondition(!inPass, "readPixels inside a pass would read an unresolved picture; read after withPass returns")
        if pixels.count != width * height * 4 { pixels = [UInt8](repeating: 0, count: width * height * 4) }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), resolveFramebuffer.name)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        pixels.withUnsafeMutableBytes { buffer in
            glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), buffer.baseAddress)
        }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), 0)
        try context.checkError("reading back a \(width)×\(height) frame")
    }

    /// Queues a read of the resolved picture into the pixel-pack buffer bound now, at
    /// `offset` bytes (premultiplied RGBA, rows top to bottom): it returns at once, and the
    /// pixels land when the GPU reaches it (`ReadbackRing`).
    func readPixels(intoPackBufferAt offset: Int) throws {
        context.assertOnThread()
        precondition(!inPass, "readPixels inside a pass would read an unresolved picture; read after withPass returns")
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), resolveFramebuffer.name)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE),
                     UnsafeMutableRawPointer(mutating: reel_gl_offset(offset)))
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), 0)
        try context.checkError("starting the readback of a \(width)×\(height) frame")
    }

    /// Deletes the target's GL objects now. Idempotent.
    public func release() {
        for framebuffer in [multisampleFramebuffer, resolveFramebuffer].compactMap({ $0 }) {
            framebuffer.release()
            (framebuffer.attachment as? GLRenderbuffer)?.release()
        }
        stencil?.release()
        stencil = nil
        texture.release()
    }
}
