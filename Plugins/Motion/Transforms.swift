import Foundation
import ReelCore

// MARK: - Turning and scaling a layer where it stands

extension LayerState {
    /// Where the layer's own origin lands in its parent's space: the point passes turn and
    /// scale the layer about, so it stays where its keyframes put it.
    var origin: Vec2 { transform.apply(.zero) }

    /// Turns the layer by `degrees` (clockwise on screen) about its origin, in the parent's space.
    mutating func rotate(degrees: Double) {
        guard degrees != 0 else { return }
        let o = origin
        transform = .translation(o) * .rotation(degrees: degrees) * .translation(.zero - o) * transform
    }

    /// Scales the layer by `factor` about its origin, in the parent's space.
    mutating func scale(by factor: Vec2) {
        guard factor != .one else { return }
        let o = origin
        transform = .translation(o) * .scale(factor) * .translation(.zero - o) * transform
    }

    /// Moves the layer by `offset` in the parent's space.
    mutating func translate(by offset: Vec2) {
        transform = .translation(offset) * transform
    }
}

// MARK: - Layers that become groups of copies

extension LayerState {
    /// A copy of what this layer draws (content, fill, stroke, trim) under another id,
    /// transform and opacity, for `motion.repeat` and `motion.particles`.
    func copy(id: String, transform: Affine2D, opacity: Double) -> LayerState {
        LayerState(id: id, content: content, transform: transform, opacity: opacity, fill: fill, stroke: stroke, trim: trim)
    }

    /// Replaces what the layer draws by `copies`, which carry their own transforms (in the
    /// parent's space, as the group's transform becomes the identity) and opacities. The
    /// layer keeps its id, blend mode, mask, effects and remaining passes, so it still
    /// composites, masks and post-processes as one.
    mutating func become(groupOf copies: [LayerState]) {
        content = .group(copies)
        transform = .identity
        opacity = 1
        fill = nil
        stroke = nil
        trim = nil
    }
}

extension Vec2 {
    var length: Double { (x * x + y * y).squareRoot() }

    /// The direction's angle in degrees, clockwise from +x (y points down on screen).
    var degrees: Double { atan2(y, x) * 180 / .pi }

    /// A unit vector at `degrees`, clockwise from +x.
    init(degrees: Double) {
        let r = degrees * .pi / 180
        self.init(cos(r), sin(r))
    }
}
