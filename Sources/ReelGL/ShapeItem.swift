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

