import ReelCore
import ReelGL

/// What a shader file says about itself, in one model for ISF and Shadertoy files: its
/// inputs (which become parameters), its passes and the GLSL ES 3.00 each pass runs.
struct ShaderSpec: Sendable {
    enum Dialect: Sendable { case isf, shadertoy }

    var file: ShaderFile
    var dialect: Dialect
    /// A filter reads the picture it is applied to (ISF `inputImage`; Shadertoy channels
    /// set to `source`), so it is a pass; a generator is a layer.
    var isFilter: Bool
    var description: String
    var inputs: [ShaderInput]
    var passes: [ShaderPassSpec]
    /// ISF `IMPORTED` images: sampler name → path relative to the shader file.
    var imported: [(name: String, path: String)]
    /// Frames of history a persistent buffer keeps (ISF `REEL_WARMUP`, Shadertoy
    /// `// reel: warmup N`); nil means from the scene's first frame.
    var warmUpFrames: Int?
    /// The translated fragment shader; identical for every pass (ISF selects the pass by
    /// `PASSINDEX`).
    var fragment: String

    /// Whether frame n depends on frames before it.
    func isStateful(_ parameters: [String: ResolvedValue]) -> Bool {
        if passes.contains(where: \.persistent) { return true }
        return dialect == .shadertoy && (0..<4).contains { parameters["iChannel\($0)"] == .string("self") }
    }

    /// The history a frame needs: nil for a stateless shader.
    func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp? {
        guard isStateful(parameters) else { return nil }
        return warmUpFrames.map(WarmUp.frames) ?? .fromStart
    }

    /// The contribution it makes: `shaders.<name>`, a pass for a filter, else a layer kind.
    var descriptor: ContributionDescriptor {
        let kind = dialect == .isf ? (isFilter ? "ISF filter" : "ISF generator") : (isFilter ? "Shadertoy pass" : "Shadertoy layer")
        return ContributionDescriptor(plugin: shaderFilesPlugin, name: file.name, kind: isFilter ? .pass : .layer,
                                      summary: description.isEmpty ? "\(kind) \(file.path)" : "\(kind): \(description)",
                                      parameters: inputs.compactMap(\.parameter))
    }
}

/// One input of a shader file.
struct ShaderInput: Sendable {
    enum Kind: String, Sendable {
        case event, bool, long, float, point2D, color, image
    }

    var name: String
    var kind: Kind
    var parameter: ParameterSpec?
    /// The 1-based line of its declaration in the file, for messages.
    var line: Int
}

/// One rendering pass of a shader file.
struct ShaderPassSpec: Sendable {
    /// The buffer it writes (nil: only the output).
    var target: String?
    var persistent: Bool
    var float: Bool
    /// Size expressions (`$WIDTH / 2`); nil means the output size.
    var width: String?
    var height: String?
}
