import ReelCore
import ReelGL

/// Separable gaussian blur that stays cheap for large radii: while the kernel is wide, the
/// picture is halved (a box filter of four texels, one bilinear tap), so every level blurs
/// with at most 19 texels per direction (10 bilinear fetches), and the result is scaled back
/// up bilinearly.
enum GaussianBlur {
    /// `image` blurred with standard deviation `sigma` pixels; `image` itself for σ < 0.3.
    static func blur(_ image: PassImage, sigma: Double, gl: PassGL, format: TextureFormat = .rgba8) throws -> PassImage {
        guard sigma >= 0.3 else { return image }
        var current = image, levelSigma = sigma
        var intermediates: [PassTarget] = []
        defer { for target in intermediates { gl.recycle(target) } }
        while levelSigma > 3, current.width > 16, current.height > 16 {
            let half = try gl.target(width: (current.width + 1) / 2, height: (current.height + 1) / 2, format: format)
            try gl.copy(current, into: half)
            intermediates.append(half)
            current = half.image
            // Halving the picture halves the remaining σ (and the box adds about 0.5 texel).
            levelSigma = max((levelSigma * levelSigma - 0.25).squareRoot() / 2, 0.3)
        }
        let program = try gl.program("postfx.blur", fragment: PassGL.fragment("""
            vec2 texel = 1.0 / vec2(textureSize(uSource, 0));
            vec4 sum = texture(uSource, vUV);
            float total = 1.0;
            // Texels i and i+1 in one bilinear fetch, placed between them by their weights:
            // half the fetches for the same kernel.
            for (int i = 1; i <= uTaps; i += 2) {
                float a = float(i), b = a + 1.0;
                float wa = exp(-a * a / (2.0 * uSigma * uSigma));
                float wb = i + 1 <= uTaps ? exp(-b * b / (2.0 * uSigma * uSigma)) : 0.0;
                float w = wa + wb;
                vec2 offset = uDirection * texel * ((a * wa + b * wb) / w);
                sum += w * (texture(uSource, vUV + offset) + texture(uSource, vUV - offset));
                total += 2.0 * w;
            }
            fragColor = sum / total;
            """, declarations: "uniform vec2 uDirection;\nuniform float uSigma;\nuniform int uTaps;"))
        let taps = Int((levelSigma * 3).rounded(.up))
        let across = try gl.target(width: current.width, height: current.height, format: format)
        try gl.draw(program, into: across, textures: ["uSource": current],
                    uniforms: ["uDirection": .vec2(Vec2(1, 0)), "uSigma": .float(levelSigma), "uTaps": .int(taps)])
        let down = try gl.target(width: current.width, height: current.height, format: format)
        try gl.draw(program, into: down, textures: ["uSource": across.image],
                    uniforms: ["uDirection": .vec2(Vec2(0, 1)), "uSigma": .float(levelSigma), "uTaps": .int(taps)])
        gl.recycle(across)
        guard down.width != image.width || down.height != image.height else { return down.image }
        let full = try gl.target(width: image.width, height: image.height, format: format)
        try gl.copy(down.image, into: full)
        gl.recycle(down)
        return full.image
    }
}

/// `postfx.blur`: a gaussian blur of the frame or of one layer.
public struct Blur: PostPass {
    public static let radius = Param.number("radius", default: 8, in: 0...500, doc: "standard deviation of the gaussian in scene pixels, as CSS blur()")

    public let declaration = ContributionDeclaration(
        "blur", summary: "gaussian blur; large radii stay cheap (the picture is blurred at reduced size)",
        parameters: [radius])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        try GaussianBlur.blur(input.source(), sigma: input[Self.radius] * input.pixelScale, gl: gl)
    }
}
