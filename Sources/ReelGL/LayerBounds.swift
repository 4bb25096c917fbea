import CEGL
import ReelCore

/// Where on the target a layer can draw, so an isolated layer (a mask, a blend, group
/// opacity) is cleared, drawn, resolved and composited only there instead of over the whole
/// frame: on a CPU rasterizer every full-frame pass of a 720p MSAA target costs milliseconds,
/// and a masked card filled four of them.
///
/// Bounds are conservative: anything whose extent is not known cheaply (glyphs moved by
/// animation passes, pictures without a box, effects that spread) has none, and is drawn over
/// the whole frame as before.
struct PixelRect: Equatable {
    var x: Int, y: Int, width: Int, height: Int

    var isEmpty: Bool { width <= 0 || height <= 0 }

    func intersection(_ other: PixelRect) -> PixelRect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(x + width, other.x + other.width), y1 = min(y + height, other.y + other.height)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The pixels covering `bounds` (in target pixels, y down as drawn), grown by `margin`
    /// for antialiasing and clipped to the target.
    init?(covering bounds: Bounds, margin: Double, target: (Int, Int)) {
        guard !bounds.isEmpty, bounds.min.x.isFinite, bounds.min.y.isFinite, bounds.max.x.isFinite, bounds.max.y.isFinite else { return nil }
        let x0 = Int(max(0, min(Double(target.0), (bounds.min.x - margin).rounded(.down))))
        let y0 = Int(max(0, min(Double(target.1), (bounds.min.y - margin).rounded(.down))))
        let x1 = Int(max(0, min(Double(target.0), (bounds.max.x + margin).rounded(.up))))
        let y1 = Int(max(0, min(Double(target.1), (bounds.max.y + margin).rounded(.up))))
        self.init(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    init(x: Int, y: Int, width: Int, height: Int) { (self.x, self.y, self.width, self.height) = (x, y, width, height) }
}

extension Bounds {
    mutating func add(_ other: Bounds) {
        guard !other.isEmpty else { return }
        add(other.min)
        add(other.max)
    }

    /// The bounds of this box's corners under `transform`.
    func transformed(_ transform: Affine2D) -> Bounds {
        guard !isEmpty else { return self }
        var out = Bounds()
        for corner in [min, max, Vec2(min.x, max.y), Vec2(max.x, min.y)] { out.add(transform.apply(corner)) }
        return out
    }

    mutating func grow(_ amount: Double) {
        guard !isEmpty else { return }
        min = Vec2(min.x - amount, min.y - amount)
        max = Vec2(max.x + amount, max.y + amount)
    }
}

enum LayerBounds {
    /// `layer`'s extent in target pixels under `parent` (its parent's transform); nil when it
    /// cannot be bounded cheaply. `shape` shapes text (cached by the shaper).
    static func of(_ layer: LayerState, parent: Affine2D, shape: (TextState) -> ShapedText?) -> Bounds? {
        guard layer.effects.isEmpty else { return nil }
        let transform = parent * layer.transform
        var local = Bounds()
        switch layer.content {
        case let .rect(halfSize, _):
            local.add(Vec2(-halfSize.x, -halfSize.y)); local.add(halfSize)
        case let .ellipse(radii):
            local.add(Vec2(-radii.x, -radii.y)); local.add(radii)
        case let .polygon(_, radius):
            local.add(Vec2(-abs(radius), -abs(radius))); local.add(Vec2(abs(radius), abs(radius)))
        case let .star(_, outer, inner):
            let r = max(abs(outer), abs(inner))
            local.add(Vec2(-r, -r)); local.add(Vec2(r, r))
        case let .line(from, to):
            local.add(from); local.add(to)
        case let .path(data, _):
            for command in data.commands {
                switch command {
                case let .move(p), let .line(p): local.add(p)
                case let .cubic(a, b, c): local.add(a); local.add(b); local.add(c)
                case .close: break
                }
            }
        case let .text(text):
            // Glyph adjustments (a wave, a typewriter's rise) move glyphs anywhere.
            guard text.glyphAdjustments.isEmpty, let shaped = shape(text) else { return nil }
            for glyph in shaped.glyphs {
                for command in glyph.outline.commands {
                    switch command {
                    case let .move(p), let .line(p): local.add(p)
                    case let .cubic(a, b, c): local.add(a); local.add(b); local.add(c)
                    case .close: break
                    }
                }
            }
        case let .image(image):
            guard let box = image.size, image.fit != .none else { return nil }
            local.add(Vec2(-box.x / 2, -box.y / 2)); local.add(Vec2(box.x / 2, box.y / 2))
        case let .video(video):
            guard let box = video.size, video.fit != .none else { return nil }
            local.add(Vec2(-box.x / 2, -box.y / 2)); local.add(Vec2(box.x / 2, box.y / 2))
        case let .shader(_, size):
            guard size.x > 0, size.y > 0 else { return nil }
            local.add(Vec2(-size.x / 2, -size.y / 2)); local.add(Vec2(size.x / 2, size.y / 2))
        case let .group(children):
            var union = Bounds()
            for child in children {
                guard let b = of(child, parent: transform, shape: shape) else { return nil }
                union.add(b)
            }
            return union
        }
        if let stroke = layer.stroke {
            // A miter can reach miterLimit half-widths from the outline; caps a half-width.
            local.grow(stroke.width / 2 * max(stroke.miterLimit, 1.5))
        }
        return local.transformed(transform)
    }
}
