import CEGL
import Foundation
import ReelCore

/// Which EGL display to render on.
public enum GLDeviceChoice: Sendable, Hashable {
    /// A hardware EGL device first, then Mesa's software device, then the surfaceless
    /// platform, then the default display.
    case automatic
    /// Exactly this EGL device index (as `reel doctor` lists them); no fallback.
    case index(Int)

    /// Reads `REEL_EGL_DEVICE`: unset or empty means `.automatic`.
    /// - Throws: `E-GL-DEVICE-OVERRIDE` when the value is not a non-negative whole number.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GLDeviceChoice {
        guard let raw = environment["REEL_EGL_DEVICE"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return .automatic
        }
        guard let index = Int(raw), index >= 0 else {
            throw ReelError(.eglBadDeviceOverride, "REEL_EGL_DEVICE=\(raw) is not a device number",
                            detail: "set it to an index from `reel doctor`'s device list, or unset it to choose automatically")
        }
        return .index(index)
    }
}

/// An initialised EGL display with a current OpenGL ES 3 context on the calling thread.
///
/// Where the driver offers it (Mesa and NVIDIA both do), the context is a desktop OpenGL
/// compatibility-profile context of version 4.3 or later instead: it runs Reel's GLSL ES 3.00
/// unchanged (ES 3 compatibility is part of GL 4.3) and also compiles the desktop GLSL that
/// third-party shader files (ISF, Shadertoy ports) are written in, as the hosts they come
/// from do. `REEL_GL_API=es` asks for the plain ES context.
struct EGLSession {
    var display: EGLDisplay
    var context: EGLContext
    /// True for a desktop GL (compatibility profile, ≥ 4.3) context; false for OpenGL ES.
    var isDesktop = false
    /// A 1×1 pbuffer, only where the display lacks EGL_KHR_surfaceless_context.
    var surface: EGLSurface?
    var description: String
    var deviceIndex: Int?
    var deviceIsSoftware: Bool
    var fallbacks: [String]

    /// Tries displays in DESIGN.md's order and makes a context current on the first that
    /// works. Must run on the thread that will own the context.
    static func open(choice: GLDeviceChoice) throws -> EGLSession {
        let inventory = EGLInventory.read()
        let handles = EGLInventory.enumerateDevices()
        var candidates: [(description: String, index: Int?, software: Bool, open: () -> EGLDisplay?)] = []

        func deviceCandidate(_ info: EGLDeviceInfo) -> (String, Int?, Bool, () -> EGLDisplay?) {
            let handle = handles[info.index]
            return (info.label, info.index, info.isSoftware, {
                reel_egl_get_platform_display(EGLenum(EGL_PLATFORM_DEVICE_EXT), handle, nil)
            })
        }

        switch choice {
        case let .index(index):
            guard index < inventory.devices.count, index < handles.count else {
                let list = inventory.devices.map { "  " + $0.label }.joined(separator: "\n")
                throw ReelError(.eglBadDeviceOverride,
                                "REEL_EGL_DEVICE=\(index) but EGL lists \(inventory.devices.count) device(s)",
                                detail: list.isEmpty ? "EGL reports no devices (EGL_EXT_device_enumeration missing?)" : list)
            }
            candidates.append(deviceCandidate(inventory.devices[index]))
        case .automatic:
            let canUseDevices = inventory.clientExtensions.contains("EGL_EXT_platform_device")
                && inventory.devices.count == handles.count
            if canUseDevices {
                for info in inventory.devices where !info.isSoftware { candidates.append(deviceCandidate(info)) }
                for info in inventory.devices where info.isSoftware { candidates.append(deviceCandidate(info)) }
            }
            if inventory.clientExtensions.contains("EGL_MESA_platform_surfaceless") {
                candidates.append(("surfaceless platform", nil, false, {
                    reel_egl_get_platform_display(EGLenum(EGL_PLATFORM_SURFACELESS_MESA), nil, nil)
                }))
            }
            candidates.append(("default display", nil, false, { eglGetDisplay(nil) }))
        }

        var fallbacks: [String] = []
        for candidate in candidates {
            do {
                guard let display = candidate.open(), display != reel_egl_no_display() else {
                    throw eglFailure(.eglNoDisplay, "no display", function: "eglGetPlatformDisplayEXT")
                }
                var session = try makeContext(on: display)
                session.description = candidate.description
                session.deviceIndex = candidate.index
                session.deviceIsSoftware = candidate.software
                session.fallbacks = fallbacks
                return session
            } catch let error as ReelError {
                fallbacks.append("\(candidate.description): \(error.message)")
            }
        }
        throw ReelError(.eglNoContext, "no OpenGL ES 3 context could be made on any EGL display",
                        detail: (fallbacks.map { "  tried " + $0 } + [
                            "install Mesa's EGL and DRI drivers (scripts/bootstrap does: libegl-mesa0, libgl1-mesa-dri)",
                            "or, on an NVIDIA machine, the NVIDIA EGL libraries matching the driver",
                        ]).joined(separator: "\n"))
    }

    private static func makeContext(on display: EGLDisplay) throws -> EGLSession {
        var major: EGLint = 0, minor: EGLint = 0
        guard eglInitialize(display, &major, &minor) == EGL_TRUE else {
            throw eglFailure(.eglNoDisplay, "could not initialise the display", function: "eglInitialize")
        }
        let extensions = splitExtensions(eglQueryString(display, EGLint(EGL_EXTENSIONS)))
        if ProcessInfo.processInfo.environment["REEL_GL_API"]?.lowercased() != "es",
           let desktop = makeDesktopContext(on: display, extensions: extensions) {
            return desktop
        }
        guard eglBindAPI(EGLenum(EGL_OPENGL_ES_API)) == EGL_TRUE else {
            throw eglFailure(.eglNoContext, "OpenGL ES is not supported", function: "eglBindAPI")
        }

        // Reel renders into framebuffer objects, so the config's surface type hardly matters;
        // pbuffer-capable configs exist on Mesa and on NVIDIA's device platform alike.
        var config: EGLConfig?
        var count: EGLint = 0
        for surfaceType in [EGL_PBUFFER_BIT, 0] {
            let attributes: [EGLint] = [
                EGLint(EGL_RENDERABLE_TYPE), EGLint(EGL_OPENGL_ES3_BIT),
                EGLint(EGL_SURFACE_TYPE), EGLint(surfaceType),
                EGLint(EGL_RED_SIZE), 8, EGLint(EGL_GREEN_SIZE), 8, EGLint(EGL_BLUE_SIZE), 8, EGLint(EGL_ALPHA_SIZE), 8,
                EGLint(EGL_NONE),
            ]
            if eglChooseConfig(display, attributes, &config, 1, &count) == EGL_TRUE, count > 0 { break }
        }
        guard count > 0, let config else {
            throw eglFailure(.eglNoContext, "no OpenGL ES 3 config", function: "eglChooseConfig")
        }

        let contextAttributes: [EGLint] = [
            EGLint(EGL_CONTEXT_MAJOR_VERSION), 3, EGLint(EGL_CONTEXT_MINOR_VERSION), 0, EGLint(EGL_NONE),
        ]
        guard let context = eglCreateContext(display, config, reel_egl_no_context(), contextAttributes),
              context != reel_egl_no_context() else {
            throw eglFailure(.eglNoContext, "could not create an OpenGL ES 3.0 context", function: "eglCreateContext")
        }

        var surface: EGLSurface?
        if !extensions.contains("EGL_KHR_surfaceless_context") {
            let pbuffer: [EGLint] = [EGLint(EGL_WIDTH), 1, EGLint(EGL_HEIGHT), 1, EGLint(EGL_NONE)]
            surface = eglCreatePbufferSurface(display, config, pbuffer)
            if surface == nil || surface == reel_egl_no_surface() {
                let error = eglFailure(.eglNoContext, "no surfaceless contexts and no pbuffer", function: "eglCreatePbufferSurface")
                eglDestroyContext(display, context)
                throw error
            }
        }
        let drawable = surface ?? reel_egl_no_surface()
        guard eglMakeCurrent(display, drawable, drawable, context) == EGL_TRUE else {
            let error = eglFailure(.eglNoContext, "could not make the context current", function: "eglMakeCurrent")
            if let surface { eglDestroySurface(display, surface) }
            eglDestroyContext(display, context)
            throw error
        }
        return EGLSession(display: display, context: context, surface: surface, description: "",
                          deviceIndex: nil, deviceIsSoftware: false, fallbacks: [])
    }

    /// A current desktop GL compatibility-profile context of version 4.3 or later (which
    /// compiles GLSL ES 3.00 as well as desktop GLSL), or nil where the display has none; any
    /// EGL error on the way is cleared, so the ES attempt that follows starts clean.
    private static func makeDesktopContext(on display: EGLDisplay, extensions: [String]) -> EGLSession? {
        defer { _ = eglGetError() }
        guard eglBindAPI(EGLenum(EGL_OPENGL_API)) == EGL_TRUE else { return nil }
        defer { if eglQueryAPI() != EGLenum(EGL_OPENGL_API) { _ = eglBindAPI(EGLenum(EGL_OPENGL_ES_API)) } }
        var config: EGLConfig?
        var count: EGLint = 0
        for surfaceType in [EGL_PBUFFER_BIT, 0] {
            let attributes: [EGLint] = [
                EGLint(EGL_RENDERABLE_TYPE), EGLint(EGL_OPENGL_BIT),
                EGLint(EGL_SURFACE_TYPE), EGLint(surfaceType),
                EGLint(EGL_RED_SIZE), 8, EGLint(EGL_GREEN_SIZE), 8, EGLint(EGL_BLUE_SIZE), 8, EGLint(EGL_ALPHA_SIZE), 8,
                EGLint(EGL_NONE),
            ]
            if eglChooseConfig(display, attributes, &config, 1, &count) == EGL_TRUE, count > 0 { break }
        }
        guard count > 0, let config else {
            _ = eglBindAPI(EGLenum(EGL_OPENGL_ES_API))
            return nil
        }
        let contextAttributes: [EGLint] = [
            EGLint(EGL_CONTEXT_MAJOR_VERSION), 4, EGLint(EGL_CONTEXT_MINOR_VERSION), 3,
            EGLint(EGL_CONTEXT_OPENGL_PROFILE_MASK), EGLint(EGL_CONTEXT_OPENGL_COMPATIBILITY_PROFILE_BIT),
            EGLint(EGL_NONE),
        ]
        guard let context = eglCreateContext(display, config, reel_egl_no_context(), contextAttributes),
              context != reel_egl_no_context() else {
            _ = eglBindAPI(EGLenum(EGL_OPENGL_ES_API))
            return nil
        }
        var surface: EGLSurface?
        if !extensions.contains("EGL_KHR_surfaceless_context") {
            let pbuffer: [EGLint] = [EGLint(EGL_WIDTH), 1, EGLint(EGL_HEIGHT), 1, EGLint(EGL_NONE)]
            surface = eglCreatePbufferSurface(display, config, pbuffer)
            if surface == nil || surface == reel_egl_no_surface() {
                eglDestroyContext(display, context)
                _ = eglBindAPI(EGLenum(EGL_OPENGL_ES_API))
                return nil
            }
        }
        let drawable = surface ?? reel_egl_no_surface()
        guard eglMakeCurrent(display, drawable, drawable, context) == EGL_TRUE else {
            if let surface { eglDestroySurface(display, surface) }
            eglDestroyContext(display, context)
            _ = eglBindAPI(EGLenum(EGL_OPENGL_ES_API))
            return nil
        }
        return EGLSession(display: display, context: context, isDesktop: true, surface: surface, description: "",
                          deviceIndex: nil, deviceIsSoftware: false, fallbacks: [])
    }

    /// Releases the context and surface. The display stays initialised: EGL displays are
    /// per-process singletons, and terminating one would kill every other context on it.
    func close() {
        eglMakeCurrent(display, reel_egl_no_surface(), reel_egl_no_surface(), reel_egl_no_context())
        if let surface { eglDestroySurface(display, surface) }
        eglDestroyContext(display, context)
    }
}
