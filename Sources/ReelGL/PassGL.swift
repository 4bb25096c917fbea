import CEGL
import ReelCore

/// What passes and shader layers draw with: compiled programs cached by key, offscreen
/// targets from a pool, persistent targets that outlive a frame, and one full-screen draw
/// call that binds textures and uniforms by name.
///
/// One per renderer, used on its GL thread only. Targets handed out during a frame go back
/// to the pool when the frame ends, so after the first frame a pass chain allocates
/// nothing.
public final class PassGL {
    // A `PassGL` of one's own (to compile a plugin's programs ahead of a render, as `reel
    // validate` does) comes from `GLContext.makePassGL()`.
    let context: GLContext
    private let vertexArray: GLVertexArray
    private var programs: [String: PassProgram] = [:]
    private var free: [PassTarget] = []
    private var inUse: [PassTarget] = []
    private var persistent: [String: PassTarget] = [:]
    private var textures: [String: GLTexture] = [:]
    private var values: [String: Any] = [:]
    private var created = 0
    private lazy var floatTargets: Bool = context.acceptsDesktopGLSL || Self.supportsFloatTargets()

    init(context: GLContext) throws {
        self.context = context
        vertexArray = try context.makeVertexArray(label: "reel.pass")
    }

    /// The vertex shader every pass program shares: one triangle over the target, `vUV` 0…1
    /// with (0, 0) at the top-left of the picture.
    static let vertexShader = """
    #version 300 es
    precision highp float;
    out vec2 vUV;
    void main() {
        vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
        vUV = corner;
        gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
    }
    """

    /// A fragment shader from a body, with the usual preamble: `vUV`, `fragColor`, the
    /// source picture `uSource` and the target size in pixels `uSize`. `declarations` go
    /// before `main` (uniforms, helper functions).
    public static func fragment(_ body: String, declarations: String = "") -> String {
        """
        #version 300 es
        precision highp float;
        precision highp int;
        in vec2 vUV;
        out vec4 fragColor;
        uniform sampler2D uSource;
        uniform vec2 uSize;
        \(declarations)
        void main() {
        \(body)
        }
        """
    }

    /// The number of lines `fragment(_:declarations:)` puts before `declarations`, for
    /// mapping driver error lines back to a plugin's own source.
    public static let fragmentPreambleLines = 8

    // MARK: - Programs

    /// The program for `key`, compiled from `fragment` (a complete GLSL ES 3.00 fragment
    /// shader whose input is `in vec2 vUV`) the first time the key is seen.
    /// - Throws: `E-GL-SHADER` with the driver's log when it does not compile.
    public func program(_ key: String, fragment: @autoclosure () -> String) throws -> PassProgram {
        if let cached = programs[key] { return cached }
        let program = try PassProgram(context.makeProgram(label: key, vertex: Self.vertexShader, fragment: fragment()))
        programs[key] = program
        return program
    }

    /// The program for `key` from a complete vertex and fragment shader of one dialect (a
    /// shader file's own, in desktop GLSL where `acceptsDesktopGLSL`), compiled the first
    /// time the key is seen. The vertex shader draws the one triangle `draw` submits
    /// (`gl_VertexID` 0…2, no attributes).
    /// - Throws: `E-GL-SHADER` with the driver's log when either does not compile or link.
    public func program(_ key: String, vertex: @autoclosure () -> String, fragment: @autoclosure () -> String) throws -> PassProgram {
        if let cached = programs[key] { return cached }
        let program = try PassProgram(context.makeProgram(label: key, vertex: vertex(), fragment: fragment()))
        programs[key] = program
        return program
    }

    /// Whether programs may be written in desktop GLSL (`#version 330 compatibility`): true
    /// on a desktop GL context, false on OpenGL ES.
    public var acceptsDesktopGLSL: Bool { context.acceptsDesktopGLSL }

    // MARK: - Targets

    /// A target of this size from the pool, back in the pool when the frame ends. Its
    /// contents are undefined until drawn.
    /// - Throws: `E-GL-ERROR` when the size exceeds the driver's limits.
    public func target(width: Int, height: Int, format: TextureFormat = .rgba8) throws -> PassTarget {
        let format = effective(format)
        let target: PassTarget
        if let index = free.firstIndex(where: { $0.width == width && $0.height == height && $0.format == format }) {
            target = free.remove(at: index)
        } else {
            target = try makeTarget(width: width, height: height, format: format, label: "reel.pass\(created)")
        }
        inUse.append(target)
        return target
    }

    /// A target the size of the input's pictures.
    public func target(like input: PassInput, format: TextureFormat = .rgba8) throws -> PassTarget {
        try target(width: input.width, height: input.height, format: format)
    }

    /// Returns a target to the pool before the frame ends, when a pass is done with an
    /// intermediate picture (a blur's half-way image), so the next step can reuse it.
    public func recycle(_ target: PassTarget) {
        guard let index = inUse.firstIndex(where: { $0 === target }) else { return }
        free.append(inUse.remove(at: index))
    }

    /// A target kept from frame to frame under `key` (make keys unique with
    /// `PassInput.useKey`). `fresh` is true when it was just made (first frame, or the size
    /// changed) and holds transparent black.
    public func persistentTarget(_ key: String, width: Int, height: Int,
                                 format: TextureFormat = .rgba8) throws -> (target: PassTarget, fresh: Bool) {
        let format = effective(format)
        if let kept = persistent[key], kept.width == width, kept.height == height, kept.format == format {
            return (kept, false)
        }
        persistent[key]?.release()
        let target = try makeTarget(width: width, height: height, format: format, label: "reel.persistent.\(key)")
        clear(target)
        persistent[key] = target
        return (target, true)
    }

    /// Whether float targets are really float here; when not, `.rgba16f` quietly becomes
    /// `.rgba8` (values clamp to 0…1), which is what ISF hosts without float buffers do.
    public var floatTargetsAvailable: Bool { floatTargets }

    private func effective(_ format: TextureFormat) -> TextureFormat {
        format == .rgba16f && !floatTargets ? .rgba8 : format
    }

    private func makeTarget(width: Int, height: Int, format: TextureFormat, label: String) throws -> PassTarget {
        created += 1
        let texture = try context.makeTexture(label: label, width: width, height: height, format: format)
        do {
            let framebuffer = try context.makeFramebuffer(label: label, attachment: texture)
            return PassTarget(texture: texture, framebuffer: framebuffer, format: format)
        } catch {
            texture.release()
            throw error
        }
    }

    // MARK: - Textures

    /// An RGBA8 texture cached under `key`, made from `make()` (size and tightly packed
    /// rows) the first time: lookup tables, noise, a plugin's own pictures.
    public func dataTexture(_ key: String, make: () throws -> (width: Int, height: Int, pixels: [UInt8])) throws -> PassImage {
        if let cached = textures[key] { return PassImage(cached) }
        let (width, height, bytes) = try make()
        guard bytes.count == width * height * 4 else {
            throw ReelError(.passFailed, "texture '\(key)' has \(bytes.count) bytes for \(width)×\(height) RGBA pixels")
        }
        let texture = try bytes.withUnsafeBytes {
            try context.makeTexture(label: "reel.data.\(key)", width: width, height: height, pixels: $0)
        }
        textures[key] = texture
        return PassImage(texture)
    }

    /// A value a pass derives once per renderer (a parsed file, a computed kernel), kept
    /// under `key` for later frames.
    public func cached<T>(_ key: String, make: () throws -> T) rethrows -> T {
        if let value = values[key] as? T { return value }
        let value = try make()
        values[key] = value
        return value
    }

    /// The picture of scene asset `name` (premultiplied, mipmapped), loaded once.
    /// - Throws: `E-MEDIA-IMAGE` when there is no loader or the asset cannot be read.
    public func assetImage(_ name: String, assets: AssetLoader?) throws -> PassImage {
        let key = "asset:" + name
        if let cached = textures[key] { return PassImage(cached) }
        guard let assets else {
            throw ReelError(.imageAsset, "asset '\(name)': no asset loader was given to the renderer")
        }
        let texture = try context.makeMipmappedTexture(label: "reel.asset.\(name)", image: try assets.image(named: name))
        textures[key] = texture
        return PassImage(texture)
    }

    // MARK: - Drawing

    /// Draws `program` over all of `target`: each texture is bound to the sampler uniform of
    /// its name, each uniform set by name (names the program lacks are ignored: the driver
    /// drops unused uniforms), `uSize` set to the target's size. With `blend`, the output is
    /// composited over what the target holds (premultiplied "over"); otherwise it replaces it.
    /// `vertices` is how many `gl_VertexID`s are drawn as triangles: 3 for the built-in vertex
    /// shader; a program with its own vertex shader may draw more (ISF's quad draws 6).
    /// `sampling` samples the named textures otherwise than linear and clamped to the edge,
    /// for this draw only (Shadertoy channels: repeat, mirror, nearest).
    public func draw(_ program: PassProgram, into target: PassTarget, textures: [String: PassImage] = [:],
                     uniforms: [String: PassUniform] = [:], blend: Bool = false, vertices: Int = 3,
                     sampling: [String: PassSampling] = [:]) throws {
        try draw(program, framebuffer: target.framebuffer, width: target.width, height: target.height,
                 textures: textures, uniforms: uniforms, blend: blend, vertices: vertices, sampling: sampling)
    }

    func draw(_ program: PassProgram, framebuffer: GLFramebuffer, width: Int, height: Int, textures: [String: PassImage],
              uniforms: [String: PassUniform], blend: Bool, vertices: Int = 3, sampling: [String: PassSampling] = [:]) throws {
        context.assertOnThread()
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer.name)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        program.program.use()
        let bound = textures.sorted { $0.key < $1.key }
        for (unit, (name, image)) in bound.enumerated() {
            glActiveTexture(GLenum(GL_TEXTURE0 + Int32(unit)))
            glBindTexture(GLenum(GL_TEXTURE_2D), image.texture.name)
            glUniform1i(program.location(name), GLint(unit))
            if let how = sampling[name] { how.apply() }
        }
        PassUniform.vec2(Vec2(Double(width), Double(height))).set(at: program.location("uSize"))
        for (name, value) in uniforms { value.set(at: program.location(name)) }
        if blend {
            glEnable(GLenum(GL_BLEND))
            glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        } else {
            glDisable(GLenum(GL_BLEND))
        }
        glBindVertexArray(vertexArray.name)
        glDrawArrays(GLenum(GL_TRIANGLES), 0, GLsizei(vertices))
        glBindVertexArray(0)
        glDisable(GLenum(GL_BLEND))
        for (unit, (name, _)) in bound.enumerated().reversed() {
            glActiveTexture(GLenum(GL_TEXTURE0 + Int32(unit)))
            // Textures are shared (a picture is converted once): put back the usual sampling.
            if sampling[name] != nil { PassSampling().apply() }
            glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        try context.checkError("drawing pass '\(program.program.label)'")
    }

    /// Draws `program` into a fresh target the size of the input's pictures and returns what
    /// it holds: the last step of most passes.
    public func render(_ program: PassProgram, like input: PassInput, textures: [String: PassImage] = [:],
                       uniforms: [String: PassUniform] = [:]) throws -> PassImage {
        let out = try target(like: input)
        try draw(program, into: out, textures: textures, uniforms: uniforms)
        return out.image
    }

    /// Copies `image` into `target` (scaled to fit when sizes differ).
    public func copy(_ image: PassImage, into target: PassTarget) throws {
        try draw(copyProgram(), into: target, textures: ["uSource": image])
    }

    func copy(_ image: PassImage, into framebuffer: GLFramebuffer, width: Int, height: Int) throws {
        try draw(copyProgram(), framebuffer: framebuffer, width: width, height: height, textures: ["uSource": image],
                 uniforms: [:], blend: false)
    }

    private func copyProgram() throws -> PassProgram {
        try program("reel.copy", fragment: Self.fragment("fragColor = texture(uSource, vUV);"))
    }

    /// Fills `target` with transparent black.
    public func clear(_ target: PassTarget) {
        context.assertOnThread()
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), target.framebuffer.name)
        glViewport(0, 0, GLsizei(target.width), GLsizei(target.height))
        glClearColor(0, 0, 0, 0)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
    }

    // MARK: - Life cycle

    /// Returns every target handed out this frame to the pool.
    func endFrame() {
        free.append(contentsOf: inUse)
        inUse.removeAll(keepingCapacity: true)
    }

    /// Deletes every GL object now. Idempotent.
    public func release() {
        for target in free + inUse + Array(persistent.values) { target.release() }
        free.removeAll()
        inUse.removeAll()
        persistent.removeAll()
        for program in programs.values { program.program.release() }
        programs.removeAll()
        for texture in textures.values { texture.release() }
        textures.removeAll()
        values.removeAll()
        vertexArray.release()
    }

    /// OpenGL ES draws into half floats only with an extension; desktop GL 3.0 and later always
    /// can (and does not list the ES extension).
    private static func supportsFloatTargets() -> Bool {
        var count: GLint = 0
        glGetIntegerv(GLenum(GL_NUM_EXTENSIONS), &count)
        for index in 0..<max(count, 0) {
            guard let name = glGetStringi(GLenum(GL_EXTENSIONS), GLuint(index)) else { continue }
            let text = String(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
            if text == "GL_EXT_color_buffer_float" || text == "GL_EXT_color_buffer_half_float" { return true }
        }
        return false
    }
}

/// How a pass samples one texture: the filter and what lies beyond its edges. The default,
/// linear and clamped to the edge, is how every texture is sampled unless a draw says otherwise.
public struct PassSampling: Sendable, Hashable {
    public enum Filter: Sendable, Hashable { case linear, nearest }
    public enum Wrap: Sendable, Hashable { case clamp, `repeat`, mirror }
    public var filter: Filter
    public var wrap: Wrap

    public init(filter: Filter = .linear, wrap: Wrap = .clamp) {
        (self.filter, self.wrap) = (filter, wrap)
    }

    /// Sets the texture bound to the active unit's 2D target to sample this way.
    func apply() {
        let filter = self.filter == .linear ? GL_LINEAR : GL_NEAREST
        let wrap: Int32 = switch self.wrap {
        case .clamp: GL_CLAMP_TO_EDGE
        case .repeat: GL_REPEAT
        case .mirror: GL_MIRRORED_REPEAT
        }
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GLint(filter))
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GLint(filter))
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_WRAP_S), GLint(wrap))
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_WRAP_T), GLint(wrap))
    }
}

/// An offscreen picture a pass draws into.
public final class PassTarget {
    public let texture: GLTexture
    let framebuffer: GLFramebuffer
    public let format: TextureFormat
    public var width: Int { texture.width }
    public var height: Int { texture.height }
    /// What the target holds, to read in a later draw or return from a pass.
    public var image: PassImage { PassImage(texture) }

    init(texture: GLTexture, framebuffer: GLFramebuffer, format: TextureFormat) {
        (self.texture, self.framebuffer, self.format) = (texture, framebuffer, format)
    }

    func release() {
        framebuffer.release()
        texture.release()
    }
}

/// A compiled pass program (its uniform locations are looked up once, by `GLProgram`).
public final class PassProgram {
    let program: GLProgram

    init(_ program: GLProgram) { self.program = program }

    func location(_ name: String) -> GLint { program.uniformLocation(name) }
}

/// A uniform value for `PassGL.draw`.
public enum PassUniform {
    case float(Double)
    case int(Int)
    case bool(Bool)
    case vec2(Vec2)
    case vec3(Double, Double, Double)
    case vec4(Double, Double, Double, Double)
    /// Premultiplied, as every colour in a pass is.
    case color(Color)
    /// A 3×3 matrix, columns first.
    case mat3([Double])

    func set(at location: GLint) {
        guard location >= 0 else { return }
        switch self {
        case let .float(v): glUniform1f(location, GLfloat(v))
        case let .int(v): glUniform1i(location, GLint(v))
        case let .bool(v): glUniform1i(location, v ? 1 : 0)
        case let .vec2(v): glUniform2f(location, GLfloat(v.x), GLfloat(v.y))
        case let .vec3(x, y, z): glUniform3f(location, GLfloat(x), GLfloat(y), GLfloat(z))
        case let .vec4(x, y, z, w): glUniform4f(location, GLfloat(x), GLfloat(y), GLfloat(z), GLfloat(w))
        case let .color(c):
            let (r, g, b, a) = c.premultiplied
            glUniform4f(location, GLfloat(r), GLfloat(g), GLfloat(b), GLfloat(a))
        case let .mat3(m):
            guard m.count == 9 else { return }
            let values = m.map { GLfloat($0) }
            glUniformMatrix3fv(location, 1, GLboolean(GL_FALSE), values)
        }
    }
}
