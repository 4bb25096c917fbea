import ReelCore

/// One instance for `ShapeRenderer`: geometry in local units, the local-to-canvas transform,
/// and paint with all opacity folded in.
public struct ShapeItem: Sendable {
    public enum Geometry: Sendable, Hashable {
        case rect(halfSize: Vec2, cornerRadius: Double)
        case ellipse(radii: Vec2)
    }

    public var layerID: String
    public var geometry: Geometry
    /// Maps the shape's local coordinates (origin at its centre) to canvas pixels.
    public var transform: Affine2D
    public var fill: Color?
    public var stroke: (color: Color, width: Double)?

    public init(layerID: String, geometry: Geometry, transform: Affine2D, fill: Color?, stroke: (color: Color, width: Double)?) {
        (self.layerID, self.geometry, self.transform, self.fill, self.stroke) = (layerID, geometry, transform, fill, stroke)
    }
}

/// Turns a frame's layer tree into shape instances in painter's order, noting every
/// feature this renderer cannot draw yet so the caller can say so instead of silently
/// dropping it.
struct ShapeFlattener {
    private(set) var items: [ShapeItem] = []
    /// Features met but not drawn, e.g. "text layers", "linear gradient fills".
    private(set) var skipped: Set<String> = []

    mutating func add(_ layers: [LayerState], transform parent: Affine2D = .identity, opacity parentOpacity: Double = 1) {
        for layer in layers {
            let transform = parent * layer.transform
            let opacity = parentOpacity * layer.opacity
            if layer.blend != .normal { skipped.insert("blend mode \(layer.blend.rawValue)") }
            if layer.mask != nil { skipped.insert("masks") }
            if !layer.effects.isEmpty { skipped.insert("layer effects") }
            if layer.trim != nil { skipped.insert("trim") }
            let geometry: ShapeItem.Geometry
            switch layer.content {
            case let .rect(halfSize, cornerRadius): geometry = .rect(halfSize: halfSize, cornerRadius: cornerRadius)
            case let .ellipse(radii): geometry = .ellipse(radii: radii)
            case let .group(children):
                // Children fade with the group; compositing the group as one image comes with
                // offscreen targets.
                add(children, transform: transform, opacity: opacity)
                continue
            default:
                skipped.insert("\(layer.content.kindName) layers")
                continue
            }
            var fill: Color?
            switch layer.fill {
            case let .solid(color)?:
                fill = color
                fill?.alpha *= opacity
            case let paint?:
                skipped.insert("\(paint.kindName) fills")
            case nil:
                break
            }
            var stroke: (Color, Double)?
            if let s = layer.stroke {
                if s.dash != nil { skipped.insert("dashed strokes") }
                var color = s.color
                color.alpha *= opacity
                stroke = (color, s.width)
            }
            guard fill != nil || stroke != nil else { continue }
            items.append(ShapeItem(layerID: layer.id, geometry: geometry, transform: transform, fill: fill, stroke: stroke))
        }
    }
}
