import ReelCore
import ReelGL

/// `postfx.lut`: applies a 3D lookup table from a `.cube` file declared as a scene asset.
///
/// ```yaml
/// assets: { teal: looks/teal-orange.cube }
/// passes: [{ lut: { file: teal, strength: 0.8 } }]
/// ```
public struct LUT: PostPass {
    public static let file = Param.string("file", default: "", doc: "the scene asset holding the .cube file")
    public static let strength = Param.number("strength", default: 1, in: 0...1, doc: "mix between the original (0) and the graded picture (1)")

    public let declaration = ContributionDeclaration(
        "lut", summary: "3D colour lookup table from a .cube file",
        parameters: [file, strength])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let name = input[Self.file]
        let strength = input[Self.strength]
        guard strength > 0 else { return source }
        guard !name.isEmpty else {
            throw ReelError(.postFXParameter, "no LUT file: set 'file' to the name of a scene asset",
                            detail: "assets: { look: looks/film.cube } … lut: { file: look }")
        }
        guard let loader = input.assets as? any AssetDataLoader else {
            throw ReelError(.assetData, "LUT asset '\(name)': this renderer's asset loader does not read files")
        }
        // Parsed and uploaded once per renderer.
        let lut = try gl.cached("postfx.lut:" + name) { try CubeLUT(parsing: loader.data(named: name), name: name) }
        let table = try gl.dataTexture("postfx.lut:" + name) { (lut.size * lut.size, lut.size, lut.texturePixels()) }
        let low = lut.domainMin, high = lut.domainMax
        let program = try gl.program("postfx.lut", fragment: PassGL.fragment("""
            vec4 p = texture(uSource, vUV);
            vec3 c = clamp((straight(p) - uLow) / (uHigh - uLow), 0.0, 1.0) * (uN - 1.0);
            float b0 = floor(c.b);
            float b1 = min(b0 + 1.0, uN - 1.0);
            vec2 rg = (c.rg + 0.5) / vec2(uN * uN, uN);
            vec3 lo = texture(uTable, rg + vec2(b0 / uN, 0.0)).rgb;
            vec3 hi = texture(uTable, rg + vec2(b1 / uN, 0.0)).rgb;
            vec3 graded = mix(lo, hi, c.b - b0);
            fragColor = vec4(mix(straight(p), graded, uStrength) * p.a, p.a);
            """, declarations: ShaderLibrary.straight + "\nuniform sampler2D uTable;\nuniform float uN;\nuniform float uStrength;\nuniform vec3 uLow;\nuniform vec3 uHigh;"))
        return try gl.render(program, like: input, textures: ["uSource": source, "uTable": table],
                    uniforms: ["uN": .float(Double(lut.size)), "uStrength": .float(strength),
                              "uLow": .vec3(low.0, low.1, low.2), "uHigh": .vec3(high.0, high.1, high.2)])
    }
}
