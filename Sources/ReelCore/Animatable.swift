/// A value that can be mixed between two keyframes.
public protocol Interpolatable: Sendable {
    /// The value a fraction `t` of the way from `from` to `to` (`t` may leave 0…1 when an
    /// easing overshoots).
    static func interpolate(_ from: Self, _ to: Self, _ t: Double) -> Self
}

extension Double: Interpolatable {
    public static func interpolate(_ from: Double, _ to: Double, _ t: Double) -> Double {
        from + (to - from) * t
    }
}

extension Vec2: Interpolatable {
    public static func interpolate(_ from: Vec2, _ to: Vec2, _ t: Double) -> Vec2 {
        Vec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t)
    }
}

/// One keyframe: at `time` seconds the property is `value`; `easing` shapes the segment
/// that arrives here from the previous keyframe.
public struct Keyframe<Value: Interpolatable>: Sendable {
    public var time: Double
    public var value: Value
    public var easing: Easing

    public init(time: Double, value: Value, easing: Easing = .linear) {
        (self.time, self.value, self.easing) = (time, value, easing)
    }
}

/// A property that is either constant or animated by keyframes sorted by time.
///
/// Evaluation is a pure function of time: before the first keyframe the property holds the
/// first value, after the last it holds the last.
public enum Animatable<Value: Interpolatable>: Sendable {
    case constant(Value)
    case keyframes([Keyframe<Value>])

    public func value(at time: Double) -> Value {
        switch self {
        case let .constant(value):
            return value
        case let .keyframes(keys):
            // Decoding guarantees at least one key, in ascending time order.
            guard let first = keys.first, let last = keys.last else {
                preconditionFailure("an animated property has no keyframes")
            }
            if time <= first.time { return first.value }
            if time >= last.time { return last.value }
            // Binary search for the segment [keys[i-1], keys[i]] containing `time`.
            var low = 1, high = keys.count - 1
            while low < high {
                let mid = (low + high) / 2
                if keys[mid].time < time { low = mid + 1 } else { high = mid }
            }
            let from = keys[low - 1], to = keys[low]
            let span = to.time - from.time
            let t = span > 0 ? (time - from.time) / span : 1
            return Value.interpolate(from.value, to.value, to.easing(t))
        }
    }

    /// The same animation with every value transformed, e.g. a circle's radius as an
    /// ellipse's radii.
    public func map<Other>(_ transform: (Value) -> Other) -> Animatable<Other> {
        switch self {
        case let .constant(value):
            return .constant(transform(value))
        case let .keyframes(keys):
            return .keyframes(keys.map { Keyframe(time: $0.time, value: transform($0.value), easing: $0.easing) })
        }
    }

    /// True when the property changes over time.
    public var isAnimated: Bool {
        if case .keyframes = self { return true }
        return false
    }
}

extension String: Interpolatable {
    /// Text does not blend: it switches when the next keyframe is reached.
    public static func interpolate(_ from: String, _ to: String, _ t: Double) -> String {
        t < 1 ? from : to
    }
}
