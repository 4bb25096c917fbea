import Yams

/// A position in a scene file, 1-based, for messages.
public struct SceneLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        (self.file, self.line, self.column) = (file, line, column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A parsed scene file before it is given meaning: scalars, mappings and sequences, each
/// with the place it came from. YAML and JSON both arrive here (JSON is read by the same
/// parser), so the decoder and its messages are identical for the two.
indirect enum SourceNode {
    struct Entry {
        var key: String
        var keyLocation: SceneLocation
        var value: SourceNode
    }

    /// `plain` is false for quoted scalars: `"12"` is a string, `12` is a number.
    case scalar(String, plain: Bool, SceneLocation)
    case mapping([Entry], SceneLocation)
    case sequence([SourceNode], SceneLocation)

    var location: SceneLocation {
        switch self {
        case let .scalar(_, _, l), let .mapping(_, l), let .sequence(_, l): return l
        }
    }

    /// True for `null`, `~` and an empty plain value.
    var isNull: Bool {
        if case let .scalar(text, true, _) = self { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    /// How a message names what was found: `"abc"`, `12`, `a mapping`, `a list of 3 items`.
    var foundDescription: String {
        switch self {
        case let .scalar(text, plain, _):
            if isNull { return "nothing (null)" }
            return plain && Double(text) != nil ? text : "\"\(text)\""
        case .mapping: return "a mapping"
        case let .sequence(items, _): return items.count == 1 ? "a list of 1 item" : "a list of \(items.count) items"
        }
    }
}

extension SourceNode {
    /// Converts Yams' tree, refusing nesting deeper than `maxDepth` (a hostile file could
    /// otherwise exhaust the stack of whatever walks the tree).
    init(_ node: Node, file: String, depth: Int = 0, maxDepth: Int) throws(SceneError) {
        let location = SceneLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        guard depth <= maxDepth else {
            throw SceneError(Diagnostic(.limitExceeded, "nesting is deeper than \(maxDepth) levels", at: location, path: ""))
        }
        switch node {
        case let .scalar(scalar):
            self = .scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any, location)
        case let .mapping(mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                let keyLocation = SceneLocation(file: file, line: key.mark?.line ?? 0, column: key.mark?.column ?? 0)
                guard case let .scalar(keyScalar) = key else {
                    throw SceneError(Diagnostic(.typeMismatch, "a mapping key must be a plain name", at: keyLocation, path: ""))
                }
                entries.append(Entry(key: keyScalar.string, keyLocation: keyLocation,
                                     value: try SourceNode(value, file: file, depth: depth + 1, maxDepth: maxDepth)))
            }
            self = .mapping(entries, location)
        case let .sequence(sequence):
            var items: [SourceNode] = []
            for item in sequence {
                items.append(try SourceNode(item, file: file, depth: depth + 1, maxDepth: maxDepth))
            }
            self = .sequence(items, location)
        case let .alias(alias):
            throw SceneError(Diagnostic(.syntax, "unresolved YAML alias '*\(alias.anchor)'", at: location, path: ""))
        }
    }
}
