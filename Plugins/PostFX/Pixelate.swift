import ReelCore
import ReelGL

/// `postfx.pixelate`: big square pixels, each the average of the block it covers.
public struct Pixelate: PostPass {
    public static let size = Param.number("size", default: 16, in: 1...1024, doc: "block size in scene pixels (1 leaves the picture as it is)")

    public let declaration = ContributionDeclaration(
        "pixelate", summary: "mosaic of square blocks",
        parameters: [size])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        let source = try input.source()
        let size = input[Self.size] * input.pixelScale
        guard size >= 1.5 else { return source }
        // Average each block from a picture shrunk by the block size, then show it unfiltered.
        let columns = max(Int((Double(input.width) / size).rounded(.up)), 1)
        let rows = max(Int((Double(input.height) / size).rounded(.up)), 1)
        let small = try GaussianBlur.blur(source, sigma: size / 3, gl: gl)
        let blocks = try gl.target(width: columns, height: rows)
        let sample = try gl.program("postfx.pixelate.sample", fragment: PassGL.fragment("""
            // The centre of block (x, y) in the full picture.
            vec2 centre = (floor(vUV * uSize) + 0.5) * uBlock / uFull;
            fragColor = texture(uSource, centre);
            """, declarations: "uniform float uBlock;\nuniform vec2 uFull;"))
        try gl.draw(sample, into: blocks, textures: ["uSource": small],
                    uniforms: ["uBlock": .float(size), "uFull": .vec2(Vec2(Double(input.width), Double(input.height)))])
        let show = try gl.program("postfx.pixelate.show", fragment: PassGL.fragment("""
            ivec2 block = ivec2(floor(vUV * uSize / uBlock));
            fragColor = texelFetch(uSource, min(block, textureSize(uSource, 0) - 1), 0);
            """, declarations: "uniform float uBlock;"))
        return try gl.render(show, like: input, textures: ["uSource": blocks.image], uniforms: ["uBlock": .float(size)])
    }
}
