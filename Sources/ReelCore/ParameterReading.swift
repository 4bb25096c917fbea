/// Typed reads of a plugin use's parameters, shared by everything a plugin is handed
/// (animation contexts, pass inputs).
///
/// The decoder fills in every declared parameter, so the fallbacks only matter for uses
/// built in code without it.
public protocol ParameterReading {
    /// Every declared parameter at this frame.
    var parameters: [String: ResolvedValue] { get }
}

extension ParameterReading {
    /// A number parameter (an integer parameter is a number too).
    public func number(_ name: String, _ fallback: Double = 0) -> Double {
        if case let .number(value)? = parameters[name] { return value }
        return fallback
    }

    /// A vec2 parameter; a single number stands for both components.
    public func vec2(_ name: String, _ fallback: Vec2 = .zero) -> Vec2 {
        if case let .vec2(value)? = parameters[name] { return value }
        if case let .number(value)? = parameters[name] { return Vec2(value, value) }
        return fallback
    }

    public func bool(_ name: String, _ fallback: Bool = false) -> Bool {
        if case let .bool(value)? = parameters[name] { return value }
        return fallback
    }

    public func string(_ name: String, _ fallback: String = "") -> String {
        if case let .string(value)? = parameters[name] { return value }
        return fallback
    }

    public func color(_ name: String, _ fallback: Color = .black) -> Color {
        if case let .color(value)? = parameters[name] { return value }
        return fallback
    }
}
