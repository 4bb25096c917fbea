import Foundation

/// Outline geometry from SVG path data, normalised to absolute move, line, cubic and close
/// commands so that two paths with the same structure can be interpolated point by point.
///
/// Quadratic curves become cubics, arcs become cubics (one per quarter turn or less), and
/// H/V become lines; all coordinates are absolute.
public struct PathData: Sendable, Hashable {
    public enum Command: Sendable, Hashable {
        case move(Vec2)
        case line(Vec2)
        case cubic(Vec2, Vec2, Vec2)
        case close
    }

    public var commands: [Command]

    public init(commands: [Command]) { self.commands = commands }

    /// The command kinds in order, e.g. "MLCZ": two paths interpolate only if these match.
    public var structure: String {
        String(commands.map { command -> Character in
            switch command {
            case .move: return "M"
            case .line: return "L"
            case .cubic: return "C"
            case .close: return "Z"
            }
        })
    }
}

extension PathData: Interpolatable {
    /// Point-by-point interpolation; decoding guarantees matching structure, and a mismatch
    /// (which cannot come from a valid scene) holds the start shape.
    public static func interpolate(_ from: PathData, _ to: PathData, _ t: Double) -> PathData {
        guard from.structure == to.structure else { return t < 1 ? from : to }
        let mix = { (a: Vec2, b: Vec2) in Vec2.interpolate(a, b, t) }
        return PathData(commands: zip(from.commands, to.commands).map { pair in
            switch pair {
            case let (.move(a), .move(b)): return .move(mix(a, b))
            case let (.line(a), .line(b)): return .line(mix(a, b))
            case let (.cubic(a1, a2, a3), .cubic(b1, b2, b3)): return .cubic(mix(a1, b1), mix(a2, b2), mix(a3, b3))
            default: return .close
            }
        })
    }
}

/// Why SVG path data could not be read, and where in the string (0-based character offset).
public struct PathSyntaxError: Error, Sendable, Hashable {
    public var message: String
    public var offset: Int
}

extension PathData {
    /// Parses SVG path data: M L H V C S Q T A Z in absolute and relative forms, implicit
    /// repetition, and packed numbers (`M10-5.5.5`).
    /// - Throws: `PathSyntaxError` naming the character where reading stopped.
    public init(svg text: String, maxCommands: Int = 1_000_000) throws(PathSyntaxError) {
        var scanner = PathScanner(Array(text.unicodeScalars))
        var commands: [Command] = []
        var current = Vec2.zero, start = Vec2.zero
        var lastCubicControl: Vec2?, lastQuadControl: Vec2?
        var command: Character?

        while true {
            scanner.skipSeparators()
            if scanner.atEnd { break }
            if let letter = scanner.peekCommand() {
                scanner.advance()
                command = letter
            } else if command == nil {
                throw PathSyntaxError(message: "path data must start with a command such as M", offset: scanner.offset)
            } else if command == "Z" || command == "z" {
                throw PathSyntaxError(message: "a number cannot follow Z", offset: scanner.offset)
            }
            guard let op = command else { break }
            guard commands.count < maxCommands else {
                throw PathSyntaxError(message: "path has more than \(maxCommands) commands", offset: scanner.offset)
            }
            let relative = op.isLowercase
            func point() throws(PathSyntaxError) -> Vec2 {
                let x = try scanner.number(), y = try scanner.number()
                return relative ? Vec2(current.x + x, current.y + y) : Vec2(x, y)
            }
            if commands.isEmpty && op != "M" && op != "m" {
                throw PathSyntaxError(message: "path data must start with M (move to)", offset: scanner.offset - 1)
            }
            var cubic: Vec2?, quad: Vec2?
            switch op {
            case "M", "m":
                current = try point()
                start = current
                commands.append(.move(current))
                // Further pairs after a move are implicit line-tos.
                command = relative ? "l" : "L"
            case "L", "l":
                current = try point()
                commands.append(.line(current))
            case "H", "h":
                let x = try scanner.number()
                current = Vec2(relative ? current.x + x : x, current.y)
                commands.append(.line(current))
            case "V", "v":
                let y = try scanner.number()
                current = Vec2(current.x, relative ? current.y + y : y)
                commands.append(.line(current))
            case "C", "c":
                let c1 = try point(), c2 = try point(), end = try point()
                commands.append(.cubic(c1, c2, end))
                (current, cubic) = (end, c2)
            case "S", "s":
                let c1 = lastCubicControl.map { current * 2 - $0 } ?? current
                let c2 = try point(), end = try point()
                commands.append(.cubic(c1, c2, end))
                (current, cubic) = (end, c2)
            case "Q", "q":
                let q = try point(), end = try point()
                commands.append(Self.quadratic(current, q, end))
                (current, quad) = (end, q)
            case "T", "t":
                let q = lastQuadControl.map { current * 2 - $0 } ?? current
                let end = try point()
                commands.append(Self.quadratic(current, q, end))
                (current, quad) = (end, q)
            case "A", "a":
                let rx = try scanner.number(), ry = try scanner.number(), rotation = try scanner.number()
                let large = try scanner.flag(), sweep = try scanner.flag()
                let end = try point()
                commands.append(contentsOf: Self.arc(from: current, to: end, rx: rx, ry: ry, rotation: rotation, large: large, sweep: sweep))
                current = end
            case "Z", "z":
                commands.append(.close)
                current = start
            default:
                throw PathSyntaxError(message: "unknown path command '\(op)'", offset: scanner.offset - 1)
            }
            lastCubicControl = cubic
            lastQuadControl = quad
        }
        guard !commands.isEmpty else { throw PathSyntaxError(message: "path data is empty", offset: 0) }
        self.commands = commands
    }

    static func quadratic(_ p0: Vec2, _ q: Vec2, _ p3: Vec2) -> Command {
        .cubic(p0 + (q - p0) * (2.0 / 3), p3 + (q - p3) * (2.0 / 3), p3)
    }

    /// SVG's endpoint arc as cubics, following the SVG implementation notes (F.6.5, F.6.6).
    static func arc(from p0: Vec2, to p1: Vec2, rx: Double, ry: Double, rotation: Double, large: Bool, sweep: Bool) -> [Command] {
        var rx = abs(rx), ry = abs(ry)
        if p0 == p1 { return [] }
        if rx == 0 || ry == 0 { return [.line(p1)] }
        let phi = rotation * .pi / 180, cosPhi = cos(phi), sinPhi = sin(phi)
        let dx = (p0.x - p1.x) / 2, dy = (p0.y - p1.y) / 2
        let x1 = cosPhi * dx + sinPhi * dy, y1 = -sinPhi * dx + cosPhi * dy
        let lambda = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry)
        if lambda > 1 { rx *= lambda.squareRoot(); ry *= lambda.squareRoot() }
        let numerator = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
        let denominator = rx * rx * y1 * y1 + ry * ry * x1 * x1
        var factor = (max(0, numerator / denominator)).squareRoot()
        if large == sweep { factor = -factor }
        let cx1 = factor * rx * y1 / ry, cy1 = -factor * ry * x1 / rx
        let center = Vec2(cosPhi * cx1 - sinPhi * cy1 + (p0.x + p1.x) / 2, sinPhi * cx1 + cosPhi * cy1 + (p0.y + p1.y) / 2)
        func angle(_ u: Vec2, _ v: Vec2) -> Double {
            let a = atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y)
            return a
        }
        let startVector = Vec2((x1 - cx1) / rx, (y1 - cy1) / ry)
        let endVector = Vec2((-x1 - cx1) / rx, (-y1 - cy1) / ry)
        let theta1 = angle(Vec2(1, 0), startVector)
        var delta = angle(startVector, endVector)
        if !sweep && delta > 0 { delta -= 2 * .pi }
        if sweep && delta < 0 { delta += 2 * .pi }
        // Radii or coordinates near Double's limits overflow the centre to infinity or NaN, and
        // the sweep with it: such an arc has no shape to follow, so it becomes the chord.
        guard delta.isFinite else { return [.line(p1)] }
        let segments = max(1, Int((abs(delta) / (.pi / 2)).rounded(.up)))
        let step = delta / Double(segments)
        let k = 4.0 / 3 * tan(step / 4)
        func onEllipse(_ theta: Double) -> (Vec2, Vec2) {
            let (c, s) = (cos(theta), sin(theta))
            let point = Vec2(center.x + rx * c * cosPhi - ry * s * sinPhi, center.y + rx * c * sinPhi + ry * s * cosPhi)
            let tangent = Vec2(-rx * s * cosPhi - ry * c * sinPhi, -rx * s * sinPhi + ry * c * cosPhi)
            return (point, tangent)
        }
        var result: [Command] = []
        var theta = theta1
        for i in 0..<segments {
            let (a, ta) = onEllipse(theta)
            let (b, tb) = onEllipse(theta + step)
            let end = i == segments - 1 ? p1 : b
            result.append(.cubic(a + ta * k, b - tb * k, end))
            theta += step
        }
        return result
    }
}

/// Reads numbers, flags and command letters from SVG path data.
private struct PathScanner {
    let chars: [Unicode.Scalar]
    var offset = 0

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    var atEnd: Bool { offset >= chars.count }

    mutating func advance() { offset += 1 }

    mutating func skipSeparators() {
        while offset < chars.count, chars[offset] == " " || chars[offset] == "," || chars[offset] == "\n"
                || chars[offset] == "\t" || chars[offset] == "\r" {
            offset += 1
        }
    }

    func peekCommand() -> Character? {
        guard offset < chars.count else { return nil }
        let c = Character(chars[offset])
        return "MmLlHhVvCcSsQqTtAaZz".contains(c) ? c : nil
    }

    mutating func flag() throws(PathSyntaxError) -> Bool {
        skipSeparators()
        guard offset < chars.count, chars[offset] == "0" || chars[offset] == "1" else {
            throw PathSyntaxError(message: "expected an arc flag (0 or 1)", offset: offset)
        }
        defer { offset += 1 }
        return chars[offset] == "1"
    }

    mutating func number() throws(PathSyntaxError) -> Double {
        skipSeparators()
        let begin = offset
        func digits() -> Bool {
            let s = offset
            while offset < chars.count, ("0"..."9").contains(chars[offset]) { offset += 1 }
            return offset > s
        }
        if offset < chars.count, chars[offset] == "+" || chars[offset] == "-" { offset += 1 }
        let whole = digits()
        var fraction = false
        if offset < chars.count, chars[offset] == "." {
            offset += 1
            fraction = digits()
        }
        guard whole || fraction else {
            offset = begin
            throw PathSyntaxError(message: "expected a number", offset: begin)
        }
        if offset < chars.count, chars[offset] == "e" || chars[offset] == "E" {
            let mark = offset
            offset += 1
            if offset < chars.count, chars[offset] == "+" || chars[offset] == "-" { offset += 1 }
            if !digits() { offset = mark }
        }
        let text = String(String.UnicodeScalarView(chars[begin..<offset]))
        guard let value = Double(text), value.isFinite else {
            throw PathSyntaxError(message: "'\(text)' is not a finite number", offset: begin)
        }
        return value
    }
}
