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
    public static let radius = Param.vec2("radius", default: Vec2(100, 100), doc: "half-extent of the path in x and y, pixels")
    public static let speed = Param.vec2("speed", default: Vec2(1, 1),
                                         doc: "angular speed on each axis, radians per second (6.2832 is one turn a second)")
    public static let phase = Param.vec2("phase", default: .zero, doc: "starting angle on each axis, radians")
    public static let orient = Param.bool("orient", default: false, doc: "turn the layer to face along its path")

    public let declaration = ContributionDeclaration(
        "orbit", summary: "moves the layer around its position on an ellipse or Lissajous path",
        parameters: [radius, speed, phase, orient])

    public init() {}

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let radius = context[Self.radius], speed = context[Self.speed]
        let phase = context[Self.phase], t = context.time
        let offset = Vec2(radius.x * sin(speed.x * t + phase.x), radius.y * cos(speed.y * t + phase.y))
        // The offset is in the parent's space: applied outside the layer's own transform.
        layer.transform = .translation(offset) * layer.transform
        if context[Self.orient] {
            let velocity = Vec2(radius.x * speed.x * cos(speed.x * t + phase.x), -radius.y * speed.y * sin(speed.y * t + phase.y))
            guard velocity.x != 0 || velocity.y != 0 else { return }
            // Rotate about the layer's current origin in the parent's space.
            let origin = layer.transform.apply(.zero)
            layer.transform = .translation(origin) * .rotation(degrees: atan2(velocity.y, velocity.x) * 180 / .pi)
                * .translation(.zero - origin) * layer.transform
        }
    }
}
