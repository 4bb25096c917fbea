import Foundation
import ReelCore

/// A path turned into polylines: what the stencil fill and the stroke tessellator consume.
/// Package-visible, like the flattening, so the fuzzer (ReelFuzzing) reaches it without GL.
package struct Polyline {
    var points: [Vec2]
    /// True at points where the outline turns a corner (path vertices), false at points a
    /// curve was subdivided into; joins are drawn only at corners.
    var corners: [Bool]
    var closed: Bool

    /// Lengths along the polyline from its start to each point.
    func cumulativeLengths() -> [Double] {
        var lengths = [0.0]
        lengths.reserveCapacity(points.count + 1)
        for i in 1..<max(points.count, 1) {
            lengths.append(lengths[i - 1] + distance(points[i - 1], points[i]))
        }
        if closed, let first = points.first, let last = points.last {
            lengths.append(lengths[lengths.count - 1] + distance(last, first))
        }
        return lengths
    }
}

func distance(_ a: Vec2, _ b: Vec2) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }

package enum PathFlattening {
    /// Flattens `path` so that no chord strays more than `tolerance` from its curve, where
    /// tolerance is in local units (callers divide pixel tolerance by the transform's scale).
    package static func flatten(_ path: PathData, tolerance: Double) -> [Polyline] {
        var result: [Polyline] = []
        var current = Polyline(points: [], corners: [], closed: false)
        var pen = Vec2.zero, start = Vec2.zero
        func finish(closed: Bool) {
            if current.points.count >= 2 || (current.points.count == 1 && closed) {
                current.closed = closed
                // A closing segment back onto the start point adds nothing.
                if closed, current.points.count > 1, let last = current.points.last, distance(last, current.points[0]) < 1e-9 {
                    current.points.removeLast()
                    current.corners.removeLast()
                }
                result.append(current)
            }
            current = Polyline(points: [], corners: [], closed: false)
        }
        func add(_ p: Vec2, corner: Bool) {
            if let last = current.points.last, distance(last, p) < 1e-12 {
                if corner { current.corners[current.corners.count - 1] = true }
                return
            }
            current.points.append(p)
            current.corners.append(corner)
        }
        for command in path.commands {
            switch command {
            case let .move(p):
                finish(closed: false)
                add(p, corner: true)
                pen = p
                start = p
            case let .line(p):
                if current.points.isEmpty { add(pen, corner: true) }
                add(p, corner: true)
                pen = p
            case let .cubic(c1, c2, p):
                if current.points.isEmpty { add(pen, corner: true) }
                // Wang's formula: segments so the chord error stays under tolerance.
                let d1 = Vec2(pen.x - 2 * c1.x + c2.x, pen.y - 2 * c1.y + c2.y)
                let d2 = Vec2(c1.x - 2 * c2.x + p.x, c1.y - 2 * c2.y + p.y)
                let dd = max((d1.x * d1.x + d1.y * d1.y).squareRoot(), (d2.x * d2.x + d2.y * d2.y).squareRoot())
                // Clamped before it becomes an Int: huge coordinates overflow to infinity (most
                // segments), or to NaN (inf - inf), whose points are no use anyway (one segment).
                let segments = (0.75 * dd / max(tolerance, 1e-6)).squareRoot().rounded(.up)
                let n = segments.isNaN ? 1 : Int(min(max(segments, 1), 1024))
                for i in 1...n {
                    let t = Double(i) / Double(n), u = 1 - t
                    let q = Vec2(u * u * u * pen.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * p.x,
                                 u * u * u * pen.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * p.y)
                    add(q, corner: i == n)
                }
                pen = p
            case .close:
                if !current.points.isEmpty { finish(closed: true) }
                pen = start
            }
        }
        finish(closed: false)
        return result
    }

    /// The parts of `lines` between fractions `start` and `end` of the total length, the
    /// window shifted by `offset` (wrapping round), as After Effects' trim paths does across
    /// all contours together.
    package static func trim(_ lines: [Polyline], start: Double, end: Double, offset: Double) -> [Polyline] {
        let s = min(max(start, 0), 1), e = min(max(end, 0), 1)
        guard e > s else { return [] }
        if s <= 0 && e >= 1 { return lines }
        let lengths = lines.map { $0.cumulativeLengths() }
        let total = lengths.reduce(0) { $0 + ($1.last ?? 0) }
        guard total > 0 else { return [] }
        let shift = offset - offset.rounded(.down)
        var a = (s + shift) * total, b = (e + shift) * total
        var ranges: [(Double, Double)] = []
        if b <= total {
            ranges.append((a, b))
        } else if a >= total {
            a -= total; b -= total
            ranges.append((a, b))
        } else {
            ranges.append((a, total))
            ranges.append((0, b - total))
        }
        var result: [Polyline] = []
        for (from, to) in ranges {
            result += slice(lines, lengths: lengths, from: from, to: to)
        }
        return result
    }

    /// Dashes: alternating on/off lengths along each polyline, starting `offset` into the
    /// pattern.
    package static func dash(_ lines: [Polyline], pattern: [Double], offset: Double) -> [Polyline] {
        let period = pattern.reduce(0, +)
        guard period > 0, pattern.count > 0 else { return lines }
        let full = pattern.count % 2 == 0 ? pattern : pattern + pattern
        var result: [Polyline] = []
        for line in lines {
            let lengths = line.cumulativeLengths()
            guard let total = lengths.last, total > 0 else { continue }
            // Start before the line's beginning at the right phase of the pattern.
            let fullPeriod = full.reduce(0, +)
            var phase = offset.truncatingRemainder(dividingBy: fullPeriod)
            if phase < 0 { phase += fullPeriod }
            var position = -phase
            var index = 0
            var count = 0
            while position < total && count < 100_000 {
                let length = full[index % full.count]
                if index % 2 == 0 {
                    let from = max(position, 0), to = min(position + length, total)
                    if to > from { result += slice([line], lengths: [lengths], from: from, to: to) }
                }
                position += length
                index += 1
                count += 1
            }
        }
        return result
    }

    /// Open polylines covering arc lengths [from, to] measured across `lines` in order.
    static func slice(_ lines: [Polyline], lengths: [[Double]], from: Double, to: Double) -> [Polyline] {
        var result: [Polyline] = []
        var base = 0.0
        for (line, cumulative) in zip(lines, lengths) {
            guard let lineLength = cumulative.last else { continue }
            defer { base += lineLength }
            let a = max(from - base, 0), b = min(to - base, lineLength)
            guard b > a else { continue }
            var points = line.points
            var corners = line.corners
            if line.closed, let first = points.first {
                points.append(first)
                corners.append(line.corners.first ?? true)
            }
            func point(at s: Double) -> Vec2 {
                var i = 1
                while i < cumulative.count - 1 && cumulative[i] < s { i += 1 }
                let segment = cumulative[i] - cumulative[i - 1]
                let t = segment > 0 ? (s - cumulative[i - 1]) / segment : 0
                return Vec2.interpolate(points[i - 1], points[i], t)
            }
            var piece = Polyline(points: [point(at: a)], corners: [true], closed: false)
            for i in 1..<points.count where cumulative[i] > a && cumulative[i] < b {
                piece.points.append(points[i])
                piece.corners.append(corners[i])
            }
            piece.points.append(point(at: b))
            piece.corners.append(true)
            // A closed contour kept whole stays closed, so its seam gets a join, not caps.
            if line.closed && a <= 0 && b >= lineLength {
                piece.points.removeLast()
                piece.corners.removeLast()
                piece.closed = true
            }
            result.append(piece)
        }
        return result
    }
}
