import ReelCore
import ReelGL

/// `postfx.chromatic-aberration`: red and blue pulled apart towards the edges, as a cheap
/// lens does.
public struct ChromaticAberration: PostPass {
    public static let amount = Param.number("amount", default: 4, in: 0...200, doc: "shift of red and blue at the corners, scene pixels")

    public let declaration = ContributionDeclaration(
        "chromatic-aberration", summary: "colour fringes that grow towards the edges",
        parameters: [amount])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let amount = input[Self.amount] * input.pixelScale
        guard amount > 0 else { return source }
        let program = try gl.program("postfx.chromatic-aberration", fragment: PassGL.fragment("""
            // The shift grows with the distance from the centre: amount pixels at the corners.
            vec2 toCentre = vUV - 0.5;
            vec2 shift = toCentre / length(vec2(0.5)) * uAmount / uSize;
            vec4 r = texture(uSource, vUV + shift);
            vec4 g = texture(uSource, vUV);
            vec4 b = texture(uSource, vUV - shift);
            fragColor = vec4(r.r, g.g, b.b, max(g.a, max(r.a, b.a)));
            """, declarations: "uniform float uAmount;"))
        return try gl.render(program, like: input, textures: ["uSource": source], uniforms: ["uAmount": .float(amount)])
    }
}
