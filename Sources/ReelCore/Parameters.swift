import Foundation

/// The type of a scene parameter or of a plugin parameter.
public enum ParameterType: String, Sendable, CaseIterable, Codable {
    case number, integer, bool, string, color, vec2, time
}

/// A parameter declared in a scene's `params`, with the value in force.
///
/// `{{name}}` anywhere in a scalar of the scene is replaced by the value's text before the
/// scene is read, so a parameter can stand for a number, a colour, a time or part of a text.
public struct ParameterDeclaration: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    /// The default as written in the scene.
    public var defaultValue: String
    /// The value in force: the default, or the `--set` override.
    public var value: String
    /// One line saying what the parameter does, shown by `reel info`.
    public var doc: String?
    /// Bounds for numbers.
    public var minimum: Double?
    public var maximum: Double?

    /// A parameter declared in code, as `name: { type, default, doc, min, max }` declares it
    /// in a file. Unset means default (`ParameterDeclaration.Keys`): no doc, no bounds; the
    /// value in force is the default unless `value` gives another (an override, unchecked here:
    /// `problem(with:)` says whether it fits).
    public init(name: String, type: ParameterType, defaultValue: String, value: String? = nil, doc: String? = nil,
                minimum: Double? = nil, maximum: Double? = nil) {
        (self.name, self.type, self.defaultValue, self.value) = (name, type, defaultValue, value ?? defaultValue)
        (self.doc, self.minimum, self.maximum) = (doc, minimum, maximum)
    }

    /// Checks `text` against the type and bounds; returns the reason it fails, or nil.
    public func problem(with text: String) -> String? {
        switch type {
        case .number, .integer:
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else { return "expected a number, found \"\(text)\"" }
            if type == .integer, v != v.rounded() { return "expected a whole number, found \(text)" }
            if let minimum, v < minimum { return "\(text) is below the minimum \(minimum.clean)" }
            if let maximum, v > maximum { return "\(text) is above the maximum \(maximum.clean)" }
        case .bool:
            guard text == "true" || text == "false" else { return "expected true or false, found \"\(text)\"" }
        case .color:
            guard Color(parsing: text) != nil else { return "expected a colour like #e94560, found \"\(text)\"" }
        case .time:
            guard SceneTime(parsing: text) != nil else { return "expected a time like 2s, 500ms or 90f, found \"\(text)\"" }
        case .vec2:
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, parts.allSatisfy({ $0?.isFinite == true }) else { return "expected two numbers like 10,20, found \"\(text)\"" }
        case .string:
            break
        }
        return nil
    }
}
