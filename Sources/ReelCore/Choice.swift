/// A string parameter that takes one of a few words (`order: reverse`), checked at decode
/// time so a typo is a located scene error, not a silent default.
public protocol Choice: RawRepresentable, CaseIterable where RawValue == String {}

extension Choice {
    /// The word in `parameters[name]`; nil when it is none of the choices.
    public static func read(_ name: String, from parameters: [String: ParameterValue]) -> Self? {
        guard case let .string(word)? = parameters[name] else { return nil }
        return Self(rawValue: word)
    }

    /// The choice named by a resolved parameter, or `fallback` (a use built in code).
    public static func read(_ name: String, in context: some ParameterReading, fallback: Self) -> Self {
        Self(rawValue: context.string(name)) ?? fallback
    }

    /// The problem with `parameters[name]`, if it names none of the choices.
    public static func problems(_ name: String, in parameters: [String: ParameterValue]) -> [ParameterProblem] {
        guard case let .string(word)? = parameters[name], Self(rawValue: word) == nil else { return [] }
        let words = allCases.map(\.rawValue)
        return [ParameterProblem(parameter: name, message: "expected one of \(words.joined(separator: ", ")), found \"\(word)\"")]
    }

    /// The choices for a parameter's doc: `forward, reverse or random`.
    public static var list: String {
        let words = allCases.map(\.rawValue)
        return words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
    }
}
