import ReelCore
import ReelGL

/// Post effects: scene-level `passes:` over the whole frame, or a layer's `effects:`.
///
/// ```yaml
/// passes: [{ bloom: { threshold: 0.7, intensity: 1.2 } }, { vignette: { strength: 0.4 } }]
/// layers:
///   - text: "Hello"
///     effects: [{ glow: { color: "#66ccff", radius: 12 } }]
/// ```
public struct PostFXPlugin: ReelPlugin {
    public let name = "postfx"
    public let version = "0.1.0"
    public var contributions: [any PluginContribution] {
        [Blur(), Bloom(), Glow(), Vignette(), ColorGrade(), LUT(), ChromaticAberration(), Grain(), Pixelate(), Transition()]
    }

    public init() {}
}

extension ReelError.Code {
    /// A post-effect parameter has a value the pass cannot use (an unknown style name, a
    /// LUT asset that is not a `.cube` file).
    public static let postFXParameter = Self("E-POSTFX-PARAM")
}

/// GLSL shared by the passes: straight colour from premultiplied and back.
enum ShaderLibrary {
    static let straight = """
    vec3 straight(vec4 c) { return c.a > 0.0 ? c.rgb / c.a : vec3(0.0); }
    float luma(vec3 c) { return dot(c, vec3(0.2126, 0.7152, 0.0722)); }
    """
}
