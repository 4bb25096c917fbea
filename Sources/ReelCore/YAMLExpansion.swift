// libyaml itself, as Yams builds it. Yams offers no event-level API, and the check below must
// run before Yams composes the document: composing hashes mapping keys to find duplicates,
// and a key that aliases a large subtree makes that hash walk the whole expansion.
internal import CYaml

/// Measures what a YAML document expands to once its aliases are replaced by what they name,
/// without expanding it: a kilobyte of nested anchors ("billion laughs") can stand for
/// billions of nodes, and every later walk of the tree pays for each of them.
///
/// One pass over libyaml's events: each anchor remembers the size of its subtree (nodes,
/// scalar bytes, depth), and an alias adds that size where it appears. The pass stops at the
/// first limit crossed, so its own cost is bounded by the file's length.
enum YAMLExpansion {
    /// What a subtree expands to.
    private struct Size {
        var nodes = 0
        var bytes = 0
        /// Levels below the subtree's root (0 for a scalar).
        var depth = 0
    }

    private struct Open {
        var size = Size(nodes: 1)
        var anchor: String?
    }

    /// Throws when `text` expands past `limits.maxNodes` nodes, `maxExpandedBytes` bytes of
    /// scalars, or `limits.maxDepth` levels; returns quietly for anything it cannot parse
    /// (the composer that runs next reports syntax errors with its own words).
    /// - Throws: `E-SCENE-LIMIT` at the alias (or node) that crossed the limit.
    static func check(_ text: String, file: String, limits: SceneLimits, maxExpandedBytes: Int) throws(SceneError) {
        // An alias needs an anchor, and an anchor is written with '&': most files have none.
        guard text.utf8.contains(UInt8(ascii: "&")) else { return }
        var utf8 = Array(text.utf8)
        var failure: Diagnostic?
        utf8.withUnsafeMutableBufferPointer { buffer in
            failure = scan(buffer, file: file, limits: limits, maxExpandedBytes: maxExpandedBytes)
        }
        if let failure { throw SceneError(failure) }
    }

    private static func scan(_ buffer: UnsafeMutableBufferPointer<UInt8>, file: String, limits: SceneLimits,
                             maxExpandedBytes: Int) -> Diagnostic? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var anchors: [String: Size] = [:]
        var stack: [Open] = []
        var total = Size()
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let mark = event.start_mark
            func location() -> SceneLocation {
                SceneLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            }
            var added: Size?
            var anchorName: String?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
            case YAML_SCALAR_EVENT:
                added = Size(nodes: 1, bytes: Int(event.data.scalar.length), depth: 0)
                anchorName = string(event.data.scalar.anchor)
            case YAML_ALIAS_EVENT:
                // An undefined alias is the composer's error to report.
                guard let name = string(event.data.alias.anchor), let size = anchors[name] else { return nil }
                added = size
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                stack.append(Open(anchor: string(anchor)))
                total.nodes += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = stack.popLast() else { return nil }
                if let name = closed.anchor { anchors[name] = closed.size }
                if var parent = stack.popLast() {
                    parent.size.nodes += closed.size.nodes
                    parent.size.bytes += closed.size.bytes
                    parent.size.depth = max(parent.size.depth, closed.size.depth + 1)
                    stack.append(parent)
                }
            default:
                break
            }
            guard let added else { continue }
            if let anchorName { anchors[anchorName] = added }
            if var parent = stack.popLast() {
                parent.size.nodes += added.nodes
                parent.size.bytes += added.bytes
                parent.size.depth = max(parent.size.depth, added.depth + 1)
                stack.append(parent)
            }
            // Every node counts once where it appears; an alias counts as all it stands for.
            total.nodes += added.nodes
            total.bytes += added.bytes
            if total.nodes > limits.maxNodes {
                return Diagnostic(.limitExceeded, "the document expands to more than \(limits.maxNodes) values once its aliases (*name) are replaced",
                                  at: location(), path: "")
            }
            if total.bytes > maxExpandedBytes {
                return Diagnostic(.limitExceeded, "the document expands to more than \(maxExpandedBytes) bytes of text once its aliases (*name) are replaced",
                                  at: location(), path: "")
            }
            if stack.count + added.depth > limits.maxDepth {
                return Diagnostic(.limitExceeded, "nesting is deeper than \(limits.maxDepth) levels once the alias is replaced",
                                  at: location(), path: "")
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
