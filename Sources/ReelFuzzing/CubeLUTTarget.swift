import PostFX
import ReelCore

extension Fuzz {
    /// A `.cube` file as `postfx.lut` reads it: parsed, turned into the texture the pass
    /// uploads, and applied on the CPU to a few colours, the domain's corners among them.
    /// - Throws: `ReelError` (`E-POSTFX-LUT`) for a file the pass refuses.
    public static func cubeLUT(_ bytes: [UInt8]) throws(ReelError) {
        let lut: CubeLUT
        do {
            lut = try CubeLUT(parsing: bytes, name: "fuzz.cube")
        } catch {
            throw refusal(error)
        }
        keep(lut.texturePixels().count)
        for rgb in [(0, 0, 0), (1, 1, 1), (0.5, 0.25, 0.75), (-0.5, 1.5, 0.5), lut.domainMin, lut.domainMax] {
            keep(lut.apply(rgb))
        }
    }
}
