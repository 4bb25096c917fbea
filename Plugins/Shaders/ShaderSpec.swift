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
    /// The file's GLSL (an ISF file's header blanked, so line numbers stay the file's);
    /// identical for every pass (ISF selects the pass by `PASSINDEX`).
    var code: String
    /// An ISF file's vertex shader (`NAME.vs`), as written; nil without one.
    var vertexCode: String?
    /// Sampler names besides the inputs: ISF pass targets and imported images.
    var samplers: [String] = []
    /// What was accepted but changed, for the user to fix in the file (a DEFAULT outside its
    /// own MIN…MAX, clamped): each names the file, the line and the input.
    var warnings: [String] = []
    /// A Shadertoy file's channel settings (filter, wrap, vflip), one per channel.
    var channelSettings: [ChannelSettings] = []
    /// A Shadertoy-style file with its own `main()` writing `gl_FragColor`, not `mainImage`.
    var ownMain = false

    /// The program's sources: desktop GLSL (`#version 430 compatibility`, what other hosts
    /// compile these files as) on a desktop GL context, else GLSL ES 3.00. A nil vertex
    /// shader means PassGL's own.
    func sources(desktop: Bool) -> (vertex: String?, fragment: String) {
        let (vertex, fragment): (String?, String)
        switch dialect {
        case .isf: (vertex, fragment) = ISF.translate(self, desktop: desktop)
        case .shadertoy: (vertex, fragment) = (nil, Shadertoy.translate(code, desktop: desktop, ownMain: ownMain))
        }
        // A program's stages share one GLSL version: PassGL's vertex shader is GLSL ES.
        return (vertex ?? (desktop ? Self.desktopVertex : nil), fragment)
    }

    /// PassGL's covering triangle in desktop GLSL, for shader files without their own.
    static let desktopVertex = """
        #version 430 compatibility
        void main() {
            vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
            gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
        }
        """

    /// Vertices drawn per pass: ISF's quad (two triangles) where the file has its own vertex
    /// shader, so its geometry is the spec's; else PassGL's one covering triangle.
    var vertexCount: Int { vertexCode == nil ? 3 : 6 }

    /// Every sampler an ISF pass may read, for the per-image uniforms (`_NAME_imgSize`…).
    var imageNames: [String] {
        inputs.filter { $0.kind == .image }.map(\.name) + samplers.filter { name in !inputs.contains { $0.name == name } }
    }

    /// Whether frame n depends on frames before it.
    func isStateful(_ parameters: [String: ResolvedValue]) -> Bool {
        if passes.contains(where: \.persistent) { return true }
        return channels.contains { $0.value(in: parameters) == Shadertoy.selfChannel }
    }

    /// A Shadertoy file's `iChannel0…3` declarations; empty for ISF.
    var channels: [Param<String>] {
        inputs.compactMap { input in
            guard dialect == .shadertoy, case let .text(param)? = input.parameter else { return nil }
            return param
        }
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
                                      parameters: inputs.compactMap(\.parameter?.spec) + channelSettings.flatMap(\.params).map(\.spec))
    }

    /// Its name, summary and parameters, for the contribution the plugin registers.
    var declaration: ContributionDeclaration {
        let descriptor = self.descriptor
        return ContributionDeclaration(descriptor.name, summary: descriptor.summary,
                                       parameters: inputs.compactMap(\.parameter?.param) + channelSettings.flatMap(\.params))
    }
}

/// One input of a shader file.
struct ShaderInput: Sendable {
    enum Kind: String, Sendable {
        case event, bool, long, float, point2D, color, image
    }

    var name: String
    var kind: Kind
    /// How a scene sets it; nil for ISF's `inputImage`, the picture a filter is applied to.
    var parameter: ShaderParameter?
    /// The 1-based line of its declaration in the file, for messages.
    var line: Int
}

/// An input's parameter, declared when the file is read, typed by the input's kind: the
/// runner reads the input's value through it.
enum ShaderParameter: Sendable {
    case number(Param<Double>)
    case integer(Param<Int>)
    case bool(Param<Bool>)
    case vec2(Param<Vec2>)
    case color(Param<Color>)
    /// An image input: the name of a scene asset (Shadertoy channels: also source or self).
    case text(Param<String>)

    var param: any AnyParam {
        switch self {
        case let .number(p): return p
        case let .integer(p): return p
        case let .bool(p): return p
        case let .vec2(p): return p
        case let .color(p): return p
        case let .text(p): return p
        }
    }

    var spec: ParameterSpec { param.spec }
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
