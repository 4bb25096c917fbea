import Foundation

/// Gives meaning to a `SourceNode` tree, collecting every problem as a `Diagnostic`.
///
/// Each method returns nil after recording a diagnostic, so the caller carries on and the
/// user sees all problems at once. Paths in messages follow the scene's structure:
/// `layers[2].stroke.width`.
final class SceneReader {
    private(set) var diagnostics: [Diagnostic] = []
    let limits: SceneLimits
    /// Grows by the scene's shader files once `shaders:` is read.
    var catalog: PluginCatalog
    /// Shader names whose file was refused (and reported, at the file's line): a layer or
    /// pass that uses one is not reported a second time as an unknown shader.
    var refusedShaders: Set<String> = []
    let shaderReader: (any ShaderFileReader)?
    /// The scene file's folder, for resolving asset paths; nil for scenes from memory.
    let baseDirectory: String?
    let checkAssets: Bool
    /// Needed to read frame-valued times (`90f`) in the layers.
    var fps: Double = 30
    var assets: [Asset] = []
    var layerIDs: [String: String] = [:]
    /// Where each layer was written, by id.
    var layerLocations: [String: SceneLocation] = [:]
    var canvasSizeLocation: SceneLocation?
    /// Characters of text read so far, every text layer and keyframe together.
    var sceneTextCharacters = 0
    /// Bytes `{{name}}` substitution has produced so far; bounded so that a long parameter
    /// named many times cannot multiply the file.
    var substitutedBytes = 0
    var substitutionStopped = false

    /// See `SceneDecoder.files`.
    let files: [String: String]?
    /// The scene's text by line, for hints that need what the parser dropped (a comment).
    var sourceLines: [Substring]?

    init(limits: SceneLimits, catalog: PluginCatalog, shaderReader: (any ShaderFileReader)?, baseDirectory: String?, checkAssets: Bool,
         files: [String: String]? = nil) {
        self.files = files
        self.limits = limits
        self.catalog = catalog
        self.shaderReader = shaderReader
        self.baseDirectory = baseDirectory
        self.checkAssets = checkAssets
    }

    func report(_ code: ReelError.Code, _ message: String, at node: SourceNode?, path: String, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: node?.location, path: path, suggestion: suggestion))
    }

    /// Records a problem located somewhere other than the scene file (a shader file).
    func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    // MARK: - The scene

    func scene(_ root: SourceNode, overrides: [String: String]) -> Scene? {
        typealias Keys = Scene.Keys
        guard let top = fields(root, path: "", keys: Keys.all) else { return nil }
        // Any whole number reads, so that a newer file is told it is newer (not out of range).
        if let version = top[Keys.reel.key], let v = int(version, path: Keys.reel.key), v != Keys.reel.defaultValue {
            report(.unsupportedVersion, "scene format \(v) is not supported; this Reel reads format 1", at: version, path: Keys.reel.key)
        }
        let parameters = self.parameters(top[Keys.params.key], overrides: overrides)

        // Substitute {{name}} everywhere but in `params` itself, then read the rest.
        let values = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var f = top
        for index in f.entries.indices where f.entries[index].key != Keys.params.key {
            f.entries[index].value = substitute(f.entries[index].value, values: values, path: f.entries[index].key)
        }

        // A bad seed is reported and the scene read on, as if it were the default.
        let seed = value(Keys.seed, in: f, at: "") ?? Keys.seed.defaultValue
        let canvas = requiredValue(Keys.canvas, in: f, at: "")
        if let assetNode = f[Keys.assets.key] { readAssets(assetNode) }
        let shaders = f[Keys.shaders.key].map { self.readShaders($0) } ?? []
        let layers = f[Keys.layers.key].map { self.layers($0, path: Keys.layers.key) } ?? []
        let passes = f[Keys.passes.key].map { self.pluginUses($0, kind: .pass, path: Keys.passes.key) } ?? []
        let camera = value(Keys.camera, in: f, at: "")
        guard let canvas, let camera else { return nil }
        var scene = Scene(format: 1, canvas: canvas, seed: seed, parameters: parameters, assets: assets, layers: layers,
                          passes: passes, camera: camera)
        scene.shaders = shaders
        scene.layerLocations = layerLocations
        scene.canvasLocation = canvasSizeLocation
        return scene
    }

    /// `seed`: a whole number of at least 0, up to 2⁶⁴ - 1.
    func seed(_ node: SourceNode, path: String) -> UInt64? {
        guard case let .scalar(text, true, _) = node, let seed = UInt64(text) else {
            report(.typeMismatch, "expected a whole number of at least 0, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return seed
    }
}
