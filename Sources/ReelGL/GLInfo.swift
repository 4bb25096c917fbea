/// What the GL context turned out to be: who made it, how capable, hardware or not.
public struct GLInfo: Sendable, Codable, Hashable {
    /// How the EGL display was chosen, e.g. "device 1 (NVIDIA CUDA, hardware)" or
    /// "surfaceless platform".
    public var display: String
    /// The EGL device index used, when the display came from a device.
    public var deviceIndex: Int?
    public var eglVendor: String
    public var eglVersion: String
    public var vendor: String
    public var renderer: String
    public var version: String
    public var shadingLanguageVersion: String
    /// True for a CPU rasterizer (Mesa llvmpipe or softpipe, SwiftShader).
    public var isSoftware: Bool
    public var maxTextureSize: Int
    public var maxRenderbufferSize: Int
    public var maxSamples: Int
    /// Displays tried before this one and why each failed; empty when the first worked.
    public var fallbacks: [String]

    /// Recognises CPU renderers by the names their drivers report.
    static func rendererIsSoftware(_ renderer: String) -> Bool {
        let r = renderer.lowercased()
        return ["llvmpipe", "softpipe", "swiftshader", "software rasterizer", "swrast"].contains { r.contains($0) }
    }
}
