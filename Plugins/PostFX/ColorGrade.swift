import ReelCore
import ReelGL

/// `postfx.grade`: exposure, contrast, saturation, white balance and lift/gamma/gain, on
/// straight (not premultiplied) colour so translucent edges grade like the rest.
public struct ColorGrade: PostPass {
    public let descriptor = ContributionDescriptor(
        plugin: "postfx", name: "grade", kind: .pass,
        summary: "colour grade: exposure, contrast, saturation, temperature, lift/gamma/gain",
        parameters: [
            ParameterSpec(name: "exposure", type: .number, defaultValue: "0", minimum: -10, maximum: 10,
                          doc: "brightness in stops (+1 doubles the light)"),
            ParameterSpec(name: "contrast", type: .number, defaultValue: "1", minimum: 0, maximum: 4,
                          doc: "contrast around mid-grey (1 keeps it)"),
            ParameterSpec(name: "saturation", type: .number, defaultValue: "1", minimum: 0, maximum: 4,
                          doc: "colourfulness (0 is greyscale, 1 keeps it)"),
            ParameterSpec(name: "temperature", type: .number, defaultValue: "0", minimum: -1, maximum: 1,
                          doc: "white balance: positive warms (more red, less blue), negative cools"),
            ParameterSpec(name: "tint", type: .number, defaultValue: "0", minimum: -1, maximum: 1,
                          doc: "green (negative) to magenta (positive)"),
            ParameterSpec(name: "lift", type: .number, defaultValue: "0", minimum: -1, maximum: 1,
                          doc: "raises (or lowers) the blacks, leaving white"),
            ParameterSpec(name: "gamma", type: .number, defaultValue: "1", minimum: 0.1, maximum: 10,
                          doc: "mid-tones: above 1 brightens them"),
            ParameterSpec(name: "gain", type: .number, defaultValue: "1", minimum: 0, maximum: 10,
                          doc: "scales the whites, leaving black"),
        ])

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
        let names = ["exposure": 0.0, "contrast": 1, "saturation": 1, "temperature": 0, "tint": 0, "lift": 0, "gamma": 1, "gain": 1]
        var uniforms: [String: PassUniform] = [:]
        for (name, fallback) in names {
            uniforms["u" + name.prefix(1).uppercased() + name.dropFirst()] = .float(input.number(name, fallback))
        }
        return try gl.render(program, like: input, textures: ["uSource": source], uniforms: uniforms)
    }
}
