import ReelCore
import ReelGL

/// Shader files as plugin contributions: each file a scene names under `shaders:` becomes
/// `shaders.<name>` — an ISF generator a layer kind, an ISF filter a pass, a Shadertoy file
/// both (a layer, or a pass whose `iChannel0` is the picture under it).
public struct ShaderFilesPlugin: ReelPlugin {
    public let name = shaderFilesPlugin
    public let version = Self.releaseVersion
    /// The version of shader-file support, listed by `reel plugins` before any file is loaded.
    public static let releaseVersion = "0.1.0"
    public let contributions: [any PluginContribution]

    /// - Throws: `E-SHADER-FILE` for a file that does not parse (the decoder has usually
    ///   reported it already, with its line).
    public init(files: [ShaderFile]) throws {
        var contributions: [any PluginContribution] = []
        for file in files {
            for spec in try ShaderFileDescriber.specs(for: file) {
                contributions.append(spec.isFilter ? ShaderFilePass(spec: spec) as any PluginContribution : ShaderFileLayer(spec: spec))
            }
        }
        self.contributions = contributions
    }
}

/// Reads shader files for the scene decoder.
public struct ShaderFileDescriber: ShaderFileReader {
    public init() {}

    public func read(_ file: ShaderFile) throws -> ShaderFileContents {
        let specs = try Self.specs(for: file)
        let imported = specs.first.map { spec in spec.imported.map { (Self.importedAssetName(file.name, $0.name), $0.path) } } ?? []
        return ShaderFileContents(descriptors: specs.map(\.descriptor), importedAssets: imported)
    }

    /// The asset an ISF `IMPORTED` image is registered under.
    static func importedAssetName(_ shader: String, _ image: String) -> String { "\(shader).\(image)" }

    static func specs(for file: ShaderFile) throws -> [ShaderSpec] {
        if ISF.looksLikeISF(file.source) { return [try ISF.parse(file)] }
        if Shadertoy.looksLikeShadertoy(file.source) || Shadertoy.hasOwnMain(file.source) {
            return [try Shadertoy.parse(file, asPass: false), try Shadertoy.parse(file, asPass: true)]
        }
        throw ShaderFileError(.shaderFile, "'\(file.path)' is neither an ISF file (a /* { JSON } */ header) nor a Shadertoy file (a mainImage function, or a main() writing gl_FragColor)",
                              line: 1)
    }

}

/// A shader file used as a pass.
struct ShaderFilePass: PostPass {
    let spec: ShaderSpec
    var declaration: ContributionDeclaration { spec.declaration }

    func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        try ShaderRunner.render(spec, input: input, gl: gl)
    }

    func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp? { spec.warmUp(parameters) }
}

/// A shader file used as a layer.
struct ShaderFileLayer: LayerShader {
    static let kind = ContributionDescriptor.Kind.layer
    let spec: ShaderSpec
    var declaration: ContributionDeclaration { spec.declaration }

    func draw(_ input: PassInput, gl: PassGL) throws -> PassImage {
        try ShaderRunner.render(spec, input: input, gl: gl)
    }

    func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp? { spec.warmUp(parameters) }
}
