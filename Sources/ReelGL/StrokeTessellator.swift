import Foundation
import ReelCore

/// Turns polylines into triangles covering their stroke: a quad per segment, joins at
/// corners (miter within the limit, else bevel; round; bevel) and caps at open ends.
///
/// Triangles may overlap: the path renderer marks them in the stencil buffer and covers once,
/// so overlaps never double-blend a translucent stroke. Package-visible for the fuzzer (ReelFuzzing).
package struct StrokeTessellator {
    var halfWidth: Double
    var join: LineJoin
    var cap: LineCap
    var miterLimit: Double
    /// Chord tolerance for round joins and caps, in local units.
    var tolerance: Double

    package init(halfWidth: Double, join: LineJoin, cap: LineCap, miterLimit: Double, tolerance: Double) {
        (self.halfWidth, self.join, self.cap, self.miterLimit, self.tolerance) = (halfWidth, join, cap, miterLimit, tolerance)
    }

    /// Triangle vertices, three per triangle.
    package func triangles(_ lines: [Polyline]) -> [Vec2] {
        var out: [Vec2] = []
        for line in lines { add(line, to: &out) }
        return out
    }

    private func add(_ line: Polyline, to out: inout [Vec2]) {
        let points = line.points
        guard !points.isEmpty, halfWidth > 0 else { return }
        if points.count == 1 || (points.count == 2 && distance(points[0], points[1]) < 1e-12) {
            dot(points[0], to: &out)
            return
        }
        let n = points.count
        let segmentCount = line.closed ? n : n - 1
        for i in 0..<segmentCount {
            let a = points[i], b = points[(i + 1) % n]
            guard let normal = unitNormal(a, b) else { continue }
            let o = normal * halfWidth
            out += [a + o, b + o, b - o, a + o, b - o, a - o]
        }
        // Joins at interior points (and every point of a closed line).
        let joinIndices = line.closed ? Array(0..<n) : Array(1..<(n - 1))
        for i in joinIndices {
            let previous = points[(i - 1 + n) % n], p = points[i], next = points[(i + 1) % n]
            let style: LineJoin = line.corners[i] ? join : .miter
            addJoin(previous, p, next, style: style, limit: line.corners[i] ? miterLimit : 4, to: &out)
        }
        if !line.closed {
            addCap(at: points[0], direction: direction(points[1], points[0]), to: &out)
            addCap(at: points[n - 1], direction: direction(points[n - 2], points[n - 1]), to: &out)
        }
    }

    private func addJoin(_ a: Vec2, _ p: Vec2, _ b: Vec2, style: LineJoin, limit: Double, to out: inout [Vec2]) {
        guard let n1 = unitNormal(a, p), let n2 = unitNormal(p, b) else { return }
        let d1 = direction(a, p), d2 = direction(p, b)
        let turn = d1.x * d2.y - d1.y * d2.x
        if abs(turn) < 1e-9 && (d1.x * d2.x + d1.y * d2.y) > 0 { return }  // straight on
        // The outer side is opposite the turn.
        let side: Double = turn > 0 ? -1 : 1
        let o1 = n1 * (halfWidth * side), o2 = n2 * (halfWidth * side)
        switch style {
        case .bevel:
            out += [p, p + o1, p + o2]
        case .round:
            arc(center: p, from: o1, to: o2, to: &out)
        case .miter:
            let bisector = Vec2(o1.x + o2.x, o1.y + o2.y)
            let length = (bisector.x * bisector.x + bisector.y * bisector.y).squareRoot()
            guard length > 1e-12 else {
                out += [p, p + o1, p + o2]
                return
            }
            // cos of half the angle between the offsets; the miter reaches halfWidth / cos.
            let cosHalf = length / (2 * halfWidth)
            let ratio = 1 / max(cosHalf, 1e-9)
            if ratio <= limit {
                let tip = p + bisector * (halfWidth * ratio / length)
                out += [p, p + o1, tip, p, tip, p + o2]
            } else {
                out += [p, p + o1, p + o2]
            }
        }
    }

    private func addCap(at p: Vec2, direction d: Vec2, to out: inout [Vec2]) {
        let n = Vec2(-d.y, d.x) * halfWidth
        switch cap {
        case .butt:
            break
        case .square:
            let e = d * halfWidth
            out += [p + n, p + n + e, p - n + e, p + n, p - n + e, p - n]
        case .round:
            arc(center: p, from: n, to: Vec2(-n.x, -n.y), through: d, to: &out)
        }
    }

    /// A round cap or dot for a zero-length stroke; butt caps draw nothing there.
    private func dot(_ p: Vec2, to out: inout [Vec2]) {
        switch cap {
        case .butt: break
        case .square:
            let h = halfWidth
            out += [Vec2(p.x - h, p.y - h), Vec2(p.x + h, p.y - h), Vec2(p.x + h, p.y + h),
                    Vec2(p.x - h, p.y - h), Vec2(p.x + h, p.y + h), Vec2(p.x - h, p.y + h)]
        case .round:
            let r = Vec2(halfWidth, 0)
            arc(center: p, from: r, to: Vec2(-halfWidth, 0), through: Vec2(0, 1), to: &out)
            arc(center: p, from: Vec2(-halfWidth, 0), to: r, through: Vec2(0, -1), to: &out)
        }
    }

    /// A fan from `center` sweeping offset `from` to offset `to` the short way, or through
    /// `through`'s side when given (for half turns).
    private func arc(center: Vec2, from: Vec2, to: Vec2, through: Vec2? = nil, to out: inout [Vec2]) {
        let a0 = atan2(from.y, from.x)
        var sweep = atan2(to.y, to.x) - a0
        while sweep > .pi { sweep -= 2 * .pi }
        while sweep < -.pi { sweep += 2 * .pi }
        if let through {
            // Choose the direction whose midpoint lies on `through`'s side.
            let mid = a0 + sweep / 2
            if cos(mid) * through.x + sin(mid) * through.y < 0 { sweep = sweep > 0 ? sweep - 2 * .pi : sweep + 2 * .pi }
        }
        let step = 2 * acos(max(-1, min(1, 1 - tolerance / max(halfWidth, 1e-9))))
        // Clamped before it becomes an Int: offsets of points near Double's limits are NaN.
        let steps = (abs(sweep) / max(step, 1e-3)).rounded(.up)
        let count = steps.isNaN ? 1 : Int(min(max(steps, 1), 256))
        var previous = center + from
        for i in 1...count {
            let angle = a0 + sweep * Double(i) / Double(count)
            let point = Vec2(center.x + halfWidth * cos(angle), center.y + halfWidth * sin(angle))
            out += [center, previous, point]
            previous = point
        }
    }

    private func direction(_ a: Vec2, _ b: Vec2) -> Vec2 {
        let d = distance(a, b)
        return d > 0 ? Vec2((b.x - a.x) / d, (b.y - a.y) / d) : Vec2(1, 0)
    }

    private func unitNormal(_ a: Vec2, _ b: Vec2) -> Vec2? {
        let d = distance(a, b)
        guard d > 1e-12 else { return nil }
        return Vec2(-(b.y - a.y) / d, (b.x - a.x) / d)
    }
}
