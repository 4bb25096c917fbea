import Foundation

/// A formula: the small arithmetic language of per-copy values (`i * 15`, `1 - i / n`,
/// `sin(i + t) * 20`), parsed by recursive descent into a tree and evaluated without
/// Foundation's `NSExpression`, so a scene file can never run anything but arithmetic.
///
/// Grammar (usual precedence; `^` binds tightest and to the right, `-2^2` is -4):
///
///     sum     = product (("+" | "-") product)*
///     product = unary (("*" | "/" | "%") unary)*
///     unary   = ("-" | "+") unary | power
///     power   = atom ("^" unary)?
///     atom    = number | name | name "(" sum ("," sum)* ")" | "(" sum ")"
///
/// Names are the variables given to `init` and `pi`; functions are listed in `Function`.
/// `%` is the floored remainder (`-1 % 3` is 2). Results may be infinite or NaN (`1 / 0`):
/// callers decide what that means.
struct Formula: Sendable {
    /// Why text is not an expression, and where (0-based offset in Unicode scalars).
    struct SyntaxError: Error, Sendable, Equatable {
        var message: String
        var offset: Int
    }

    indirect enum Node: Sendable, Equatable {
        case number(Double)
        /// An index into the values passed to `evaluate`.
        case variable(Int)
        case negate(Node)
        case binary(Character, Node, Node)
        case call(Function, [Node])
    }

    enum Function: String, Sendable, CaseIterable {
        case sin, cos, tan, abs, sqrt, floor, ceil, round, fract, sign, min, max, pow, clamp, mix, rand

        /// How many arguments it takes (`min` and `max` take two or more).
        var arity: ClosedRange<Int> {
            switch self {
            case .min, .max: return 2...16
            case .pow: return 2...2
            case .clamp, .mix: return 3...3
            default: return 1...1
            }
        }
    }

    let root: Node

    /// Longest expression and deepest nesting accepted: they bound the parser's recursion
    /// and the work per copy, whatever a scene file holds.
    static let maxLength = 1_000
    static let maxDepth = 64

    /// Parses `text`, whose names may be `variables` (looked up by index at evaluation).
    /// - Throws: `SyntaxError` at the first character that does not fit.
    init(_ text: String, variables: [String]) throws(SyntaxError) {
        var parser = Parser(scalars: Array(text.unicodeScalars), variables: variables)
        guard parser.scalars.count <= Self.maxLength else {
            throw SyntaxError(message: "expression is longer than \(Self.maxLength) characters", offset: Self.maxLength)
        }
        let root = try parser.sum(depth: 0)
        parser.skipSpaces()
        if parser.position < parser.scalars.count {
            throw SyntaxError(message: "unexpected '\(parser.scalars[parser.position])'", offset: parser.position)
        }
        self.root = root
    }

    /// The value with `values[k]` for the k-th variable; `random(x)` answers `rand(x)` with a
    /// number in 0…1 that depends only on x.
    func evaluate(_ values: [Double], random: (Double) -> Double) -> Double {
        Self.evaluate(root, values, random)
    }

    private static func evaluate(_ node: Node, _ values: [Double], _ random: (Double) -> Double) -> Double {
        switch node {
        case let .number(v): return v
        case let .variable(k): return k < values.count ? values[k] : 0
        case let .negate(a): return -evaluate(a, values, random)
        case let .binary(op, a, b):
            let x = evaluate(a, values, random), y = evaluate(b, values, random)
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            case "/": return x / y
            case "%": return x - y * (x / y).rounded(.down)
            default: return Foundation.pow(x, y)
            }
        case let .call(function, arguments):
            let a = arguments.map { evaluate($0, values, random) }
            switch function {
            case .sin: return Foundation.sin(a[0])
            case .cos: return Foundation.cos(a[0])
            case .tan: return Foundation.tan(a[0])
            case .abs: return Swift.abs(a[0])
            case .sqrt: return a[0].squareRoot()
            case .floor: return a[0].rounded(.down)
            case .ceil: return a[0].rounded(.up)
            case .round: return a[0].rounded()
            case .fract: return a[0] - a[0].rounded(.down)
            case .sign: return a[0] > 0 ? 1 : a[0] < 0 ? -1 : 0
            case .min: return a.min() ?? 0
            case .max: return a.max() ?? 0
            case .pow: return Foundation.pow(a[0], a[1])
            case .clamp: return Swift.min(Swift.max(a[0], a[1]), a[2])
            case .mix: return a[0] + (a[1] - a[0]) * a[2]
            case .rand: return random(a[0])
            }
        }
    }
}

// MARK: - Parser

private struct Parser {
    let scalars: [Unicode.Scalar]
    let variables: [String]
    var position = 0

    init(scalars: [Unicode.Scalar], variables: [String]) { (self.scalars, self.variables) = (scalars, variables) }

    typealias Node = Formula.Node
    typealias SyntaxError = Formula.SyntaxError

    mutating func skipSpaces() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    /// The next non-space character, without taking it.
    mutating func peek() -> Unicode.Scalar? {
        skipSpaces()
        return position < scalars.count ? scalars[position] : nil
    }

    mutating func take(_ c: Unicode.Scalar) -> Bool {
        guard peek() == c else { return false }
        position += 1
        return true
    }

    func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: position) }

    mutating func sum(depth: Int) throws(SyntaxError) -> Node {
        guard depth < Formula.maxDepth else { throw error("expression nests deeper than \(Formula.maxDepth) levels") }
        var node = try product(depth: depth)
        while let c = peek(), c == "+" || c == "-" {
            position += 1
            node = .binary(Character(c), node, try product(depth: depth))
        }
        return node
    }

    mutating func product(depth: Int) throws(SyntaxError) -> Node {
        var node = try unary(depth: depth)
        while let c = peek(), c == "*" || c == "/" || c == "%" {
            position += 1
            node = .binary(Character(c), node, try unary(depth: depth))
        }
        return node
    }

    mutating func unary(depth: Int) throws(SyntaxError) -> Node {
        guard depth < Formula.maxDepth else { throw error("expression nests deeper than \(Formula.maxDepth) levels") }
        if take("-") { return .negate(try unary(depth: depth + 1)) }
        if take("+") { return try unary(depth: depth + 1) }
        let base = try atom(depth: depth)
        if take("^") { return .binary("^", base, try unary(depth: depth + 1)) }
        return base
    }

    mutating func atom(depth: Int) throws(SyntaxError) -> Node {
        guard let c = peek() else { throw error("expected a number, a name or '(' but the expression ends") }
        if c == "(" {
            position += 1
            let inner = try sum(depth: depth + 1)
            guard take(")") else { throw error("expected ')'") }
            return inner
        }
        if c == "." || ("0"..."9").contains(c) { return .number(try number()) }
        if c.properties.isAlphabetic || c == "_" { return try name(depth: depth) }
        throw error("expected a number, a name or '(', found '\(c)'")
    }

    mutating func number() throws(SyntaxError) -> Double {
        let begin = position
        func digits() -> Bool {
            let start = position
            while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
            return position > start
        }
        let whole = digits()
        var fraction = false
        if position < scalars.count, scalars[position] == "." {
            position += 1
            fraction = digits()
        }
        guard whole || fraction else {
            position = begin
            throw error("expected a number")
        }
        if position < scalars.count, scalars[position] == "e" || scalars[position] == "E" {
            let mark = position
            position += 1
            if position < scalars.count, scalars[position] == "+" || scalars[position] == "-" { position += 1 }
            if !digits() { position = mark }
        }
        let text = String(String.UnicodeScalarView(scalars[begin..<position]))
        guard let value = Double(text), value.isFinite else {
            position = begin
            throw error("'\(text)' is not a finite number")
        }
        return value
    }

    mutating func name(depth: Int) throws(SyntaxError) -> Node {
        let begin = position
        while position < scalars.count, scalars[position].properties.isAlphabetic || scalars[position] == "_"
                || ("0"..."9").contains(scalars[position]) {
            position += 1
        }
        let word = String(String.UnicodeScalarView(scalars[begin..<position]))
        if take("(") {
            guard let function = Formula.Function(rawValue: word) else {
                position = begin
                throw error("unknown function '\(word)' (known: \(Formula.Function.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var arguments: [Node] = []
            if peek() != ")" {
                repeat { arguments.append(try sum(depth: depth + 1)) } while take(",")
            }
            guard take(")") else { throw error("expected ',' or ')' in the arguments of \(word)") }
            guard function.arity.contains(arguments.count) else {
                position = begin
                let wanted = function.arity.count == 1 ? "\(function.arity.lowerBound)" : "at least \(function.arity.lowerBound)"
                throw error("\(word) takes \(wanted) argument\(function.arity.lowerBound == 1 && function.arity.count == 1 ? "" : "s"), found \(arguments.count)")
            }
            return .call(function, arguments)
        }
        if let index = variables.firstIndex(of: word) { return .variable(index) }
        if word == "pi" { return .number(Double.pi) }
        position = begin
        throw error("unknown name '\(word)' (known: \((variables + ["pi"]).joined(separator: ", ")))")
    }
}
