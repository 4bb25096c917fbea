import ReelCore
import ReelGL

/// `postfx.bloom`: bright parts bleed light into their surroundings.
///
/// The parts brighter than `threshold` (with a soft knee, so there is no hard edge where
/// the threshold is crossed) are taken at half size, blurred and added back.
public struct Bloom: PostPass {
    public static let threshold = Param.number("threshold", default: 0.75, in: 0...1, doc: "brightness (0…1, largest channel) above which light blooms")
    public static let knee = Param.number("knee", default: 0.1, in: 0...1, doc: "width of the soft transition around the threshold")
    public static let intensity = Param.number("intensity", default: 1, in: 0...10, doc: "how much of the bloom is added")
    public static let radius = Param.number("radius", default: 24, in: 0...500, doc: "spread of the bloom (gaussian σ) in scene pixels")

    public let declaration = ContributionDeclaration(
        "bloom", summary: "light bleeding from bright areas",
        parameters: [threshold, knee, intensity, radius])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let intensity = input[Self.intensity]
        guard intensity > 0 else { return source }
        let bright = try gl.target(width: (input.width + 1) / 2, height: (input.height + 1) / 2)
        let extract = try gl.program("postfx.bloom.extract", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            float b = max(c.r, max(c.g, c.b));
            float soft = clamp(b - uThreshold + uKnee, 0.0, 2.0 * uKnee);
            soft = uKnee > 0.0 ? soft * soft / (4.0 * uKnee + 1e-5) : 0.0;
            float w = max(soft, b - uThreshold) / max(b, 1e-4);
            fragColor = c * w;
            """, declarations: "uniform float uThreshold;\nuniform float uKnee;"))
        try gl.draw(extract, into: bright, textures: ["uSource": source],
                    uniforms: ["uThreshold": .float(input[Self.threshold]), "uKnee": .float(input[Self.knee])])
        let blurred = try GaussianBlur.blur(bright.image, sigma: input[Self.radius] * input.pixelScale / 2, gl: gl)
        let combine = try gl.program("postfx.bloom.combine", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            vec4 glow = texture(uBloom, vUV) * uIntensity;
            fragColor = vec4(c.rgb + glow.rgb, max(c.a, min(glow.a, 1.0)));
            """, declarations: "uniform sampler2D uBloom;\nuniform float uIntensity;"))
        return try gl.render(combine, like: input, textures: ["uSource": source, "uBloom": blurred], uniforms: ["uIntensity": .float(intensity)])
    }
}

/// `postfx.glow`: a soft coloured halo around what is drawn (its alpha, blurred), under it.
/// Made for layer effects: text and logos that glow.
public struct Glow: PostPass {
    public static let color = Param.color("color", default: .white, doc: "colour of the halo")
    public static let radius = Param.number("radius", default: 12, in: 0...500, doc: "spread of the halo (gaussian σ) in scene pixels")
    public static let strength = Param.number("strength", default: 1.5, in: 0...10, doc: "opacity multiplier of the halo (above 1 makes it denser near the shapes)")

    public let declaration = ContributionDeclaration(
        "glow", summary: "a coloured halo around the shapes, drawn under them",
        parameters: [color, radius, strength])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let blurred = try GaussianBlur.blur(source, sigma: input[Self.radius] * input.pixelScale, gl: gl)
        let program = try gl.program("postfx.glow", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            float a = clamp(texture(uHalo, vUV).a * uStrength, 0.0, 1.0);
            vec4 halo = uColor * a;
            fragColor = c + halo * (1.0 - c.a);
            """, declarations: "uniform sampler2D uHalo;\nuniform vec4 uColor;\nuniform float uStrength;"))
        return try gl.render(program, like: input, textures: ["uSource": source, "uHalo": blurred],
                             uniforms: ["uColor": .color(input[Self.color]), "uStrength": .float(input[Self.strength])])
    }
}
