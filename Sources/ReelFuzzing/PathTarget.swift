import Motion
import ReelCore
import ReelGL

extension Fuzz {
    /// SVG path data as a `path` layer and `motion.follow-path` use it: parsed (with the
    /// decoder's command limit), interpolated, flattened at the renderer's tolerance, trimmed,
    /// dashed and tessellated into a stroke (the join and cap vary with the input's length),
    /// and sampled along its length.
    /// - Throws: `ReelError` (`E-SCENE-PATH`) for path data the decoder refuses.
    public static func svgPath(_ bytes: [UInt8]) throws(ReelError) {
        let path: PathData
        do {
            path = try PathData(svg: String(decoding: bytes, as: UTF8.self), maxCommands: SceneLimits().maxKeyframes)
        } catch {
            throw refusal(error)
        }
        keep(PathData.interpolate(path, path, 0.5).structure)

        // The layer painter's chord tolerance (0.2 px) at scale 1.
        let tolerance = 0.2
        let lines = PathFlattening.flatten(path, tolerance: tolerance)
        let trimmed = PathFlattening.trim(lines, start: 0.1, end: 0.85, offset: 0.3)
        let dashed = PathFlattening.dash(trimmed, pattern: [6, 3, 0.5], offset: -2)
        let join = LineJoin.allCases[bytes.count % LineJoin.allCases.count]
        let cap = LineCap.allCases[bytes.count / 3 % LineCap.allCases.count]
        let stroke = StrokeTessellator(halfWidth: 2, join: join, cap: cap, miterLimit: 4, tolerance: tolerance)
        keep(stroke.triangles(lines).count + stroke.triangles(dashed).count)

        let sampler = PathSampler(path)
        for progress in [-0.5, 0, 0.3, 0.999, 1, 2.25] { keep(sampler.sample(atProgress: progress)) }
    }
}
