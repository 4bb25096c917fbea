import CEGL
import ReelCore

/// The OpenGL ES 3 context and the factory for every GL object (ModernGL's shape: one
/// object makes buffers, programs, textures and framebuffers; nothing else does).
///
/// Lives on its `GLThread` and is handed to closures run there by `HeadlessGL.sync`; every
/// entry point asserts that it runs on that thread.
public final class GLContext {
    /// What the context is: vendor, renderer, limits, how the display was chosen.
    public let info: GLInfo
    let thread: GLThread
    let releaseQueue = GLReleaseQueue()
    private(set) var session: EGLSession?
    /// Faults a test asked for (`HeadlessGL.open(faults:)`); none in normal runs.
    let faults: GLFaults
    /// Live objects by kind, readable from any thread.
    public let census = GLObjectCensus()
    /// True when the context is desktop OpenGL (compatibility profile, ≥ 4.3) rather than
    /// OpenGL ES: it then compiles desktop GLSL (`#version 330 compatibility`) besides Reel's
    /// GLSL ES 3.00, which shader files from other hosts need.
    public let acceptsDesktopGLSL: Bool

    init(thread: GLThread, choice: GLDeviceChoice, faults: GLFaults) throws {
        self.thread = thread
        self.faults = faults
        let session = try EGLSession.open(choice: choice)
        self.session = session
        acceptsDesktopGLSL = session.isDesktop
        func string(_ name: Int32) -> String {
            glGetString(GLenum(name)).map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) } ?? "?"
        }
        func integer(_ name: Int32) -> Int {
            var value: GLint = 0
            glGetIntegerv(GLenum(name), &value)
            return Int(value)
        }
        let renderer = string(GL_RENDERER)
        info = GLInfo(
            display: session.description,
            deviceIndex: session.deviceIndex,
            eglVendor: eglQueryString(session.display, EGLint(EGL_VENDOR)).map { String(cString: $0) } ?? "?",
            eglVersion: eglQueryString(session.display, EGLint(EGL_VERSION)).map { String(cString: $0) } ?? "?",
            vendor: string(GL_VENDOR),
            renderer: renderer,
            version: string(GL_VERSION),
            shadingLanguageVersion: string(GL_SHADING_LANGUAGE_VERSION),
            isSoftware: session.deviceIsSoftware || GLInfo.rendererIsSoftware(renderer),
            maxTextureSize: integer(GL_MAX_TEXTURE_SIZE),
            maxRenderbufferSize: integer(GL_MAX_RENDERBUFFER_SIZE),
            maxSamples: integer(GL_MAX_SAMPLES),
            fallbacks: session.fallbacks
        )
        while glGetError() != GLenum(GL_NO_ERROR) {}
    }

    /// Traps when called off the GL thread: a GL call there is a programming error that would
    /// otherwise corrupt state silently.
    public func assertOnThread(_ function: StaticString = #function) {
        precondition(thread.isCurrent, "\(function) called off the GL thread")
    }

    // MARK: - Errors

    /// Throws the first pending GL error (and drains the rest), naming `what` was being done.
    public func checkError(_ what: String) throws {
        assertOnThread()
        var codes: [GLenum] = []
        while true {
            let code = glGetError()
            if code == GLenum(GL_NO_ERROR) || codes.count > 16 { break }
            codes.append(code)
        }
        guard let first = codes.first else { return }
        if first == GLenum(0x0507) { throw contextLost("while \(what)") }  // GL_CONTEXT_LOST (GLES 3.2, KHR_robustness)
        throw ReelError(.glError, "GL error \(glErrorName(first)) while \(what)",
                        detail: codes.count > 1 ? "also: " + codes.dropFirst().map(glErrorName).joined(separator: ", ") : nil,
                        nativeCode: Int(first), context: what)
    }

    // MARK: - Object lifetime

    /// Live objects of each kind made by this context and not yet deleted.
    public var liveObjects: [GLObjectKind: Int] {
        assertOnThread()
        return census.snapshot
    }

    func didCreate(_ kind: GLObjectKind) { census.add(kind, 1) }

    func delete(_ kind: GLObjectKind, _ name: GLuint) {
        assertOnThread()
        guard session != nil else { return }  // the context is gone, and its objects with it
        var n = name
        switch kind {
        case .buffer: glDeleteBuffers(1, &n)
        case .texture: glDeleteTextures(1, &n)
        case .renderbuffer: glDeleteRenderbuffers(1, &n)
        case .framebuffer: glDeleteFramebuffers(1, &n)
        case .vertexArray: glDeleteVertexArrays(1, &n)
        case .program: glDeleteProgram(n)
        case .shader: glDeleteShader(n)
        }
        census.add(kind, -1)
    }

    /// Deletes objects whose owners were deinitialised off the GL thread.
    func collectGarbage() {
        for (kind, name) in releaseQueue.drain() { delete(kind, name) }
    }

    /// Deletes what is pending and destroys the EGL context. Idempotent.
    func close() {
        assertOnThread()
        guard let session else { return }
        collectGarbage()
        session.close()
        self.session = nil
    }

    var isClosed: Bool { session == nil }
}
