/// Finds where a decoded scene's assets are declared, so that problems found later in the
/// files themselves (a picture over the pixel limit, a FIFO, a playlist) are reported at a
/// line and column like any other scene error.
///
/// Done over the parsed tree after reading rather than inside the reader, which records only
/// names and paths: an asset declared under `assets` is found at its entry; one named by path
/// where it is used (`image: photo.jpg`) at the first value that names it.
enum AssetDeclarations {
    static func locate(_ assets: inout [Asset], in root: SourceNode) {
        guard !assets.isEmpty else { return }
        var declared: [String: (SceneLocation, String)] = [:]
        if case let .mapping(entries, _) = root, let list = entries.first(where: { $0.key == "assets" }),
           case let .mapping(named, _) = list.value {
            for entry in named where declared[entry.key] == nil {
                declared[entry.key] = (entry.value.location, "assets." + entry.key)
            }
        }
        let wanted = Set(assets.map(\.name)).subtracting(declared.keys)
        if !wanted.isEmpty { firstUses(of: wanted, in: root, path: "", depth: 0, into: &declared) }
        for i in assets.indices {
            guard let (location, path) = declared[assets[i].name] else { continue }
            assets[i].location = location
            assets[i].declaration = path
        }
    }

    /// Records the first scalar (depth first, in file order) equal to each wanted name.
    private static func firstUses(of wanted: Set<String>, in node: SourceNode, path: String, depth: Int,
                                  into found: inout [String: (SceneLocation, String)]) {
        // The reader has already refused trees deeper than its limit; this bound only keeps
        // the walk finite for trees built otherwise.
        guard depth < 256 else { return }
        switch node {
        case let .scalar(text, _, location):
            if wanted.contains(text), found[text] == nil { found[text] = (location, path) }
        case let .mapping(entries, _):
            for entry in entries where entry.key != "assets" || depth > 0 {
                firstUses(of: wanted, in: entry.value, path: path.isEmpty ? entry.key : path + "." + entry.key, depth: depth + 1, into: &found)
            }
        case let .sequence(items, _):
            for (i, item) in items.enumerated() {
                firstUses(of: wanted, in: item, path: path + "[\(i)]", depth: depth + 1, into: &found)
            }
        }
    }
}
