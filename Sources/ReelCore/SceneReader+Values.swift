/// Scalars and small values — numbers, text, colours, times, vectors, words — and mappings
/// with their allowed and required keys. Each reader reports what it finds wrong and returns nil.
extension SceneReader {
    /// A mapping's entries by key, after reporting unknown and missing keys.
    struct Fields {
        var entries: [SourceNode.Entry]
        subscript(key: String) -> SourceNode? { entries.first { $0.key == key }?.value }
    }

    func fields(_ node: SourceNode, path: String, allowed: [String], required: [String], reportUnknown: Bool = true) -> Fields? {
        guard case let .mapping(entries, _) = node else {
            report(.typeMismatch, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        if reportUnknown {
            for entry in entries where !allowed.contains(entry.key) { reportUnknownKey(entry, path: path, allowed: allowed) }
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            report(.missingKey, "missing required key '\(key)'", at: node, path: path)
        }
        return Fields(entries: entries)
    }

    func reportUnknownKey(_ entry: SourceNode.Entry, path: String, allowed: [String]) {
        let key = SourceNode.scalar(entry.key, plain: true, entry.keyLocation)
        if entry.key == "<<" {
            report(.unknownKey, "unknown key '<<': YAML merge keys ('<<: *name') are not supported, since Reel reads YAML 1.2, which has none. Anchor the whole value instead (fill: &brand \"#e94560\" … fill: *brand) or write the keys out",
                   at: key, path: path)
        } else {
            report(.unknownKey, "unknown key '\(entry.key)'", at: key, path: path, suggestion: nearestName(to: entry.key, in: allowed))
        }
    }

    func double(_ node: SourceNode, path: String, in range: ClosedRange<Double>? = nil, exclusiveLower: Bool = false) -> Double? {
        guard case let .scalar(text, true, _) = node, let value = Double(text) else {
            report(.typeMismatch, "expected a number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        guard value.isFinite else {
            report(.outOfRange, "expected a finite number, found \(text)", at: node, path: path)
            return nil
        }
        if let range, !range.contains(value) || (exclusiveLower && value == range.lowerBound) {
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : " and at most \(range.upperBound.clean)"
            let lower = range.lowerBound == -.greatestFiniteMagnitude ? "" : exclusiveLower ? "more than \(range.lowerBound.clean)" : "at least \(range.lowerBound.clean)"
            report(.outOfRange, "expected a number \(lower)\(upper), found \(text)", at: node, path: path)
            return nil
        }
        return value
    }

    func int(_ node: SourceNode, path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard case let .scalar(text, true, _) = node, let value = Int(text) else {
            report(.typeMismatch, "expected a whole number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        if let range, !range.contains(value) {
            report(.outOfRange, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(value)", at: node, path: path)
            return nil
        }
        return value
    }

    func string(_ node: SourceNode, path: String) -> String? {
        guard case let .scalar(text, _, _) = node, !node.isNull else {
            report(.typeMismatch, "expected text, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return text
    }

    func bool(_ node: SourceNode, path: String) -> Bool? {
        guard case let .scalar(text, true, _) = node, text == "true" || text == "false" else {
            report(.typeMismatch, "expected true or false, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return text == "true"
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ node: SourceNode, path: String, _: E.Type) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard case let .scalar(text, _, _) = node, let value = E(rawValue: text) else {
            var suggestion: String?
            if case let .scalar(text, _, _) = node { suggestion = nearestName(to: text, in: names) }
            report(.outOfRange, "expected one of \(names.joined(separator: ", ")), found \(node.foundDescription)", at: node, path: path, suggestion: suggestion)
            return nil
        }
        return value
    }

    /// `[x, y]`; with `allowScalar`, a single number `s` means `[s, s]`.
    func vec2(_ node: SourceNode, path: String, allowScalar: Bool, in range: ClosedRange<Double>? = nil) -> Vec2? {
        if allowScalar, case .scalar = node {
            return double(node, path: path, in: range).map { Vec2($0, $0) }
        }
        guard case let .sequence(items, _) = node, items.count == 2 else {
            report(.typeMismatch, "expected [x, y]\(allowScalar ? " or a number" : ""), found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let x = double(items[0], path: path + "[0]", in: range), y = double(items[1], path: path + "[1]", in: range)
        guard let x, let y else { return nil }
        return Vec2(x, y)
    }

    func color(_ node: SourceNode, path: String) -> Color? {
        guard case let .scalar(text, _, _) = node, let color = Color(parsing: text) else {
            if node.isNull, let comment = commentAfter(node) {
                report(.typeMismatch, "the value is empty because '#' starts a comment in YAML, so \(comment) is not read; quote the colour: \"\(comment)\"",
                       at: node, path: path)
                return nil
            }
            var suggestion: String?
            if case let .scalar(text, _, _) = node {
                let name = text.lowercased().prefix { $0.isLetter }
                if ["rgb", "rgba", "hsl", "hsla"].contains(name), text.contains("(") {
                    report(.typeMismatch, "\(text) is not a colour: rgb() takes three channels 0–255 or 0%–100%, hsl() a hue in degrees and two percentages, each with an optional alpha after '/' (0–1 or a percentage), e.g. rgb(233 69 96 / 50%)",
                           at: node, path: path)
                    return nil
                }
                suggestion = nearestName(to: text, in: Array(Color.named.keys).sorted())
            }
            report(.typeMismatch, "expected a colour: \"#e94560\", \"#e9456080\", rgb(233 69 96), rgb(233 69 96 / 50%), hsl(350 79% 59%) or one of the 148 CSS names such as white, tomato or rebeccapurple (`reel schema` lists them), found \(node.foundDescription)",
                   at: node, path: path, suggestion: suggestion)
            return nil
        }
        return color
    }

    /// For an empty value, the comment that follows it on its line (`#3355ff` in `fill: #3355ff`),
    /// when the line reads as a value written without quotes.
    func commentAfter(_ node: SourceNode) -> String? {
        let location = node.location
        guard let lines = sourceLines, location.line >= 1, location.line <= lines.count else { return nil }
        let line = lines[location.line - 1]
        // The comment starts at the first '#' after the key's colon, preceded by a space.
        guard let colon = line.firstIndex(of: ":"),
              let hash = line[colon...].range(of: " #")?.upperBound else { return nil }
        let word = line[line.index(before: hash)...].prefix { !$0.isWhitespace && $0 != "," && $0 != "}" && $0 != "]" }
        return word.count > 1 ? String(word) : nil
    }

    /// Seconds from `2s`, `500ms`, `90f` or a bare number.
    func time(_ node: SourceNode, path: String) -> Double? {
        guard case let .scalar(text, _, _) = node, let t = SceneTime(parsing: text) else {
            report(.typeMismatch, "expected a time like 2s, 500ms, 90f or 1.5, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let seconds = t.seconds(fps: fps)
        guard seconds <= limits.maxDurationSeconds else {
            report(.limitExceeded, "\(text) is beyond the \(Int(limits.maxDurationSeconds)) s limit", at: node, path: path)
            return nil
        }
        return seconds
    }

    func exactInt(_ v: Double) -> Int? {
        v == v.rounded() && abs(v) < 1e9 ? Int(v) : nil
    }

    /// For optional keys: `.some(nil)` when absent, nil when present but invalid (already
    /// reported), `.some(value)` otherwise.
    func optional<T>(_ node: SourceNode?, _ read: (SourceNode) -> T?) -> T?? {
        guard let node else { return .some(nil) }
        return read(node).map { .some($0) }
    }
}

extension SourceNode {
    /// The scalar's text, or nil for mappings and lists.
    var text: String? {
        if case let .scalar(text, _, _) = self { return text }
        return nil
    }

    var isQuoted: Bool {
        if case let .scalar(_, plain, _) = self { return !plain }
        return false
    }
}

extension Double {
    /// `1` rather than `1.0` in messages (and `29.97` as is).
    public var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
