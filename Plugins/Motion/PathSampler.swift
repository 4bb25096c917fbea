import Foundation
import ReelCore

/// Points and directions along SVG path data by distance travelled (arc length), so that
/// equal steps of progress are equal distances on screen whatever the curve's control
/// points.
///
/// Cubics are cut into short chords; each chord remembers the curve's parameter at its
/// ends, so directions come from the curve's own derivative rather than from the chords.
/// A move starts a new piece without travelling, so a path of several parts is walked part
/// after part. Package-visible so the fuzzer (ReelFuzzing) samples paths directly.
package struct PathSampler: Sendable {
    /// A chord of the outline and where it lies on its source segment.
    private struct Chord: Sendable {
        var from: Vec2
        var to: Vec2
        /// Distance travelled before the chord.
        var start: Double
        var length: Double
        /// Tangent directions at the chord's ends (not normalised).
        var fromTangent: Vec2
        var toTangent: Vec2
    }

    private var chords: [Chord] = []
    /// Where the path starts, for paths with nothing to travel (a lone move).
    private var first: Vec2 = .zero
    /// The length of the whole path, in the path's units.
    private(set) var length: Double = 0
    /// One part that ends where it started (with `Z` or on the same point): progress
    /// beyond 0…1 wraps around it.
    private(set) var isClosed = false

    /// Chords per cubic: enough that the chords' length is within a fraction of a pixel of
    /// the curve's for the sizes scenes use, bounded so a huge path stays cheap.
    private static func chordCount(_ p0: Vec2, _ c1: Vec2, _ c2: Vec2, _ p3: Vec2) -> Int {
        let hull = (c1 - p0).length + (c2 - c1).length + (p3 - c2).length
        // Clamped before it becomes an Int: a hull near Double's limits, or NaN, would not fit.
        let count = (hull / 4).rounded(.up)
        return count.isNaN ? 4 : Int(min(64, max(4, count)))
    }

    package init(_ path: PathData) {
        var current = Vec2.zero, subpathStart = Vec2.zero, parts = 0, started = false
        func add(_ from: Vec2, _ to: Vec2, _ fromTangent: Vec2, _ toTangent: Vec2) {
            let length = (to - from).length
            guard length > 0 else { return }
            chords.append(Chord(from: from, to: to, start: self.length, length: length, fromTangent: fromTangent, toTangent: toTangent))
            self.length += length
        }
        for command in path.commands {
            switch command {
            case let .move(p):
                if !started { first = p }
                (current, subpathStart, started) = (p, p, true)
                parts += 1
            case let .line(p):
                add(current, p, p - current, p - current)
                current = p
            case let .cubic(c1, c2, p3):
                let p0 = current, n = Self.chordCount(p0, c1, c2, p3)
                var previous = p0, previousTangent = Self.derivative(p0, c1, c2, p3, 0)
                for k in 1...n {
                    let u = Double(k) / Double(n)
                    let point = Self.point(p0, c1, c2, p3, u), tangent = Self.derivative(p0, c1, c2, p3, u)
                    add(previous, point, previousTangent, tangent)
                    (previous, previousTangent) = (point, tangent)
                }
                current = p3
            case .close:
                add(current, subpathStart, subpathStart - current, subpathStart - current)
                current = subpathStart
            }
        }
        let last = chords.last?.to ?? first
        isClosed = parts == 1 && length > 0 && (last - first).length < 1e-9 * max(1, length)
    }

    /// The point and unit direction at `distance` along the path (clamped to its ends).
    func sample(atDistance distance: Double) -> (point: Vec2, direction: Vec2) {
        guard let firstChord = chords.first, let lastChord = chords.last else { return (first, Vec2(1, 0)) }
        guard distance > 0 else { return (firstChord.from, Self.unit(firstChord.fromTangent, fallback: firstChord.to - firstChord.from)) }
        guard distance < length else { return (lastChord.to, Self.unit(lastChord.toTangent, fallback: lastChord.to - lastChord.from)) }
        // The last chord that starts at or before the distance.
        var low = 0, high = chords.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if chords[mid].start <= distance { low = mid } else { high = mid - 1 }
        }
        let chord = chords[low], f = min(max((distance - chord.start) / chord.length, 0), 1)
        let point = chord.from + (chord.to - chord.from) * f
        let tangent = chord.fromTangent + (chord.toTangent - chord.fromTangent) * f
        return (point, Self.unit(tangent, fallback: chord.to - chord.from))
    }

    /// The point and direction at `progress` of the length: 0 is the start, 1 the end.
    /// Beyond 0…1 a closed path wraps around (2.25 is a quarter of the way round, on the
    /// third lap) and an open one holds at its ends.
    package func sample(atProgress progress: Double) -> (point: Vec2, direction: Vec2) {
        guard progress.isFinite else { return sample(atDistance: 0) }
        let p = isClosed ? progress - progress.rounded(.down) : min(max(progress, 0), 1)
        return sample(atDistance: p * length)
    }

    // MARK: - Cubic Bézier

    static func point(_ p0: Vec2, _ c1: Vec2, _ c2: Vec2, _ p3: Vec2, _ u: Double) -> Vec2 {
        let v = 1 - u
        return p0 * (v * v * v) + c1 * (3 * v * v * u) + c2 * (3 * v * u * u) + p3 * (u * u * u)
    }

    /// The curve's derivative. It vanishes where a control point sits on its end point;
    /// `sample` then falls back to the chord's direction.
    static func derivative(_ p0: Vec2, _ c1: Vec2, _ c2: Vec2, _ p3: Vec2, _ u: Double) -> Vec2 {
        let v = 1 - u
        return (c1 - p0) * (3 * v * v) + (c2 - c1) * (6 * v * u) + (p3 - c2) * (3 * u * u)
    }

    private static func unit(_ v: Vec2, fallback: Vec2) -> Vec2 {
        let l = v.length
        if l > 1e-12 { return v * (1 / l) }
        let f = fallback.length
        return f > 1e-12 ? fallback * (1 / f) : Vec2(1, 0)
    }
}
