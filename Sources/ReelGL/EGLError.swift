import CEGL
import ReelCore

extension ReelError.Code {
    /// No EGL display could be opened or initialised.
    public static let eglNoDisplay = Self("E-GL-NO-DISPLAY")
    /// A display opened but no OpenGL ES 3 context could be made current on it.
    public static let eglNoContext = Self("E-GL-NO-CONTEXT")
    /// `REEL_EGL_DEVICE` names a device that does not exist or is not a number.
    public static let eglBadDeviceOverride = Self("E-GL-DEVICE-OVERRIDE")
    /// `glGetError` reported an error.
    public static let glError = Self("E-GL-ERROR")
    /// A shader did not compile or a program did not link.
    public static let shaderCompile = Self("E-GL-SHADER")
    /// A framebuffer is incomplete (unsupported format or sample count).
    public static let framebufferIncomplete = Self("E-GL-FRAMEBUFFER")
}

/// Names EGL error codes the way the EGL specification does.
func eglErrorName(_ code: EGLint) -> String {
    switch code {
    case EGL_SUCCESS: return "EGL_SUCCESS"
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED"
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS"
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC"
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE"
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG"
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT"
    case EGL_BAD_CURRENT_SURFACE: return "EGL_BAD_CURRENT_SURFACE"
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY"
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH"
    case EGL_BAD_NATIVE_PIXMAP: return "EGL_BAD_NATIVE_PIXMAP"
    case EGL_BAD_NATIVE_WINDOW: return "EGL_BAD_NATIVE_WINDOW"
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER"
    case EGL_BAD_SURFACE: return "EGL_BAD_SURFACE"
    case EGL_CONTEXT_LOST: return "EGL_CONTEXT_LOST"
    default: return "0x" + String(code, radix: 16)
    }
}

/// The current EGL error as a `ReelError`, carrying the function that failed and the code.
func eglFailure(_ code: ReelError.Code, _ message: String, function: String) -> ReelError {
    let native = eglGetError()
    return ReelError(code, "\(message) (\(function) failed with \(eglErrorName(native)))",
                     nativeCode: Int(native), context: function)
}

/// Names GL error codes.
func glErrorName(_ code: GLenum) -> String {
    switch Int32(code) {
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM"
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE"
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION"
    case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION"
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY"
    default: return "0x" + String(code, radix: 16)
    }
}
