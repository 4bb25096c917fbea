import Foundation
import ReelCore

/// Outlines of the parametric shapes as path data, in the layer's own coordinates, so the
/// path renderer can fill, stroke, dash and trim them like any SVG path.
enum ShapeOutlines {
    /// A rectangle centred on the origin; rounded corners are quarter-circle cubics.
    static func rect(halfSize h: Vec2, cornerRadius: Double) -> PathData {
        let r = min(max(cornerRadius, 0), min(h.x, h.y))
        guard r > 0 else {
            return PathData(commands: [.move(Vec2(-h.x, -h.y)), .line(Vec2(h.x, -h.y)), .line(Vec2(h.x, h.y)), .line(Vec2(-h.x, h.y)), .close])
        }
        let k = r * 0.5522847498  // handle length of a cubic approximating a quarter circle
        return PathData(commands: [
            .move(Vec2(-h.x + r, -h.y)),
            .line(Vec2(h.x - r, -h.y)), .cubic(Vec2(h.x - r + k, -h.y), Vec2(h.x, -h.y + r - k), Vec2(h.x, -h.y + r)),
            .line(Vec2(h.x, h.y - r)), .cubic(Vec2(h.x, h.y - r + k), Vec2(h.x - r + k, h.y), Vec2(h.x - r, h.y)),
            .line(Vec2(-h.x + r, h.y)), .cubic(Vec2(-h.x + r - k, h.y), Vec2(-h.x, h.y - r + k), Vec2(-h.x, h.y - r)),
            .line(Vec2(-h.x, -h.y + r)), .cubic(Vec2(-h.x, -h.y + r - k), Vec2(-h.x + r - k, -h.y), Vec2(-h.x + r, -h.y)),
            .close,
        ])
    }

    /// An ellipse centred on the origin, starting at the top and running clockwise on screen.
    static func ellipse(radii r: Vec2) -> PathData {
        let kx = r.x * 0.5522847498, ky = r.y * 0.5522847498
        return PathData(commands: [
            .move(Vec2(0, -r.y)),
            .cubic(Vec2(kx, -r.y), Vec2(r.x, -ky), Vec2(r.x, 0)),
            .cubic(Vec2(r.x, ky), Vec2(kx, r.y), Vec2(0, r.y)),
            .cubic(Vec2(-kx, r.y), Vec2(-r.x, ky), Vec2(-r.x, 0)),
            .cubic(Vec2(-r.x, -ky), Vec2(-kx, -r.y), Vec2(0, -r.y)),
            .close,
        ])
    }

    /// A regular polygon with its first corner straight up.
    static func polygon(sides: Int, radius: Double) -> PathData {
        star(corners: (0..<sides).map { _ in radius })
    }

    /// A star: tips on `outer`, valleys on `inner`, the first tip straight up.
    static func star(points: Int, outer: Double, inner: Double) -> PathData {
        star(corners: (0..<(points * 2)).map { $0 % 2 == 0 ? outer : inner })
    }

    private static func star(corners radii: [Double]) -> PathData {
        var commands: [PathData.Command] = []
        for (i, radius) in radii.enumerated() {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(radii.count)
            let p = Vec2(radius * cos(angle), radius * sin(angle))
            commands.append(i == 0 ? .move(p) : .line(p))
        }
        commands.append(.close)
        return PathData(commands: commands)
    }

    static func line(from: Vec2, to: Vec2) -> PathData {
        PathData(commands: [.move(from), .line(to)])
    }
}
