import ReelCore
import ReelGL

/// `postfx.grain`: film grain. The noise is a hash of the pixel and a seed drawn from the
/// scene seed and the frame number, so frame n has the same grain on any machine, in any
/// frame range, and the grain still changes from frame to frame.
public struct Grain: PostPass {
    public static let amount = Param.number("amount", default: 0.08, in: 0...1, doc: "strength of the grain (0…1 of full scale)")
    public static let size = Param.number("size", default: 1.5, in: 1...64, doc: "grain size in scene pixels")
    public static let colored = Param.bool("colored", default: false, doc: "separate grain per channel")

    public let declaration = ContributionDeclaration(
        "grain", summary: "deterministic film grain, different every frame",
        parameters: [amount, size, colored])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let amount = input[Self.amount]
        guard amount > 0 else { return source }
        var random = input.random()
        let seed = Vec2(Double(random.next() % 4096), Double(random.next() % 4096))
        let program = try gl.program("postfx.grain", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vUV);
            vec2 cell = floor(vUV * uSize / uCell) + uSeed;
            vec3 n = uColored ? vec3(hash(cell), hash(cell + 17.0), hash(cell + 43.0)) : vec3(hash(cell));
            fragColor = vec4(clamp(c.rgb + (n - 0.5) * uAmount * c.a, 0.0, c.a), c.a);
            """, declarations: """
            uniform float uAmount; uniform float uCell; uniform vec2 uSeed; uniform bool uColored;
            // An integer hash (no sin()), so every driver computes the same grain.
            float hash(vec2 p) {
                uvec2 q = uvec2(ivec2(p) + 65536);
                uint h = q.x * 1597334677u ^ q.y * 3812015801u;
                h = (h ^ (h >> 16)) * 2246822519u;
                h ^= h >> 13;
                return float(h & 0xffffffu) / 16777215.0;
            }
            """))
        return try gl.render(program, like: input, textures: ["uSource": source], uniforms: [
            "uAmount": .float(amount), "uCell": .float(max(input[Self.size] * input.pixelScale, 1)),
            "uSeed": .vec2(seed), "uColored": .bool(input[Self.colored]),
        ])
    }
}
