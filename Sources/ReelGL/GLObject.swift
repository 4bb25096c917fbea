import CEGL

/// A GL object that owns its name.
///
/// Made only through `GLContext` (the factory). `release()` deletes it at once on the GL
/// thread and may be called any number of times; otherwise `deinit` queues the name for the
/// GL thread to delete. Using a released object is a programming error.
public class GLObject {
    /// The GL name; 0 after `release()`.
    public private(set) var name: GLuint
    public let kind: GLObjectKind
    /// A label for messages and debugging, e.g. "reel.shapes".
    public let label: String
    let context: GLContext

    init(_ kind: GLObjectKind, name: GLuint, label: String, context: GLContext) {
        self.kind = kind
        self.name = name
        self.label = label
        self.context = context
        context.didCreate(kind)
    }

    /// Deletes the object now. Idempotent. Must run on the GL thread.
    public func release() {
        guard name != 0 else { return }
        context.delete(kind, name)
        name = 0
    }

    /// True once `release()` has run.
    public var isReleased: Bool { name == 0 }

    deinit {
        if name != 0 { context.releaseQueue.enqueue(kind, name) }
    }
}

/// A compiled vertex or fragment shader stage.
public final class GLShader: GLObject {
    public let stage: GLenum

    init(name: GLuint, label: String, stage: GLenum, context: GLContext) {
        self.stage = stage
        super.init(.shader, name: name, label: label, context: context)
    }
}

/// A linked program with its uniform locations cached by name.
public final class GLProgram: GLObject {
    private var uniforms: [String: GLint] = [:]

    /// The location of a uniform, or -1 when the program has none by that name (GL ignores
    /// uploads to -1, so an optimised-out uniform is harmless).
    public func uniformLocation(_ uniform: String) -> GLint {
        if let cached = uniforms[uniform] { return cached }
        context.assertOnThread()
        let location = glGetUniformLocation(name, uniform)
        uniforms[uniform] = location
        return location
    }

    public func use() {
        context.assertOnThread()
        glUseProgram(name)
    }
}

/// A buffer object (vertices, instances, pixel packs).
public final class GLBuffer: GLObject {}

/// A 2D texture.
public final class GLTexture: GLObject {
    public let width: Int
    public let height: Int

    init(name: GLuint, label: String, width: Int, height: Int, context: GLContext) {
        self.width = width
        self.height = height
        super.init(.texture, name: name, label: label, context: context)
    }
}

/// A renderbuffer, possibly multisampled.
public final class GLRenderbuffer: GLObject {
    public let width: Int
    public let height: Int
    public let samples: Int

    init(name: GLuint, label: String, width: Int, height: Int, samples: Int, context: GLContext) {
        self.width = width
        self.height = height
        self.samples = samples
        super.init(.renderbuffer, name: name, label: label, context: context)
    }
}

/// A framebuffer object with one colour attachment, which it keeps alive.
public final class GLFramebuffer: GLObject {
    public let width: Int
    public let height: Int
    /// The texture or renderbuffer drawn into.
    public let attachment: GLObject
    /// The depth-stencil renderbuffer, when the framebuffer has one.
    public let stencil: GLRenderbuffer?
    /// Colour attachments 1, 2…, for shaders with several outputs.
    public let more: [GLTexture]

    init(name: GLuint, label: String, attachment: GLObject, stencil: GLRenderbuffer?, more: [GLTexture] = [],
         width: Int, height: Int, context: GLContext) {
        self.attachment = attachment
        self.stencil = stencil
        self.more = more
        self.width = width
        self.height = height
        super.init(.framebuffer, name: name, label: label, context: context)
    }
}

/// A vertex array object.
public final class GLVertexArray: GLObject {}
