/// Explains libyaml's syntax errors in terms of the mistakes that cause them, with the place
/// to fix: libyaml reports where parsing broke, which is often a line after the mistake.
enum YAMLMistakes {
    /// A located explanation for `problem` at `line`:`column` (1-based) of `text`, or nil to
    /// keep libyaml's own words.
    static func explain(problem: String, line: Int, column: Int, text: String, file: String) -> Diagnostic? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func at(_ line: Int, _ column: Int) -> SceneLocation { SceneLocation(file: file, line: line, column: column) }
        guard line >= 1, line <= lines.count + 1 else { return nil }
        let here = line <= lines.count ? lines[line - 1] : ""

        // A tab where indentation or a token should be.
        if problem.contains("cannot start any token") || problem.contains("found a tab") {
            if let tab = here.firstIndex(of: "\t") {
                return Diagnostic(.syntax, "a tab character: YAML indents with spaces only; replace the tab with spaces",
                                  at: at(line, here.distance(from: here.startIndex, to: tab) + 1), path: "")
            }
        }

        // A '#' in a { } or [ ] list turned the rest of the line, closing bracket included,
        // into a comment; libyaml notices lines later.
        for index in stride(from: min(line, lines.count), through: max(1, line - 6), by: -1) {
            let candidate = lines[index - 1]
            guard candidate.contains("{") || candidate.contains("[") else { continue }
            if let hash = unquotedValueComment(in: candidate) {
                let word = candidate[hash...].prefix { !$0.isWhitespace && $0 != "," && $0 != "}" && $0 != "]" }
                return Diagnostic(.syntax, "'#' starts a comment in YAML, so '\(candidate[hash...].trimmingTrailingSpaces)' is not read and the { } or [ ] on this line is never closed; quote the value: \"\(word)\"",
                                  at: at(index, candidate.distance(from: candidate.startIndex, to: hash) + 1), path: "")
            }
        }

        // Indentation: a line indented more or less than its siblings.
        if problem.contains("did not find expected key") || problem.contains("mapping values are not allowed")
            || problem.contains("did not find expected '-' indicator") || problem.contains("could not find expected ':'") {
            let previous = (1..<line).reversed().map { lines[$0 - 1] }.first { !$0.trimmingSpaces.isEmpty && !$0.trimmingSpaces.hasPrefix("#") }
            let indent = here.prefix { $0 == " " }.count
            var hint = "check the indentation: keys of one mapping start in the same column, and a value's own keys are indented further than its key"
            if let previous {
                let above = previous.prefix { $0 == " " }.count + (previous.trimmingSpaces.hasPrefix("- ") ? 2 : 0)
                if indent != above { hint += " (this line starts in column \(indent + 1), the line above's keys in column \(above + 1))" }
            }
            return Diagnostic(.syntax, "not valid YAML: \(problem); \(hint)", at: at(line, max(column, indent + 1)), path: "")
        }
        return nil
    }

    /// Where a value begins with '#' (after `: `, `, `, `[` or `{`), which YAML reads as a comment.
    static func unquotedValueComment(in line: Substring) -> Substring.Index? {
        var quote: Character?
        var previous: Character = " ", beforePrevious: Character = " "
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#", previous == " ", [":", ",", "[", "{"].contains(beforePrevious) {
                return index
            }
            (beforePrevious, previous) = (previous, c)
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring { drop { $0 == " " }.trimmingTrailingSpaces }
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end]
    }
}
