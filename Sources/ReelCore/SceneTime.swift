import Foundation

/// A time as scene files and the command line write it: `2s`, `500ms`, `90f` (frames),
/// or a bare number of seconds.
public enum SceneTime: Sendable, Hashable, CustomStringConvertible {
    case seconds(Double)
    case frames(Int)

    /// Parses `2s`, `1.5s`, `500ms`, `90f` or `2.5`; nil for anything else (including
    /// negative times and non-finite numbers).
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        func number(_ body: Substring) -> Double? {
            guard let v = Double(body), v.isFinite, v >= 0 else { return nil }
            return v
        }
        if s.hasSuffix("ms"), let v = number(s.dropLast(2)) {
            self = .seconds(v / 1000)
        } else if s.hasSuffix("s"), let v = number(s.dropLast()) {
            self = .seconds(v)
        } else if s.hasSuffix("f"), let v = Int(s.dropLast()), v >= 0 {
            self = .frames(v)
        } else if let v = number(Substring(s)) {
            self = .seconds(v)
        } else {
            return nil
        }
    }

    /// Seconds at the given frame rate.
    public func seconds(fps: Double) -> Double {
        switch self {
        case let .seconds(s): return s
        case let .frames(f): return Double(f) / fps
        }
    }

    /// The frame shown at this time: the nearest frame start, so `1s` at 30 fps is frame 30
    /// even when the decimal input is a hair below it.
    public func frame(fps: Double) -> Int {
        switch self {
        case let .seconds(s): return Int((s * fps).rounded())
        case let .frames(f): return f
        }
    }

    public var description: String {
        switch self {
        case let .seconds(s): return "\(formatSeconds(s))s"
        case let .frames(f): return "\(f)f"
        }
    }
}

/// `2`, `1.5`, `0.333`: at most three decimals, no trailing zeros.
func formatSeconds(_ s: Double) -> String {
    let millis = (s * 1000).rounded()
    if millis.truncatingRemainder(dividingBy: 1000) == 0 { return String(Int(millis / 1000)) }
    var text = String(format: "%.3f", millis / 1000)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}
