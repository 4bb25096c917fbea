/// A parameter that takes one of a few words (`order: reverse`): an enum of `String` raw
/// values, declared with `Param.choice`. The decoder refuses any other word at its line and
/// column, and the schema lists the words, so a typo is a located scene error, not a silent
/// default.
public protocol Choice: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension Choice {
    /// The choices for a parameter's doc: `forward, reverse or random`.
    public static var list: String {
        let words = allCases.map(\.rawValue)
        return words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
    }
}
