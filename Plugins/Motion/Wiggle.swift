import ReelCore

/// `motion.wiggle`: jitters a layer with smooth noise — its position, and optionally its
/// rotation and scale — the hand-held look, a nervous light, a bobbing buoy.
///
/// The noise is a function of time (never of the frame number), seeded by the scene's seed,
/// the layer's id and `seed`: changing the frame rate samples the same path, and two layers
/// wiggle differently. The path is continuous; `frequency` is how many new directions a
/// second it picks, `octaves` adds finer tremble on top.
public struct Wiggle: AnimationPass {
    public static let amplitude = Param.vec2("amplitude", default: Vec2(10, 10), doc: "largest offset on each axis, pixels; one number for both")
    public static let frequency = Param.number("frequency", default: 1, in: 0...1000, doc: "new directions per second, Hz")
    public static let octaves = Param.integer("octaves", default: 2, in: 1...8, doc: "layers of finer noise, each twice as fast and half as strong")
    public static let rotation = Param.number("rotation", default: 0, doc: "largest turn either way, degrees")
    public static let scale = Param.number("scale", default: 0, in: 0...1, doc: "largest change of size, as a fraction (0.1 is ±10%)")
    public static let seed = Param.integer("seed", default: 0, in: 0..., doc: "another seed, to give two wiggles on one layer different paths")

    public let declaration = ContributionDeclaration(
        "wiggle", summary: "jitters the layer's position (and rotation, scale) with smooth, seeded noise",
        parameters: [amplitude, frequency, octaves, rotation, scale, seed])

    public init() {}

    /// Noise streams, so that the axes do not move in step.
    private enum Axis: UInt64 { case x = 1, y, rotation, scale }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let amplitude = context[Self.amplitude], frequency = context[Self.frequency]
        let octaves = context[Self.octaves]
        let seed = UInt64(max(0, context[Self.seed]))
        let x = context.time * frequency
        func noise(_ axis: Axis) -> Double {
            SmoothNoise(seed: context.seed, layer: context.layerID, stream: seed &* 16 &+ axis.rawValue)
                .fractal(at: x, octaves: octaves)
        }
        let rotation = context[Self.rotation], scale = context[Self.scale]
        // Turn and scale first, about the layer's own origin, then move it.
        if rotation != 0 { layer.rotate(degrees: rotation * noise(.rotation)) }
        if scale != 0 {
            let factor = 1 + scale * noise(.scale)
            layer.scale(by: Vec2(factor, factor))
        }
        layer.translate(by: Vec2(amplitude.x * noise(.x), amplitude.y * noise(.y)))
    }
}
