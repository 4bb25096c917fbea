import Foundation

/// `assets` and asset references: names declared once, or file paths registered under
/// themselves, resolved against the scene file's folder.
extension SceneReader {
    func readAssets(_ node: SourceNode) {
        guard case let .mapping(entries, _) = node else {
            report(.typeMismatch, "expected a mapping of asset names to file paths, found \(node.foundDescription)", at: node, path: "assets")
            return
        }
        for entry in entries {
            let path = "assets." + entry.key
            guard let file = string(entry.value, path: path) else { continue }
            _ = registerAsset(name: entry.key, file: file, node: entry.value, path: path)
        }
    }

    func registerAsset(name: String, file: String, node: SourceNode, path: String) -> Asset? {
        guard !file.isEmpty else {
            report(.outOfRange, "an asset path cannot be empty", at: node, path: path)
            return nil
        }
        var resolved: String?
        if let baseDirectory {
            resolved = file.hasPrefix("/") ? file : URL(fileURLWithPath: baseDirectory).appendingPathComponent(file).standardizedFileURL.path
        }
        if let files {
            guard let resolved, let sent = files[resolved] else {
                report(.fileNotSent, "asset file '\(file)' was not sent with the scene; files travel by hash, never by path", at: node, path: path)
                return nil
            }
            let asset = Asset(name: name, path: file, resolvedPath: sent)
            assets.append(asset)
            return asset
        }
        if checkAssets, let resolved {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) || isDirectory.boolValue {
                report(.assetMissing, "asset file '\(file)' does not exist (looked for \(resolved)); asset paths are relative to the scene file", at: node, path: path)
            }
        }
        let asset = Asset(name: name, path: file, resolvedPath: resolved)
        assets.append(asset)
        return asset
    }

    /// An asset reference: a name from `assets`, or a file path (registered under itself).
    func assetReference(_ node: SourceNode, path: String) -> String? {
        guard let reference = string(node, path: path) else { return nil }
        if assets.contains(where: { $0.name == reference }) { return reference }
        if reference.contains("/") || reference.contains(".") {
            return registerAsset(name: reference, file: reference, node: node, path: path)?.name
        }
        report(.unknownAsset, "no asset named '\(reference)'; declare it under assets or give a file path", at: node, path: path,
               suggestion: nearestName(to: reference, in: assets.map(\.name)))
        return nil
    }
}
