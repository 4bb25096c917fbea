import ReelCore
import ReelGL

/// `postfx.vignette`: darkens (or tints) the edges, falling off smoothly from the centre.
public struct Vignette: PostPass {
    public let descriptor = ContributionDescriptor(
        plugin: "postfx", name: "vignette", kind: .pass,
        summary: "darkens the edges of the picture",
        parameters: [
            ParameterSpec(name: "strength", type: .number, defaultValue: "0.5", minimum: 0, maximum: 1,
                          doc: "how much the corners take the vignette colour"),
            ParameterSpec(name: "radius", type: .number, defaultValue: "0.75", minimum: 0, maximum: 2,
                          doc: "where the fall-off ends, as a fraction of the centre-to-corner distance"),
            ParameterSpec(name: "softness", type: .number, defaultValue: "0.5", minimum: 0.01, maximum: 2,
                          doc: "width of the fall-off, same unit as radius"),
            ParameterSpec(name: "color", type: .color, defaultValue: "\"#000000\"", doc: "colour the edges fade to"),
        ])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let strength = input.number("strength", 0.5)
        guard strength > 0 else { return source }
        let program = try gl.program("postfx.vignette", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            // Distance from the centre with square pixels, 1 at the corners.
            vec2 d = (vUV - 0.5) * uSize / length(uSize * 0.5);
            float r = length(d);
            float v = 1.0 - smoothstep(uRadius - uSoftness, uRadius, r);
            float k = uStrength * (1.0 - v);
            fragColor = vec4(mix(c.rgb, uColor.rgb * c.a, k), c.a);
            """, declarations: "uniform float uStrength;\nuniform float uRadius;\nuniform float uSoftness;\nuniform vec4 uColor;"))
        return try gl.render(program, like: input, textures: ["uSource": source], uniforms: [
            "uStrength": .float(strength), "uRadius": .float(input.number("radius", 0.75)),
            "uSoftness": .float(input.number("softness", 0.5)), "uColor": .color(input.color("color", .black)),
        ])
    }
}
