import ReelMedia

/// A digest of any value that is the same in every process: walks the value with `Mirror`,
/// writing type names, labels and leaf descriptions, with dictionary and set entries sorted
/// (their order changes from process to process, because Swift seeds hashing per process).
/// Frame states are digested this way for chunk keys, so a chunk is rendered again exactly
/// when something it shows changed.
enum StableDigest {
    static func of(_ value: Any) -> String {
        var text = ""
        text.reserveCapacity(4096)
        write(value, into: &text)
        return SHA256Hasher.hex(text)
    }

    private static func write(_ value: Any, into text: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let child = mirror.children.first { write(child.value, into: &text) } else { text += "nil;" }
        case .dictionary, .set:
            var entries: [String] = []
            for child in mirror.children {
                var entry = ""
                write(child.value, into: &entry)
                entries.append(entry)
            }
            text += "{"
            for entry in entries.sorted() { text += entry }
            text += "}"
        case .collection, .tuple, .struct, .class, .enum:
            text += String(describing: mirror.subjectType)
            if mirror.displayStyle == .enum, mirror.children.isEmpty { text += "." + String(describing: value) }
            text += "("
            for child in mirror.children {
                if let label = child.label { text += label + ":" }
                write(child.value, into: &text)
            }
            text += ")"
        default:
            // Leaves: numbers, strings, booleans. Double's description round-trips exactly.
            text += String(describing: value) + ";"
        }
    }
}
