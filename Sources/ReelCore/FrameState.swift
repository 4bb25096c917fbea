/// Everything a renderer needs to draw one frame, with every animation resolved.
///
/// Produced by `Timeline.evaluate`; contains no keyframes and no references to time, so a
/// renderer never needs the scene.
public struct FrameState: Sendable {
    public var frame: Int
    /// Seconds since the scene's start.
    public var time: Double
    public var width: Int
    public var height: Int
    public var background: Color
    public var samples: Int
    /// Visible items in painter's order.
    public var items: [ShapeItem]

    public init(frame: Int, time: Double, width: Int, height: Int, background: Color, samples: Int, items: [ShapeItem]) {
        (self.frame, self.time, self.width, self.height) = (frame, time, width, height)
        (self.background, self.samples, self.items) = (background, samples, items)
    }
}

/// One resolved shape: geometry in local units, the local-to-canvas transform and paint.
public struct ShapeItem: Sendable {
    public enum Geometry: Sendable, Hashable {
        case rect(halfSize: Vec2, cornerRadius: Double)
        case ellipse(radii: Vec2)
    }

    public var layerID: String
    public var geometry: Geometry
    /// Maps the shape's local coordinates (origin at its centre) to canvas pixels.
    public var transform: Affine2D
    /// Fill colour with the layer's opacity already applied to alpha.
    public var fill: Color?
    /// Stroke colour (opacity applied) and width in local units.
    public var stroke: (color: Color, width: Double)?

    public init(layerID: String, geometry: Geometry, transform: Affine2D, fill: Color?, stroke: (color: Color, width: Double)?) {
        (self.layerID, self.geometry, self.transform, self.fill, self.stroke) = (layerID, geometry, transform, fill, stroke)
    }
}
