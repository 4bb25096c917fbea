import ReelCore

/// `motion.wiggle`: jitters a layer with smooth noise — its position, and optionally its
/// rotation and scale — the hand-held look, a nervous light, a bobbing buoy.
///
/// The noise is a function of time (never of the frame number), seeded by the scene's seed,
/// the layer's id and `seed`: changing the frame rate samples the same path, and two layers
/// wiggle differently. The path is continuous; `frequency` is how many new directions a
/// second it picks, `octaves` adds finer tremble on top.
public struct Wiggle: AnimationPass {
    public let descriptor = ContributionDescriptor(
        plugin: "motion", name: "wiggle", kind: .animation,
        summary: "jitters the layer's position (and rotation, scale) with smooth, seeded noise",
        parameters: [
            ParameterSpec(name: "amplitude", type: .vec2, defaultValue: "[10, 10]",
                          doc: "largest offset on each axis, pixels; one number for both"),
            ParameterSpec(name: "frequency", type: .number, defaultValue: "1", minimum: 0, maximum: 1000,
                          doc: "new directions per second, Hz"),
            ParameterSpec(name: "octaves", type: .integer, defaultValue: "2", minimum: 1, maximum: 8,
                          doc: "layers of finer noise, each twice as fast and half as strong"),
            ParameterSpec(name: "rotation", type: .number, defaultValue: "0", doc: "largest turn either way, degrees"),
            ParameterSpec(name: "scale", type: .number, defaultValue: "0", minimum: 0, maximum: 1,
                          doc: "largest change of size, as a fraction (0.1 is ±10%)"),
            ParameterSpec(name: "seed", type: .integer, defaultValue: "0", minimum: 0,
                          doc: "another seed, to give two wiggles on one layer different paths"),
        ])

    public init() {}

    /// Noise streams, so that the axes do not move in step.
    private enum Axis: UInt64 { case x = 1, y, rotation, scale }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let amplitude = context.vec2("amplitude", Vec2(10, 10)), frequency = context.number("frequency", 1)
        let octaves = Int(context.number("octaves", 2).rounded())
        let seed = UInt64(max(0, min(context.number("seed"), 1e15)))
        let x = context.time * frequency
        func noise(_ axis: Axis) -> Double {
            SmoothNoise(seed: context.seed, layer: context.layerID, stream: seed &* 16 &+ axis.rawValue)
                .fractal(at: x, octaves: octaves)
        }
        let rotation = context.number("rotation"), scale = context.number("scale")
        // Turn and scale first, about the layer's own origin, then move it.
        if rotation != 0 { layer.rotate(degrees: rotation * noise(.rotation)) }
        if scale != 0 {
            let factor = 1 + scale * noise(.scale)
            layer.scale(by: Vec2(factor, factor))
        }
        layer.translate(by: Vec2(amplitude.x * noise(.x), amplitude.y * noise(.y)))
    }
}
