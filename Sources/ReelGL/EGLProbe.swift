import CEGL
import Foundation
import ReelCore

/// What EGL offers on this machine: client extensions and every EGL device.
///
/// Reading it opens no context, so `reel doctor` can show it even when context creation
/// then fails.
public struct EGLInventory: Sendable, Codable {
    /// Extensions of the EGL client library (`eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS)`).
    public var clientExtensions: [String]
    public var devices: [EGLDeviceInfo]

    /// Reads the inventory. Never fails: a missing capability shows up as an empty list.
    public static func read() -> EGLInventory {
        let client = splitExtensions(eglQueryString(reel_egl_no_display(), EGLint(EGL_EXTENSIONS)))
        var devices: [EGLDeviceInfo] = []
        if client.contains("EGL_EXT_device_enumeration") || client.contains("EGL_EXT_device_base") {
            for (index, handle) in enumerateDevices().enumerated() {
                let extensions = splitExtensions(reel_egl_query_device_string(handle, EGLint(EGL_EXTENSIONS)))
                // EGL_DRM_DEVICE_FILE_EXT; EGL_RENDERER_EXT (0x335F) from EGL_EXT_device_query_name.
                let drm = extensions.contains("EGL_EXT_device_drm")
                    ? reel_egl_query_device_string(handle, 0x3233).map { String(cString: $0) } : nil
                let name = extensions.contains("EGL_EXT_device_query_name")
                    ? reel_egl_query_device_string(handle, 0x335F).map { String(cString: $0) } : nil
                devices.append(EGLDeviceInfo(index: index, extensions: extensions, drmDeviceFile: drm, name: name))
            }
        }
        return EGLInventory(clientExtensions: client, devices: devices)
    }

    static func enumerateDevices() -> [EGLDeviceEXT] {
        var count: EGLint = 0
        guard reel_egl_query_devices(0, nil, &count) == EGL_TRUE, count > 0 else { return [] }
        var handles = [EGLDeviceEXT?](repeating: nil, count: Int(count))
        guard reel_egl_query_devices(count, &handles, &count) == EGL_TRUE else { return [] }
        return handles.prefix(Int(count)).compactMap { $0 }
    }
}

/// One EGL device (`EGL_EXT_device_enumeration`).
public struct EGLDeviceInfo: Sendable, Codable {
    /// Position in EGL's device list; `REEL_EGL_DEVICE` takes this number.
    public var index: Int
    public var extensions: [String]
    /// The DRM node behind the device, e.g. `/dev/dri/renderD128`, when EGL says.
    public var drmDeviceFile: String?
    /// The device's name when the driver reports one.
    public var name: String?

    /// Mesa marks its CPU rasterizer with `EGL_MESA_device_software`.
    public var isSoftware: Bool { extensions.contains("EGL_MESA_device_software") }

    /// A short label for messages: "device 1 (NVIDIA, hardware)".
    public var label: String {
        var parts: [String] = []
        if let name { parts.append(name) }
        if extensions.contains("EGL_NV_device_cuda") { parts.append("NVIDIA CUDA") }
        if let drmDeviceFile { parts.append(drmDeviceFile) }
        parts.append(isSoftware ? "software" : "hardware")
        return "device \(index) (\(parts.joined(separator: ", ")))"
    }
}

func splitExtensions(_ string: UnsafePointer<CChar>?) -> [String] {
    guard let string else { return [] }
    return String(cString: string).split(separator: " ").map(String.init)
}
