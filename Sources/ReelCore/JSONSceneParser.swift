/// Reads JSON scene files straight into `SourceNode`s with line and column, much faster and
/// leaner than going through the YAML parser, which matters for scenes programs generate
/// (a keyframe per frame for every layer runs to megabytes).
struct JSONSceneParser {
    private let bytes: [UInt8]
    private let file: String
    private let maxDepth: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Characters counted so far on the current line, up to `countedTo`: columns are found
    /// incrementally, since generated scenes often sit on one very long line.
    private var countedTo = 0
    private var counted = 0

    init(_ text: String, file: String, maxDepth: Int) {
        bytes = Array(text.utf8)
        self.file = file
        self.maxDepth = maxDepth
    }

    /// True when the text is JSON rather than YAML: its first significant character opens an
    /// object.
    static func looksLikeJSON(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == "\u{FEFF}" { continue }
            return scalar == "{"
        }
        return false
    }

    mutating func parse() throws(SceneError) -> SourceNode {
        skipSpace()
        let root = try value(depth: 0)
        skipSpace()
        if index < bytes.count { throw error("unexpected text after the end of the JSON document") }
        return root
    }

    // MARK: - Grammar

    private var location: SceneLocation {
        mutating get {
            // Columns count characters (UTF-8 lead bytes), not bytes, as the YAML path does.
            if countedTo < lineStart || countedTo > index {
                countedTo = lineStart
                counted = 0
            }
            let end = min(index, bytes.count)
            while countedTo < end {
                if bytes[countedTo] & 0xC0 != 0x80 { counted += 1 }
                countedTo += 1
            }
            return SceneLocation(file: file, line: line, column: counted + 1)
        }
    }

    private mutating func error(_ message: String) -> SceneError {
        SceneError(Diagnostic(.syntax, "not valid JSON: \(message)", at: location, path: ""))
    }

    private mutating func value(depth: Int) throws(SceneError) -> SourceNode {
        guard depth <= maxDepth else {
            throw SceneError(Diagnostic(.limitExceeded, "nesting is deeper than \(maxDepth) levels", at: location, path: ""))
        }
        guard index < bytes.count else { throw error("the document ends where a value belongs") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var entries: [SourceNode.Entry] = []
            var seen = Set<String>()
            skipSpace()
            if peek(UInt8(ascii: "}")) { index += 1; return .mapping(entries, start) }
            while true {
                skipSpace()
                let keyLocation = location
                guard peek(UInt8(ascii: "\"")) else { throw error("expected a key in double quotes") }
                let key = try string()
                if !seen.insert(key).inserted {
                    throw SceneError(Diagnostic(.duplicateKey, "key '\(key)' appears more than once in one mapping; keep one", at: keyLocation, path: ""))
                }
                skipSpace()
                guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after the key \"\(key)\"") }
                index += 1
                skipSpace()
                entries.append(SourceNode.Entry(key: key, keyLocation: keyLocation, value: try value(depth: depth + 1)))
                skipSpace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "}")) { index += 1; return .mapping(entries, start) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [SourceNode] = []
            skipSpace()
            if peek(UInt8(ascii: "]")) { index += 1; return .sequence(items, start) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "]")) { index += 1; return .sequence(items, start) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .scalar(try string(), plain: false, start)
        default:
            // Numbers, true, false, null: plain scalars, given meaning by the scene reader.
            let begin = index
            while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[begin..<index], as: UTF8.self)
            guard text == "true" || text == "false" || text == "null" || Self.isNumber(text) else {
                index = begin
                throw error(text.isEmpty ? "unexpected character" : "'\(text)' is not a JSON value")
            }
            return .scalar(text, plain: true, start)
        }
    }

    private mutating func string() throws(SceneError) -> String {
        let opening = index
        index += 1  // the opening quote
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\n") { throw error("a string cannot run onto the next line") }
            if c == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { throw error("bad \\u escape") }
                    var scalarValue = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit), peek(UInt8(ascii: "\\")), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { throw error("bad surrogate pair") }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw error("bad \\u escape") }
                    out.append(contentsOf: Array(String(scalar).utf8))
                default: throw error("unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
                continue
            }
            out.append(c)
            index += 1
        }
        index = opening
        throw error("a string is not closed")
    }

    private mutating func hex4() -> UInt16? {
        guard index + 4 <= bytes.count, let v = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
        index += 4
        return v
    }

    private func peek(_ c: UInt8) -> Bool { index < bytes.count && bytes[index] == c }

    private mutating func skipSpace() {
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\n") {
                line += 1
                index += 1
                lineStart = index
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                index += 1
            } else if index == 0 && c == 0xEF && bytes.count >= 3 && bytes[1] == 0xBB && bytes[2] == 0xBF {
                index += 3  // a byte-order mark
                lineStart = index
            } else {
                return
            }
        }
    }

    private static func isDelimiter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: " ")
            || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: ":")
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isNumber(_ s: String) -> Bool {
        var chars = Array(s.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = chars.first, c >= 48 && c <= 57 { chars = chars.dropFirst(); n += 1 }
            return n
        }
        if chars.first == UInt8(ascii: "-") { chars = chars.dropFirst() }
        if chars.first == UInt8(ascii: "0") { chars = chars.dropFirst() } else if digits() == 0 { return false }
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            if digits() == 0 { return false }
        }
        if chars.first == UInt8(ascii: "e") || chars.first == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if chars.first == UInt8(ascii: "+") || chars.first == UInt8(ascii: "-") { chars = chars.dropFirst() }
            if digits() == 0 { return false }
        }
        return chars.isEmpty
    }
}
