import CEGL
import Foundation
import ReelCore

// MARK: - Making GL objects

extension GLContext {
    /// Compiles one shader stage.
    /// - Throws: `E-GL-SHADER` with `label` and the driver's log when compilation fails.
    public func makeShader(stage: GLenum, source: String, label: String) throws -> GLShader {
        assertOnThread()
        let name = glCreateShader(stage)
        guard name != 0 else { throw ReelError(.glError, "glCreateShader failed for '\(label)'", context: "glCreateShader") }
        let shader = GLShader(name: name, label: label, stage: stage, context: self)
        faults.shaderSource(source, label: label).withCString { pointer in
            var p: UnsafePointer<GLchar>? = pointer
            glShaderSource(name, 1, &p, nil)
        }
        glCompileShader(name)
        var status: GLint = 0
        glGetShaderiv(name, GLenum(GL_COMPILE_STATUS), &status)
        guard status == GL_TRUE else {
            let log = infoLog(name, getLength: glGetShaderiv, getLog: glGetShaderInfoLog)
            let stageName = stage == GLenum(GL_VERTEX_SHADER) ? "vertex" : "fragment"
            shader.release()
            throw ReelError(.shaderCompile, "\(stageName) shader '\(label)' failed to compile",
                            detail: (log.isEmpty ? "the driver gave no log" : log) + "\ndriver: \(info.renderer)")
        }
        return shader
    }

    /// Compiles and links a program from GLSL ES 3.00 sources.
    /// - Throws: `E-GL-SHADER` naming `label` and carrying the driver's log.
    public func makeProgram(label: String, vertex: String, fragment: String) throws -> GLProgram {
        assertOnThread()
        let vs = try makeShader(stage: GLenum(GL_VERTEX_SHADER), source: vertex, label: label + ".vert")
        let fs = try makeShader(stage: GLenum(GL_FRAGMENT_SHADER), source: fragment, label: label + ".frag")
        defer {
            vs.release()
            fs.release()
        }
        let name = glCreateProgram()
        guard name != 0 else { throw ReelError(.glError, "glCreateProgram failed for '\(label)'", context: "glCreateProgram") }
        let program = GLProgram(.program, name: name, label: label, context: self)
        glAttachShader(name, vs.name)
        glAttachShader(name, fs.name)
        glLinkProgram(name)
        glDetachShader(name, vs.name)
        glDetachShader(name, fs.name)
        var status: GLint = 0
        glGetProgramiv(name, GLenum(GL_LINK_STATUS), &status)
        guard status == GL_TRUE else {
            let log = infoLog(name, getLength: glGetProgramiv, getLog: glGetProgramInfoLog)
            program.release()
            throw ReelError(.shaderCompile, "program '\(label)' failed to link", detail: log.isEmpty ? "the driver gave no log" : log)
        }
        try checkError("linking program '\(label)'")
        return program
    }

    private func infoLog(_ name: GLuint,
                         getLength: (GLuint, GLenum, UnsafeMutablePointer<GLint>?) -> Void,
                         getLog: (GLuint, GLsizei, UnsafeMutablePointer<GLsizei>?, UnsafeMutablePointer<GLchar>?) -> Void) -> String {
        var length: GLint = 0
        getLength(name, GLenum(GL_INFO_LOG_LENGTH), &length)
        guard length > 1 else { return "" }
        var buffer = [GLchar](repeating: 0, count: Int(length))
        getLog(name, length, nil, &buffer)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A buffer object, optionally filled.
    public func makeBuffer(label: String, target: GLenum = GLenum(GL_ARRAY_BUFFER), bytes: UnsafeRawBufferPointer? = nil,
                           usage: GLenum = GLenum(GL_STATIC_DRAW)) throws -> GLBuffer {
        assertOnThread()
        var name: GLuint = 0
        glGenBuffers(1, &name)
        let buffer = GLBuffer(.buffer, name: name, label: label, context: self)
        if let bytes {
            glBindBuffer(target, name)
            glBufferData(target, GLsizeiptr(bytes.count), bytes.baseAddress, usage)
            glBindBuffer(target, 0)
        }
        try checkError("creating buffer '\(label)'")
        return buffer
    }

    /// A vertex array object.
    public func makeVertexArray(label: String) throws -> GLVertexArray {
        assertOnThread()
        var name: GLuint = 0
        glGenVertexArrays(1, &name)
        let vao = GLVertexArray(.vertexArray, name: name, label: label, context: self)
        try checkError("creating vertex array '\(label)'")
        return vao
    }

    /// A texture with linear filtering and clamped edges, RGBA8 unless `format` says
    /// otherwise, optionally filled with tightly packed RGBA8 rows.
    public func makeTexture(label: String, width: Int, height: Int, format: TextureFormat = .rgba8,
                            pixels: UnsafeRawBufferPointer? = nil) throws -> GLTexture {
        assertOnThread()
        try checkSize(width, height, limit: info.maxTextureSize, what: "texture '\(label)'")
        precondition(pixels == nil || format == .rgba8, "only RGBA8 textures are filled on creation")
        var name: GLuint = 0
        glGenTextures(1, &name)
        let texture = GLTexture(name: name, label: label, width: width, height: height, context: self)
        glBindTexture(GLenum(GL_TEXTURE_2D), name)
        glTexStorage2D(GLenum(GL_TEXTURE_2D), 1, format == .rgba8 ? GLenum(GL_RGBA8) : GLenum(GL_RGBA16F), GLsizei(width), GLsizei(height))
        if let pixels {
            precondition(pixels.count >= width * height * 4, "texture data is smaller than the texture")
            glPixelStorei(GLenum(GL_UNPACK_ALIGNMENT), 1)
            glTexSubImage2D(GLenum(GL_TEXTURE_2D), 0, 0, 0, GLsizei(width), GLsizei(height),
                            GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), pixels.baseAddress)
        }
        for (parameter, value) in [(GL_TEXTURE_MIN_FILTER, GL_LINEAR), (GL_TEXTURE_MAG_FILTER, GL_LINEAR),
                                   (GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE), (GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE)] {
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(parameter), value)
        }
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        try checkError("creating texture '\(label)' (\(width)×\(height))")
        return texture
    }

    /// A mipmapped RGBA8 texture of `image` (premultiplied on upload), filtered trilinearly
    /// so pictures scaled down stay smooth.
    public func makeMipmappedTexture(label: String, image: RGBAImage) throws -> GLTexture {
        assertOnThread()
        try checkSize(image.width, image.height, limit: info.maxTextureSize, what: "texture '\(label)'")
        var name: GLuint = 0
        glGenTextures(1, &name)
        let texture = GLTexture(name: name, label: label, width: image.width, height: image.height, context: self)
        let levels = GLsizei(Int(log2(Double(max(image.width, image.height)))) + 1)
        glBindTexture(GLenum(GL_TEXTURE_2D), name)
        glTexStorage2D(GLenum(GL_TEXTURE_2D), levels, GLenum(GL_RGBA8), GLsizei(image.width), GLsizei(image.height))
        for (parameter, value) in [(GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR), (GL_TEXTURE_MAG_FILTER, GL_LINEAR),
                                   (GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE), (GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE)] {
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(parameter), value)
        }
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        try update(texture, with: image)
        return texture
    }

    /// Replaces the picture of a texture made by `makeMipmappedTexture` with one of the same
    /// size, and rebuilds its mipmaps.
    public func update(_ texture: GLTexture, with image: RGBAImage) throws {
        assertOnThread()
        precondition(texture.width == image.width && texture.height == image.height, "texture update of another size")
        let pixels = image.isPremultiplied ? image.pixels : Self.premultiply(image.pixels)
        glBindTexture(GLenum(GL_TEXTURE_2D), texture.name)
        glPixelStorei(GLenum(GL_UNPACK_ALIGNMENT), 1)
        pixels.withUnsafeBytes { raw in
            glTexSubImage2D(GLenum(GL_TEXTURE_2D), 0, 0, 0, GLsizei(image.width), GLsizei(image.height),
                            GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), raw.baseAddress)
        }
        glGenerateMipmap(GLenum(GL_TEXTURE_2D))
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        try checkError("updating texture '\(texture.label)'")
    }

    static func premultiply(_ input: [UInt8]) -> [UInt8] {
        var pixels = input
        for i in stride(from: 0, to: pixels.count, by: 4) where pixels[i + 3] != 255 {
            let a = Int(pixels[i + 3])
            for c in 0..<3 { pixels[i + c] = UInt8((Int(pixels[i + c]) * a + 127) / 255) }
        }
        return pixels
    }

    /// A renderbuffer with `samples` samples (clamped to what the driver supports; 1 or less
    /// means not multisampled). The default format is RGBA8; stencil buffers use
    /// GL_DEPTH24_STENCIL8.
    public func makeRenderbuffer(label: String, width: Int, height: Int, samples: Int,
                                 format: GLenum = GLenum(GL_RGBA8)) throws -> GLRenderbuffer {
        assertOnThread()
        try checkSize(width, height, limit: info.maxRenderbufferSize, what: "renderbuffer '\(label)'")
        let samples = min(max(samples, 0), info.maxSamples)
        var name: GLuint = 0
        glGenRenderbuffers(1, &name)
        let renderbuffer = GLRenderbuffer(name: name, label: label, width: width, height: height,
                                          samples: samples, context: self)
        glBindRenderbuffer(GLenum(GL_RENDERBUFFER), name)
        glRenderbufferStorageMultisample(GLenum(GL_RENDERBUFFER), GLsizei(samples > 1 ? samples : 0),
                                         format, GLsizei(width), GLsizei(height))
        glBindRenderbuffer(GLenum(GL_RENDERBUFFER), 0)
        try checkError("creating renderbuffer '\(label)' (\(width)×\(height), \(samples) samples)")
        return renderbuffer
    }

    /// A framebuffer drawing into `attachment` (a `GLTexture` or a `GLRenderbuffer`), with
    /// `stencil` (a depth-stencil renderbuffer of the same size and samples) when given, and
    /// `more` textures of the same size as colour attachments 1, 2… for shaders with several
    /// outputs.
    /// - Throws: `E-GL-FRAMEBUFFER` when the driver calls the result incomplete.
    public func makeFramebuffer(label: String, attachment: GLObject, stencil: GLRenderbuffer? = nil,
                                more: [GLTexture] = []) throws -> GLFramebuffer {
        assertOnThread()
        var name: GLuint = 0
        glGenFramebuffers(1, &name)
        let size: (Int, Int)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), name)
        switch attachment {
        case let texture as GLTexture:
            glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_TEXTURE_2D), texture.name, 0)
            size = (texture.width, texture.height)
        case let renderbuffer as GLRenderbuffer:
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_RENDERBUFFER), renderbuffer.name)
            size = (renderbuffer.width, renderbuffer.height)
        default:
            preconditionFailure("a framebuffer attachment must be a texture or a renderbuffer")
        }
        if let stencil {
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_STENCIL_ATTACHMENT), GLenum(GL_RENDERBUFFER), stencil.name)
        }
        if !more.isEmpty {
            var buffers = [GLenum(GL_COLOR_ATTACHMENT0)]
            for (index, texture) in more.enumerated() {
                let point = GLenum(GL_COLOR_ATTACHMENT1) + GLenum(index)
                glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), point, GLenum(GL_TEXTURE_2D), texture.name, 0)
                buffers.append(point)
            }
            glDrawBuffers(GLsizei(buffers.count), buffers)
        }
        let framebuffer = GLFramebuffer(name: name, label: label, attachment: attachment, stencil: stencil, more: more,
                                        width: size.0, height: size.1, context: self)
        let status = glCheckFramebufferStatus(GLenum(GL_FRAMEBUFFER))
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        guard status == GLenum(GL_FRAMEBUFFER_COMPLETE) else {
            framebuffer.release()
            throw ReelError(.framebufferIncomplete, "framebuffer '\(label)' is incomplete (status 0x\(String(status, radix: 16)))",
                            nativeCode: Int(status), context: "glCheckFramebufferStatus")
        }
        try checkError("creating framebuffer '\(label)'")
        return framebuffer
    }

    private func checkSize(_ width: Int, _ height: Int, limit: Int, what: String) throws {
        guard width >= 1, height >= 1, width <= limit, height <= limit else {
            throw ReelError(.glError, "\(what) cannot be \(width)×\(height): this GL allows 1…\(limit) pixels a side")
        }
    }
}

/// Storage of a texture drawn into.
public enum TextureFormat: Sendable {
    /// 8 bits a channel: frames, layers and most passes.
    case rgba8
    /// Half floats: intermediate buffers that hold values outside 0…1 or need more
    /// precision (ISF `FLOAT` targets). Drawing into it needs `EXT_color_buffer_float`.
    case rgba16f
}

extension GLContext {
    /// A pass drawing kit of its own, for compiling or trying passes outside a render (a
    /// renderer makes its own). Release it with `release()` on this context's thread.
    /// - Throws: GL errors.
    public func makePassGL() throws -> PassGL { try PassGL(context: self) }
}
