import Foundation
import Yams

/// Reads scene files (YAML or JSON, one schema) into `Scene` values.
///
/// Strict by design: unknown keys are errors (a typo must never pass silently), every error
/// names the file, line, column and path, and as many problems as can be found are reported
/// together so a user fixes a file in one round.
public struct SceneDecoder: Sendable {
    public var limits: SceneLimits
    /// The plugin contributions scenes may name. The default is the core alone.
    public var catalog: PluginCatalog
    /// Parameter overrides (`--set name=value`), checked against the declared types.
    public var overrides: [String: String]
    /// Reads the shader files under `shaders:`; without one such scenes are refused.
    public var shaderReader: (any ShaderFileReader)?
    /// Whether `load` reports asset files that do not exist. The default is true; workers
    /// that receive assets by hash turn it off.
    public var checkAssets: Bool
    /// When set, the only files the scene may read: each key is a path as the scene resolves
    /// it (against `baseDirectory`), its value the file actually read. A worker decodes a
    /// scene received with its files by hash this way; any other path is refused
    /// (`E-SCENE-FILE-NOT-SENT`), so a scene cannot read the worker's own files.
    public var files: [String: String]?

    public init(limits: SceneLimits = SceneLimits(), catalog: PluginCatalog = .core, overrides: [String: String] = [:],
                checkAssets: Bool = true, shaderReader: (any ShaderFileReader)? = nil) {
        self.shaderReader = shaderReader
        self.limits = limits
        self.catalog = catalog
        self.overrides = overrides
        self.checkAssets = checkAssets
    }

    /// Loads the scene file at `path`.
    /// - Throws: `ReelError` (`E-IO-READ`) when the file cannot be read, `SceneError` when
    ///   its content is invalid.
    public func load(path: String) throws -> Scene {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReelError(.fileUnreadable, "cannot read scene '\(path)': no such file",
                            detail: "check the path; scene paths are relative to the current folder")
        }
        guard !isDirectory.boolValue else {
            throw ReelError(.fileUnreadable, "cannot read scene '\(path)': it is a folder, not a scene file")
        }
        // Opened as AssetFile: a FIFO or device is refused before a byte is read, and a file over
        // the limit is refused from its size, unread.
        let file = try AssetFile(path: url.path, code: .fileUnreadable, role: "scene files")
        guard let data = try file.contents(upTo: limits.maxFileBytes, code: .fileUnreadable) else {
            throw SceneError(Diagnostic(.limitExceeded,
                                        "the file is \(file.size) bytes; scene files are limited to \(limits.maxFileBytes)",
                                        at: SceneLocation(file: path, line: 1, column: 1), path: ""))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = Self.firstInvalidUTF8(in: data)
            throw SceneError(Diagnostic(.syntax, "the file is not UTF-8 text: the bytes here are not valid UTF-8; save it as UTF-8",
                                        at: SceneLocation(file: path, line: line, column: column), path: ""))
        }
        let folder = url.deletingLastPathComponent().path
        var scene = try decode(text, file: path, baseDirectory: folder)
        scene.sourcePath = path
        return scene
    }

    /// Decodes scene text; `file` names it in messages, and asset paths resolve against
    /// `baseDirectory` (when nil, asset paths stay as written and are not checked).
    /// - Throws: `SceneError` with every problem found.
    public func decode(_ text: String, file: String = "<scene>", baseDirectory: String? = nil) throws(SceneError) -> Scene {
        guard text.utf8.count <= limits.maxFileBytes else {
            throw SceneError(Diagnostic(.limitExceeded, "the scene is \(text.utf8.count) bytes; the limit is \(limits.maxFileBytes)",
                                        at: SceneLocation(file: file, line: 1, column: 1), path: ""))
        }
        let root: SourceNode
        if JSONSceneParser.looksLikeJSON(text) {
            var parser = JSONSceneParser(text, file: file, maxDepth: limits.maxDepth)
            root = try parser.parse()
        } else {
            root = try composeYAML(text, file: file)
        }
        let reader = SceneReader(limits: limits, catalog: catalog, shaderReader: shaderReader, baseDirectory: baseDirectory,
                                 checkAssets: checkAssets, files: files)
        reader.sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let scene = reader.scene(root, overrides: overrides)
        if !reader.diagnostics.isEmpty { throw SceneError(reader.diagnostics) }
        guard var scene else {
            throw SceneError(Diagnostic(.syntax, "the scene could not be read", at: root.location, path: ""))
        }
        AssetDeclarations.locate(&scene.assets, in: root)
        return scene
    }

    private func composeYAML(_ text: String, file: String) throws(SceneError) -> SourceNode {
        // Aliases are measured before anything expands them; text may expand to four times
        // the file limit (a few shared snippets are fine, a multiplying tree is not).
        try YAMLExpansion.check(text, file: file, limits: limits, maxExpandedBytes: limits.maxFileBytes * 4)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SceneError(Diagnostic(.missingKey, "the file is empty; a scene starts with 'reel: 1'",
                                            at: SceneLocation(file: file, line: 1, column: 1), path: ""))
            }
            return try SourceNode(node, file: file, maxDepth: limits.maxDepth)
        } catch let error as SceneError {
            throw error
        } catch {
            throw SceneError(Self.syntaxDiagnostic(error, file: file, text: text))
        }
    }

    /// Line and column (1-based, in characters) of the first byte that breaks UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                if Unicode.UTF8.decode(encoded) == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }

    static func syntaxDiagnostic(_ error: any Error, file: String, text: String = "") -> Diagnostic {
        if let yaml = error as? YamlError {
            switch yaml {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                if let explained = YAMLMistakes.explain(problem: problem, line: mark.line, column: mark.column, text: text, file: file) {
                    return explained
                }
                return Diagnostic(.syntax, "not valid YAML or JSON: \(problem)",
                                  at: SceneLocation(file: file, line: mark.line, column: mark.column), path: "")
            case let .duplicatedKeysInMapping(duplicates, context):
                let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                return Diagnostic(.duplicateKey, "key \(names) appears more than once in one mapping; keep one",
                                  at: SceneLocation(file: file, line: context.mark.line, column: context.mark.column), path: "")
            default:
                break
            }
        }
        return Diagnostic(.syntax, "not valid YAML or JSON: \(error)", at: SceneLocation(file: file, line: 1, column: 1), path: "")
    }
}
