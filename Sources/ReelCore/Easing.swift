import Foundation

/// How a keyframe segment moves from its start value to its end value: a map from
/// normalised time 0…1 to progress (which may overshoot for `back` and `elastic`).
///
/// Names follow the usual motion-design vocabulary: `linear`, `hold`, and `in…`, `out…`,
/// `inOut…` for the sine, quad, cubic, quart, quint, expo, circ, back, elastic and bounce
/// families (`inOutSine`, `outCubic`, …), plus three parametric forms:
/// `cubicBezier(x1, y1, x2, y2)` (CSS semantics), `steps(n)` (CSS `steps(n, end)`) and
/// `spring(mass, stiffness, damping)` (a damped spring released from rest, its settling time
/// stretched over the segment).
public enum Easing: Sendable, Hashable {
    case linear
    /// Keeps the start value until the segment ends, then jumps.
    case hold
    case curve(Family, Mode)
    /// CSS `cubic-bezier(x1, y1, x2, y2)`; x1 and x2 must lie in 0…1.
    case cubicBezier(Double, Double, Double, Double)
    /// CSS `steps(n, jump-end)`: n equal jumps, the last at the segment's end.
    case steps(Int)
    /// A spring from rest at 0 towards 1.
    case spring(mass: Double, stiffness: Double, damping: Double)

    public enum Family: String, Sendable, CaseIterable {
        case sine, quad, cubic, quart, quint, expo, circ, back, elastic, bounce
    }

    public enum Mode: String, Sendable, CaseIterable {
        case `in`, out, inOut
    }

    /// Every name a scene file may use, for validation messages and suggestions.
    public static let allNames: [String] = ["linear", "hold"] + Mode.allCases.flatMap { mode in
        Family.allCases.map { mode.rawValue + $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() }
    }

    /// The parametric forms, for messages.
    public static let parametricForms = ["cubicBezier(x1, y1, x2, y2)", "steps(n)", "spring(mass, stiffness, damping)"]

    /// Parses a name such as `inOutSine` or a form such as `cubicBezier(0.25, 0.1, 0.25, 1)`;
    /// nil when unknown or when a form's arguments are out of range.
    public init?(name: String) {
        if let open = name.firstIndex(of: "("), name.hasSuffix(")") {
            let function = name[..<open].trimmingCharacters(in: .whitespaces)
            let body = name[name.index(after: open)..<name.index(before: name.endIndex)]
            let args = body.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            let v = args.compactMap { $0 }.filter(\.isFinite)
            guard v.count == args.count else { return nil }
            switch (function, v.count) {
            case ("cubicBezier", 4) where (0...1).contains(v[0]) && (0...1).contains(v[2]):
                self = .cubicBezier(v[0], v[1], v[2], v[3])
            case ("steps", 1) where v[0] >= 1 && v[0] == v[0].rounded() && v[0] <= 10_000:
                self = .steps(Int(v[0]))
            case ("spring", 3) where v[0] > 0 && v[1] > 0 && v[2] >= 0 && v[0] <= 1e6 && v[1] <= 1e6 && v[2] <= 1e6:
                self = .spring(mass: v[0], stiffness: v[1], damping: v[2])
            default:
                return nil
            }
            return
        }
        switch name {
        case "linear": self = .linear
        case "hold": self = .hold
        default:
            for mode in [Mode.inOut, .in, .out] where name.hasPrefix(mode.rawValue) {
                let rest = name.dropFirst(mode.rawValue.count)
                if let family = Family(rawValue: rest.lowercased()), rest.first?.isUppercase == true {
                    self = .curve(family, mode)
                    return
                }
            }
            return nil
        }
    }

    /// Progress at normalised time `t` (clamped to 0…1).
    public func callAsFunction(_ t: Double) -> Double {
        let t = min(max(t, 0), 1)
        switch self {
        case .linear: return t
        case .hold: return t < 1 ? 0 : 1
        case let .curve(family, mode):
            switch mode {
            case .in: return family.easeIn(t)
            case .out: return 1 - family.easeIn(1 - t)
            case .inOut: return t < 0.5 ? family.easeIn(2 * t) / 2 : 1 - family.easeIn(2 - 2 * t) / 2
            }
        case let .cubicBezier(x1, y1, x2, y2):
            return CubicBezierCurve(x1: x1, y1: y1, x2: x2, y2: y2).y(atX: t)
        case let .steps(n):
            return t >= 1 ? 1 : (t * Double(n)).rounded(.down) / Double(n)
        case let .spring(mass, stiffness, damping):
            if t >= 1 { return 1 }
            let spring = Spring(mass: mass, stiffness: stiffness, damping: damping)
            return spring.position(at: t * spring.settlingTime)
        }
    }
}

/// A CSS cubic Bézier timing curve from (0, 0) to (1, 1).
struct CubicBezierCurve {
    let x1, y1, x2, y2: Double

    private func sample(_ a: Double, _ b: Double, _ s: Double) -> Double {
        // Bernstein form with P0 = 0, P3 = 1.
        let u = 1 - s
        return 3 * u * u * s * a + 3 * u * s * s * b + s * s * s
    }

    private func slopeX(_ s: Double) -> Double {
        let u = 1 - s
        return 3 * u * u * x1 + 6 * u * s * (x2 - x1) + 3 * s * s * (1 - x2)
    }

    /// y where the curve's x equals `x`: Newton's method, falling back to bisection where the
    /// slope is flat (x(s) is monotonic because x1 and x2 lie in 0…1).
    func y(atX x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        var s = x
        for _ in 0..<8 {
            let error = sample(x1, x2, s) - x
            if abs(error) < 1e-12 { return sample(y1, y2, s) }
            let d = slopeX(s)
            if abs(d) < 1e-9 { break }
            s -= error / d
        }
        var low = 0.0, high = 1.0
        s = x
        for _ in 0..<64 {
            let value = sample(x1, x2, s)
            if abs(value - x) < 1e-12 { break }
            if value < x { low = s } else { high = s }
            s = (low + high) / 2
        }
        return sample(y1, y2, s)
    }
}

/// A damped harmonic oscillator released from rest at 0, pulled towards 1.
struct Spring {
    let mass, stiffness, damping: Double

    /// Position at physical time `t` seconds (closed form for each damping regime).
    func position(at t: Double) -> Double {
        let w0 = (stiffness / mass).squareRoot()
        let zeta = damping / (2 * (stiffness * mass).squareRoot())
        if zeta < 1 {
            let wd = w0 * (1 - zeta * zeta).squareRoot()
            return 1 - exp(-zeta * w0 * t) * (cos(wd * t) + zeta * w0 / wd * sin(wd * t))
        } else if zeta == 1 {
            return 1 - exp(-w0 * t) * (1 + w0 * t)
        } else {
            let r = (zeta * zeta - 1).squareRoot()
            let a = -w0 * (zeta - r), b = -w0 * (zeta + r)
            return 1 - (b * exp(a * t) - a * exp(b * t)) / (b - a)
        }
    }

    /// When the spring stays within 0.1 % of rest: the envelope of the decay, found in
    /// closed form, capped so a barely damped spring still ends.
    var settlingTime: Double {
        let w0 = (stiffness / mass).squareRoot()
        let zeta = damping / (2 * (stiffness * mass).squareRoot())
        let decay: Double
        if zeta < 1 {
            decay = zeta * w0
        } else {
            decay = w0 * (zeta - (zeta * zeta - 1).squareRoot())
        }
        guard decay > 0 else { return 60 }
        return min(log(1000 * (1 + w0 / max(decay, 1e-9))) / decay, 3600)
    }
}

extension Easing.Family {
    /// The `in` curve; `out` and `inOut` are derived from it by reflection.
    func easeIn(_ t: Double) -> Double {
        switch self {
        case .sine: return 1 - cos(t * .pi / 2)
        case .quad: return t * t
        case .cubic: return t * t * t
        case .quart: return t * t * t * t
        case .quint: return t * t * t * t * t
        case .expo: return t == 0 ? 0 : pow(2, 10 * t - 10)
        case .circ: return 1 - (1 - t * t).squareRoot()
        case .back:
            let c1 = 1.70158, c3 = c1 + 1
            return c3 * t * t * t - c1 * t * t
        case .elastic:
            if t == 0 || t == 1 { return t }
            return -pow(2, 10 * t - 10) * sin((t * 10 - 10.75) * (2 * .pi / 3))
        case .bounce:
            return 1 - Self.bounceOut(1 - t)
        }
    }

    private static func bounceOut(_ t: Double) -> Double {
        let n1 = 7.5625, d1 = 2.75
        if t < 1 / d1 { return n1 * t * t }
        if t < 2 / d1 { let u = t - 1.5 / d1; return n1 * u * u + 0.75 }
        if t < 2.5 / d1 { let u = t - 2.25 / d1; return n1 * u * u + 0.9375 }
        let u = t - 2.625 / d1
        return n1 * u * u + 0.984375
    }
}
