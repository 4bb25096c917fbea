import Foundation

/// ISF pass sizes: arithmetic over `$WIDTH`, `$HEIGHT` and number inputs (`$blurAmount`),
/// with + − × ÷, parentheses and floor, ceil, round, min, max, pow, sqrt, abs.
/// Recursive descent over a small grammar; anything else is an error, never a crash.
struct SizeExpression {
    enum Failure: Error, Equatable { case invalid(String) }

    private let scalars: [Character]
    private var index = 0
    private let variables: [String: Double]

    /// Evaluates `text` with `variables` (names without `$`).
    static func evaluate(_ text: String, variables: [String: Double]) throws -> Double {
        var parser = SizeExpression(scalars: Array(text), variables: variables)
        let value = try parser.sum()
        parser.skipSpace()
        guard parser.index == parser.scalars.count else {
            throw Failure.invalid("unexpected '\(parser.scalars[parser.index])' in \"\(text)\"")
        }
        guard value.isFinite else { throw Failure.invalid("\"\(text)\" is not a finite number") }
        return value
    }

    private init(scalars: [Character], variables: [String: Double]) {
        self.scalars = scalars
        self.variables = variables
    }

    private mutating func skipSpace() {
        while index < scalars.count, scalars[index] == " " { index += 1 }
    }

    private mutating func take(_ c: Character) -> Bool {
        skipSpace()
        guard index < scalars.count, scalars[index] == c else { return false }
        index += 1
        return true
    }

    private mutating func sum() throws -> Double {
        var value = try product()
        while true {
            if take("+") { value += try product() } else if take("-") { value -= try product() } else { return value }
        }
    }

    private mutating func product() throws -> Double {
        var value = try unary()
        while true {
            if take("*") { value *= try unary() } else if take("/") { value /= try unary() } else { return value }
        }
    }

    private mutating func unary() throws -> Double {
        if take("-") { return -(try unary()) }
        if take("+") { return try unary() }
        return try atom()
    }

    private mutating func atom() throws -> Double {
        skipSpace()
        guard index < scalars.count else { throw Failure.invalid("the expression ends too early") }
        if take("(") {
            let value = try sum()
            guard take(")") else { throw Failure.invalid("a ')' is missing") }
            return value
        }
        let start = index
        if scalars[index] == "$" { index += 1 }
        while index < scalars.count, scalars[index].isLetter || scalars[index].isNumber || scalars[index] == "_" || scalars[index] == "." {
            index += 1
        }
        let word = String(scalars[start..<index])
        if let number = Double(word) { return number }
        if word.hasPrefix("$") {
            guard let value = variables[String(word.dropFirst())] else { throw Failure.invalid("unknown variable \(word)") }
            return value
        }
        guard take("(") else { throw Failure.invalid("unexpected '\(word.isEmpty ? String(scalars[index]) : word)'") }
        var arguments = [try sum()]
        while take(",") { arguments.append(try sum()) }
        guard take(")") else { throw Failure.invalid("a ')' is missing after \(word)(") }
        switch (word, arguments.count) {
        case ("floor", 1): return arguments[0].rounded(.down)
        case ("ceil", 1): return arguments[0].rounded(.up)
        case ("round", 1): return arguments[0].rounded()
        case ("abs", 1): return abs(arguments[0])
        case ("sqrt", 1): return arguments[0].squareRoot()
        case ("min", 2): return min(arguments[0], arguments[1])
        case ("max", 2): return max(arguments[0], arguments[1])
        case ("pow", 2): return pow(arguments[0], arguments[1])
        default: throw Failure.invalid("unknown function \(word) with \(arguments.count) argument(s)")
        }
    }
}
