import Foundation

/// How a keyframe segment moves from its start value to its end value: a map from
/// normalised time 0…1 to progress (which may overshoot for `back` and `elastic`).
///
/// Names follow the usual motion-design vocabulary: `linear`, `hold`, and `in…`, `out…`,
/// `inOut…` for the sine, quad, cubic, quart, quint, expo, circ, back, elastic and bounce
/// families (`inOutSine`, `outCubic`, …).
public enum Easing: Sendable, Hashable {
    case linear
    /// Keeps the start value until the segment ends, then jumps.
    case hold
    case curve(Family, Mode)

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

    /// Parses a name such as `inOutSine`; nil when unknown.
    public init?(name: String) {
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
        }
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
