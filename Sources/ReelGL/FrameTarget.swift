import CEGL
import ReelCore

/// Where a frame is drawn: a multisampled colour buffer resolved into a texture, which
/// post passes sample and readback reads.
///
/// Orientation: Reel's canvas has y pointing down, and its projection puts canvas row 0 in
/// framebuffer row 0. Since `glReadPixels` returns rows from row 0 upwards, readback yields
/// top-to-bottom rows with no flip on either side.
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
        resolveFramebuffer = try context.makeFramebuffer(label: label + ".resolve", attachment: texture)
        let wanted = min(samples, context.info.maxSamples)
        if wanted > 1 {
            let color = try context.makeRenderbuffer(label: label + ".msaa", width: width, height: height, samples: wanted)
            multisampleFramebuffer = try context.makeFramebuffer(label: label + ".msaa", attachment: color)
            self.samples = wanted
        } else {
            multisampleFramebuffer = nil
            self.samples = 1
        }
    }

    /// Binds the drawing framebuffer, sets the viewport and clears to `clear` (straight
    /// alpha, premultiplied here), runs `body`, then resolves. Drawing is legal only inside.
    public func withPass<T>(clear: Color?, _ body: () throws -> T) throws -> T {
        context.assertOnThread()
        precondition(!inPass, "FrameTarget passes do not nest")
        inPass = true
        defer { inPass = false }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), (multisampleFramebuffer ?? resolveFramebuffer).name)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        if let clear {
            let (r, g, b, a) = clear.premultiplied
            glClearColor(GLfloat(r), GLfloat(g), GLfloat(b), GLfloat(a))
            glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        }
        let result = try body()
        if let multisampleFramebuffer {
            glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), multisampleFramebuffer.name)
            glBindFramebuffer(GLenum(GL_DRAW_FRAMEBUFFER), resolveFramebuffer.name)
            glBlitFramebuffer(0, 0, GLint(width), GLint(height), 0, 0, GLint(width), GLint(height),
                              GLbitfield(GL_COLOR_BUFFER_BIT), GLenum(GL_NEAREST))
        }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        try context.checkError("drawing a \(width)×\(height) frame")
        return result
    }

    /// Reads the resolved picture: premultiplied RGBA, rows top to bottom.
    public func readPixels() throws -> RGBAImage {
        context.assertOnThread()
        precondition(!inPass, "readPixels inside a pass would read an unresolved picture; read after withPass returns")
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), resolveFramebuffer.name)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        pixels.withUnsafeMutableBytes { buffer in
            glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), buffer.baseAddress)
        }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), 0)
        try context.checkError("reading back a \(width)×\(height) frame")
        return RGBAImage(width: width, height: height, pixels: pixels, isPremultiplied: true)
    }

    /// Deletes the target's GL objects now. Idempotent.
    public func release() {
        multisampleFramebuffer?.release()
        (multisampleFramebuffer?.attachment as? GLRenderbuffer)?.release()
        resolveFramebuffer.release()
        texture.release()
    }
}
