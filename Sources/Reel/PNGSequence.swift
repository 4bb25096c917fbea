import Foundation
import ReelCore
import ReelMedia

/// Frame numbers in PNG sequence names: `frames/####.png` or `frames/%04d.png`.
///
/// The number goes in the file name (the last `#` run, or a `%d` / `%0Nd`), never in a
/// folder: a sequence lives in one folder, which is what lets it be staged and committed as
/// one (`SequenceStaging`).
public enum PNGSequence {
    /// Most digits a frame number may be padded to: enough for a billion frames.
    public static let maxDigits = 9

    /// A parsed pattern: `folder/` + `head` + the number padded to `digits` + `tail`.
    struct Pattern: Sendable {
        var folder: String
        var head: String
        var digits: Int
        var tail: String

        func name(frame: Int) -> String { head + String(frame).leftPadded(min(digits, PNGSequence.maxDigits)) + tail }

        /// The frame a file name in the folder stands for; nil when it is not one of the sequence.
        func frame(ofName name: String) -> Int? {
            guard name.hasPrefix(head), name.hasSuffix(tail), name.count > head.count + tail.count else { return nil }
            let number = name.dropFirst(head.count).dropLast(tail.count)
            guard number.count <= 18, number.allSatisfy({ $0.isASCII && $0.isNumber }), number.count >= digits else { return nil }
            return Int(number)
        }
    }

    /// Why `pattern` is not a sequence name; nil when it is one.
    static func problem(_ pattern: String) -> String? {
        let (folder, name) = split(pattern)
        if hashes(in: name) == nil && printfSpec(in: name) == nil {
            if hashes(in: folder) != nil || printfSpec(in: folder) != nil {
                return "the frame number must be in the file name, not in a folder: write e.g. frames/f####.png"
            }
            return "put the frame number in the name, e.g. frames/####.png or frames/%04d.png; for one frame use `reel still`"
        }
        if let run = hashes(in: name), name[run].count > maxDigits {
            return "\(name[run].count) '#' pad frame numbers to \(name[run].count) digits; at most \(maxDigits)"
        }
        if hashes(in: name) == nil, let spec = printfSpec(in: name), spec.digits == nil || spec.digits! > maxDigits {
            return "the frame number's width in '\(spec.text.prefix(16))\(spec.text.count > 16 ? "…" : "")' is over \(maxDigits) digits"
        }
        return nil
    }

    static func hasFrameNumber(_ pattern: String) -> Bool { problem(pattern) == nil }

    /// `pattern` parsed; nil when `problem` has something to say.
    static func parse(_ pattern: String) -> Pattern? {
        guard problem(pattern) == nil else { return nil }
        let (folder, name) = split(pattern)
        if let run = hashes(in: name) {
            return Pattern(folder: String(folder), head: String(name[..<run.lowerBound]), digits: name[run].count, tail: String(name[run.upperBound...]))
        }
        guard let spec = printfSpec(in: name), let digits = spec.digits else { return nil }
        return Pattern(folder: String(folder), head: String(name[..<spec.range.lowerBound]), digits: digits, tail: String(name[spec.range.upperBound...]))
    }

    /// `frames/####.png` → `frames/0042.png` for frame 42; `%04d` works the same way.
    public static func path(_ pattern: String, frame: Int) -> String {
        guard let parsed = parse(pattern) else { return pattern }
        return parsed.folder + parsed.name(frame: frame)
    }

    /// The folder part (with its trailing slash, or empty) and the file name.
    private static func split(_ pattern: String) -> (Substring, Substring) {
        guard let slash = pattern.lastIndex(of: "/") else { return ("", pattern[...]) }
        return (pattern[...slash], pattern[pattern.index(after: slash)...])
    }

    /// The last run of `#`.
    private static func hashes(in text: Substring) -> Range<Substring.Index>? {
        guard let last = text.lastIndex(of: "#") else { return nil }
        var first = last
        while first > text.startIndex, text[text.index(before: first)] == "#" { first = text.index(before: first) }
        return first..<text.index(after: last)
    }

    /// The first `%d`, `%0Nd` or `%Nd`; `digits` is nil when N is not a small number.
    private static func printfSpec(in text: Substring) -> (range: Range<Substring.Index>, digits: Int?, text: Substring)? {
        guard let range = text.range(of: #"%0?[0-9]*d"#, options: .regularExpression) else { return nil }
        let spec = text[range].dropFirst().dropLast().drop { $0 == "0" }
        let digits = spec.isEmpty ? 0 : (spec.count <= 2 ? Int(spec) : nil)
        return (range, digits, text[range])
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
