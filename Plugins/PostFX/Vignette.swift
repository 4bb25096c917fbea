import ReelCore
import ReelGL

/// `postfx.vignette`: darkens (or tints) the edges, falling off smoothly from the centre.
public struct Vignette: PostPass {
    public static let strength = Param.number("strength", default: 0.5, in: 0...1, doc: "how much the corners take the vignette colour")
    public static let radius = Param.number("radius", default: 0.75, in: 0...2, doc: "where the fall-off ends, as a fraction of the centre-to-corner distance")
    public static let softness = Param.number("softness", default: 0.5, in: 0.01...2, doc: "width of the fall-off, same unit as radius")
    public static let color = Param.color("color", default: .black, doc: "colour the edges fade to")

    public let declaration = ContributionDeclaration(
        "vignette", summary: "darkens the edges of the picture",
        parameters: [strength, radius, softness, color])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let strength = input[Self.strength]
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
            "uStrength": .float(strength), "uRadius": .float(input[Self.radius]),
            "uSoftness": .float(input[Self.softness]), "uColor": .color(input[Self.color]),
        ])
    }
}
