import Foundation
import ReelCore

/// `motion.orbit`: moves a layer around its own position on an ellipse or, with different
/// speeds on the two axes, a Lissajous figure:
///
///     offset = radius ⊙ (sin(speed.x · t + phase.x), cos(speed.y · t + phase.y))
///
/// A closed form of the time, so every frame is computed on its own. With equal speeds and
/// phases the layer starts below its centre and turns counter-clockwise on screen.
public struct Orbit: AnimationPass {
    public let descriptor = ContributionDescriptor(
        plugin: "motion", name: "orbit", kind: .animation,
        summary: "moves the layer around its position on an ellipse or Lissajous path",
        parameters: [
            ParameterSpec(name: "radius", type: .vec2, defaultValue: "[100, 100]", doc: "half-extent of the path in x and y, pixels"),
            ParameterSpec(name: "speed", type: .vec2, defaultValue: "[1, 1]",
                          doc: "angular speed on each axis, radians per second (6.2832 is one turn a second)"),
            ParameterSpec(name: "phase", type: .vec2, defaultValue: "[0, 0]", doc: "starting angle on each axis, radians"),
            ParameterSpec(name: "orient", type: .bool, defaultValue: "false", doc: "turn the layer to face along its path"),
        ])

    public init() {}

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let radius = context.vec2("radius", Vec2(100, 100)), speed = context.vec2("speed", Vec2(1, 1))
        let phase = context.vec2("phase"), t = context.time
        let offset = Vec2(radius.x * sin(speed.x * t + phase.x), radius.y * cos(speed.y * t + phase.y))
        // The offset is in the parent's space: applied outside the layer's own transform.
        layer.transform = .translation(offset) * layer.transform
        if context.bool("orient") {
            let velocity = Vec2(radius.x * speed.x * cos(speed.x * t + phase.x), -radius.y * speed.y * sin(speed.y * t + phase.y))
            guard velocity.x != 0 || velocity.y != 0 else { return }
            // Rotate about the layer's current origin in the parent's space.
            let origin = layer.transform.apply(.zero)
            layer.transform = .translation(origin) * .rotation(degrees: atan2(velocity.y, velocity.x) * 180 / .pi)
                * .translation(.zero - origin) * layer.transform
        }
    }
}
