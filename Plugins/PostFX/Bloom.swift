import ReelCore
import ReelGL

/// `postfx.bloom`: bright parts bleed light into their surroundings.
///
/// The parts brighter than `threshold` (with a soft knee, so there is no hard edge where
/// the threshold is crossed) are taken at half size, blurred and added back.
public struct Bloom: PostPass {
    public let descriptor = ContributionDescriptor(
        plugin: "postfx", name: "bloom", kind: .pass,
        summary: "light bleeding from bright areas",
        parameters: [
            ParameterSpec(name: "threshold", type: .number, defaultValue: "0.75", minimum: 0, maximum: 1,
                          doc: "brightness (0…1, largest channel) above which light blooms"),
            ParameterSpec(name: "knee", type: .number, defaultValue: "0.1", minimum: 0, maximum: 1,
                          doc: "width of the soft transition around the threshold"),
            ParameterSpec(name: "intensity", type: .number, defaultValue: "1", minimum: 0, maximum: 10,
                          doc: "how much of the bloom is added"),
            ParameterSpec(name: "radius", type: .number, defaultValue: "24", minimum: 0, maximum: 500,
                          doc: "spread of the bloom (gaussian σ) in scene pixels"),
        ])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let intensity = input.number("intensity", 1)
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
                    uniforms: ["uThreshold": .float(input.number("threshold", 0.75)), "uKnee": .float(input.number("knee", 0.1))])
        let blurred = try GaussianBlur.blur(bright.image, sigma: input.number("radius", 24) * input.pixelScale / 2, gl: gl)
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
    public let descriptor = ContributionDescriptor(
        plugin: "postfx", name: "glow", kind: .pass,
        summary: "a coloured halo around the shapes, drawn under them",
        parameters: [
            ParameterSpec(name: "color", type: .color, defaultValue: "\"#ffffff\"", doc: "colour of the halo"),
            ParameterSpec(name: "radius", type: .number, defaultValue: "12", minimum: 0, maximum: 500,
                          doc: "spread of the halo (gaussian σ) in scene pixels"),
            ParameterSpec(name: "strength", type: .number, defaultValue: "1.5", minimum: 0, maximum: 10,
                          doc: "opacity multiplier of the halo (above 1 makes it denser near the shapes)"),
        ])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let blurred = try GaussianBlur.blur(source, sigma: input.number("radius", 12) * input.pixelScale, gl: gl)
        let program = try gl.program("postfx.glow", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            float a = clamp(texture(uHalo, vUV).a * uStrength, 0.0, 1.0);
            vec4 halo = uColor * a;
            fragColor = c + halo * (1.0 - c.a);
            """, declarations: "uniform sampler2D uHalo;\nuniform vec4 uColor;\nuniform float uStrength;"))
        return try gl.render(program, like: input, textures: ["uSource": source, "uHalo": blurred],
                             uniforms: ["uColor": .color(input.color("color", .white)), "uStrength": .float(input.number("strength", 1.5))])
    }
}
