import ReelCore
import ReelGL

/// `postfx.grade`: exposure, contrast, saturation, white balance and lift/gamma/gain, on
/// straight (not premultiplied) colour so translucent edges grade like the rest.
public struct ColorGrade: PostPass {
    public static let exposure = Param.number("exposure", default: 0, in: -10...10, doc: "brightness in stops (+1 doubles the light)")
    public static let contrast = Param.number("contrast", default: 1, in: 0...4, doc: "contrast around mid-grey (1 keeps it)")
    public static let saturation = Param.number("saturation", default: 1, in: 0...4, doc: "colourfulness (0 is greyscale, 1 keeps it)")
    public static let temperature = Param.number("temperature", default: 0, in: -1...1, doc: "white balance: positive warms (more red, less blue), negative cools")
    public static let tint = Param.number("tint", default: 0, in: -1...1, doc: "green (negative) to magenta (positive)")
    public static let lift = Param.number("lift", default: 0, in: -1...1, doc: "raises (or lowers) the blacks, leaving white")
    public static let gamma = Param.number("gamma", default: 1, in: 0.1...10, doc: "mid-tones: above 1 brightens them")
    public static let gain = Param.number("gain", default: 1, in: 0...10, doc: "scales the whites, leaving black")

    public let declaration = ContributionDeclaration(
        "grade", summary: "colour grade: exposure, contrast, saturation, temperature, lift/gamma/gain",
        parameters: [exposure, contrast, saturation, temperature, tint, lift, gamma, gain])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let program = try gl.program("postfx.grade", fragment: PassGL.fragment("""
            vec4 p = texture(uSource, vUV);
            vec3 c = straight(p) * exp2(uExposure);
            c *= vec3(1.0 + 0.2 * uTemperature - 0.1 * uTint, 1.0 + 0.2 * uTint, 1.0 - 0.2 * uTemperature - 0.1 * uTint);
            c = (c - 0.5) * uContrast + 0.5;
            c = mix(vec3(luma(c)), c, uSaturation);
            c = uGain * (c + uLift * (1.0 - c));
            c = pow(max(c, 0.0), vec3(1.0 / uGamma));
            fragColor = vec4(clamp(c, 0.0, 1.0) * p.a, p.a);
            """, declarations: ShaderLibrary.straight + """

            uniform float uExposure; uniform float uContrast; uniform float uSaturation; uniform float uTemperature;
            uniform float uTint; uniform float uLift; uniform float uGamma; uniform float uGain;
            """))
        var uniforms: [String: PassUniform] = [:]
        // Each uniform is its parameter's name, capitalised: exposure → uExposure.
        for param in [Self.exposure, Self.contrast, Self.saturation, Self.temperature, Self.tint, Self.lift, Self.gamma, Self.gain] {
            uniforms["u" + param.name.prefix(1).uppercased() + param.name.dropFirst()] = .float(input[param])
        }
        return try gl.render(program, like: input, textures: ["uSource": source], uniforms: uniforms)
    }
}
