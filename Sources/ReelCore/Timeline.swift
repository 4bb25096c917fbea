/// Turns a scene and a frame number into a `FrameState`.
///
/// A pure function: no clock, no global state. The same scene and frame give the same
/// state on any machine, which is what lets a frame range render anywhere.
public enum Timeline {
    /// The state of `scene` at `frame` (time `frame / fps`). Frames outside the scene's
    /// range are clamped by the keyframes (values hold before the first and after the last).
    public static func evaluate(_ scene: Scene, frame: Int) -> FrameState {
        let time = Double(frame) / scene.canvas.fps
        var items: [ShapeItem] = []
        items.reserveCapacity(scene.layers.count)
        for layer in scene.layers where layer.visible {
            if let item = evaluate(layer, at: time) { items.append(item) }
        }
        return FrameState(frame: frame, time: time, width: scene.canvas.width, height: scene.canvas.height,
                          background: scene.canvas.background, samples: scene.canvas.samples, items: items)
    }

    static func evaluate(_ layer: Layer, at time: Double) -> ShapeItem? {
        let opacity = min(max(layer.opacity.value(at: time), 0), 1)
        guard opacity > 0 else { return nil }

        let geometry: ShapeItem.Geometry
        switch layer.shape {
        case let .rect(size, cornerRadius):
            let s = size.value(at: time)
            geometry = .rect(halfSize: Vec2(abs(s.x) / 2, abs(s.y) / 2), cornerRadius: max(0, cornerRadius.value(at: time)))
        case let .ellipse(radii):
            let r = radii.value(at: time)
            geometry = .ellipse(radii: Vec2(abs(r.x), abs(r.y)))
        }

        let transform = Affine2D.translation(layer.position.value(at: time))
            * .rotation(degrees: layer.rotation.value(at: time))
            * .scale(layer.scale.value(at: time))
            * .translation(.zero - layer.anchor.value(at: time))

        func faded(_ c: Color) -> Color {
            var c = c
            c.alpha *= opacity
            return c
        }
        let fill = layer.fill.map { faded($0.value(at: time)) }
        let stroke = layer.stroke.flatMap { s -> (Color, Double)? in
            let width = s.width.value(at: time)
            return width > 0 ? (faded(s.color.value(at: time)), width) : nil
        }
        if fill == nil && stroke == nil { return nil }
        return ShapeItem(layerID: layer.id, geometry: geometry, transform: transform, fill: fill, stroke: stroke)
    }
}
