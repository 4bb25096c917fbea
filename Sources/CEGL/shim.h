// CEGL: EGL 1.5 + OpenGL ES 3.0 for Swift. This header holds no logic: it re-exports what
// Swift cannot import by itself (pointer-cast macros, extension entry points that exist only
// behind eglGetProcAddress) as small static inline functions prefixed `reel_`.
#ifndef REEL_CEGL_SHIM_H
#define REEL_CEGL_SHIM_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <stddef.h>

// EGL_NO_DISPLAY, EGL_NO_CONTEXT, EGL_NO_SURFACE and EGL_NO_DEVICE_EXT are casts of 0 to
// pointer types; Swift imports none of them.
static inline EGLDisplay reel_egl_no_display(void) { return EGL_NO_DISPLAY; }
static inline EGLContext reel_egl_no_context(void) { return EGL_NO_CONTEXT; }
static inline EGLSurface reel_egl_no_surface(void) { return EGL_NO_SURFACE; }
static inline EGLConfig reel_egl_no_config(void) { return (EGLConfig)0; }

// EGL_EXT_device_enumeration / EGL_EXT_device_query / EGL_EXT_platform_base are reachable
// only through eglGetProcAddress (libglvnd does not export them); each wrapper looks the
// entry point up and reports "missing" as failure instead of calling through NULL.
static inline EGLBoolean reel_egl_query_devices(EGLint max, EGLDeviceEXT *devices, EGLint *count) {
    PFNEGLQUERYDEVICESEXTPROC fn = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    if (fn == NULL) { if (count) *count = 0; return EGL_FALSE; }
    return fn(max, devices, count);
}

static inline const char *reel_egl_query_device_string(EGLDeviceEXT device, EGLint name) {
    PFNEGLQUERYDEVICESTRINGEXTPROC fn =
        (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress("eglQueryDeviceStringEXT");
    return fn == NULL ? NULL : fn(device, name);
}

static inline EGLDisplay reel_egl_get_platform_display(EGLenum platform, void *native, const EGLint *attribs) {
    PFNEGLGETPLATFORMDISPLAYEXTPROC fn =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    return fn == NULL ? EGL_NO_DISPLAY : fn(platform, native, attribs);
}

// glVertexAttribPointer and friends take byte offsets disguised as pointers.
static inline const void *reel_gl_offset(size_t offset) { return (const void *)offset; }

#endif
