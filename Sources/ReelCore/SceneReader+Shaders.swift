import Foundation

extension SceneReader {
    /// Reads `shaders:` (names to shader file paths), loads each file and adds the
    /// contributions it makes to the catalog, so the layers and passes after it can use them.
    func readShaders(_ node: SourceNode) -> [ShaderFile] {
        guard case let .mapping(entries, _) = node else {
            report(.typeMismatch, "expected a mapping of shader names to file paths, found \(node.foundDescription)", at: node, path: "shaders")
            return []
        }
        var files: [ShaderFile] = []
        for entry in entries {
            let path = "shaders." + entry.key
            guard let file = string(entry.value, path: path) else { continue }
            guard entry.key.range(of: "^[A-Za-z_][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
                report(.typeMismatch, "shader name '\(entry.key)' must start with a letter and hold only letters, digits, '-' and '_'",
                       at: entry.value, path: path)
                continue
            }
            guard let reader = shaderReader else {
                report(.unknownPlugin, "shader files need the shaders plugin, which this program did not load", at: entry.value, path: path)
                continue
            }
            guard let resolved = resolveShaderPath(file, node: entry.value, path: path) else { continue }
            var readPath = resolved
            if let sentFiles = self.files {
                guard let sent = sentFiles[resolved] else {
                    report(.fileNotSent, "shader file '\(file)' was not sent with the scene; files travel by hash, never by path",
                           at: entry.value, path: path)
                    continue
                }
                readPath = sent
            }
            let source: String
            do {
                let opened = try AssetFile(path: readPath, code: .fileUnreadable, role: "shader files")
                guard let data = try opened.contents(upTo: limits.maxFileBytes, code: .fileUnreadable) else {
                    report(.limitExceeded, "shader file '\(file)' is \(opened.size) bytes; the limit is \(limits.maxFileBytes)",
                           at: entry.value, path: path)
                    continue
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    report(.shaderFile, "shader file '\(file)' is not UTF-8 text", at: entry.value, path: path)
                    continue
                }
                source = text
            } catch {
                report(.assetMissing, "cannot read shader file '\(file)' (looked for \(resolved)); shader paths are relative to the scene file",
                       at: entry.value, path: path)
                continue
            }
            // ISF: a NAME.vs beside NAME.fs is its vertex shader (sent files: only if it was sent).
            var vertexSource: String?, vertexPath: String?
            if let companion = ShaderFile.vertexCompanion(of: resolved) {
                let readFrom = self.files.map { $0[companion] } ?? companion
                if let readFrom, AssetFile.kind(atPath: readFrom) != nil,
                   let data = try? AssetFile(path: readFrom, code: .fileUnreadable, role: "shader files").contents(upTo: limits.maxFileBytes, code: .fileUnreadable),
                   let text = String(data: data, encoding: .utf8) {
                    (vertexSource, vertexPath) = (text, companion)
                }
            }
            let shader = ShaderFile(name: entry.key, path: file, resolvedPath: resolved, source: source,
                                    vertexSource: vertexSource, vertexPath: vertexPath)
            do {
                let contents = try reader.read(shader)
                catalog.contributions += contents.descriptors
                files.append(shader)
                let folder = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
                for (name, imported) in contents.importedAssets {
                    let absolute = imported.hasPrefix("/") ? imported : URL(fileURLWithPath: folder).appendingPathComponent(imported).standardizedFileURL.path
                    _ = registerAsset(name: name, file: absolute, node: entry.value, path: path + " (IMPORTED \(name))")
                }
            } catch let error as ShaderFileError {
                refusedShaders.insert(entry.key)
                report(Diagnostic(error.code, error.message, at: SceneLocation(file: resolved, line: error.line, column: error.column),
                                              path: path, suggestion: error.suggestion))
            } catch {
                report(.shaderFile, "shader file '\(file)': \(error)", at: entry.value, path: path)
            }
        }
        return files
    }

    private func resolveShaderPath(_ file: String, node: SourceNode, path: String) -> String? {
        if file.hasPrefix("/") { return file }
        guard let baseDirectory else {
            report(.assetMissing, "shader file '\(file)' is relative, but this scene has no folder to resolve it against; give an absolute path",
                   at: node, path: path)
            return nil
        }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(file).standardizedFileURL.path
    }
}
