/// Shader files a scene names under `shaders:` (ISF `.fs`, Shadertoy-style `.glsl`). Their
/// source travels inside the `Scene`, so a render (or a remote worker) never rereads them,
/// and their inputs become plugin parameters the decoder checks like any other.
///
/// ```yaml
/// shaders: { plasma: shaders/plasma.fs, trails: shaders/trails.fs }
/// layers: [{ shader: { name: plasma, params: { speed: 2 } }, position: [960, 540] }]
/// passes: [{ trails: { decay: 0.9 } }]
/// ```
public struct ShaderFile: Sendable, Hashable {
    /// The key under `shaders:`; the contribution is `shaders.<name>`.
    public var name: String
    /// As written in the scene.
    public var path: String
    /// Resolved against the scene's folder; messages name it.
    public var resolvedPath: String
    public var source: String
    /// An ISF file's vertex shader: `NAME.vs` beside `NAME.fs`, read with it; nil without one.
    public var vertexSource: String?
    /// Where `vertexSource` was read from (resolved like `resolvedPath`), so it travels with
    /// the scene and messages about it name it.
    public var vertexPath: String?

    public init(name: String, path: String, resolvedPath: String, source: String,
                vertexSource: String? = nil, vertexPath: String? = nil) {
        (self.name, self.path, self.resolvedPath, self.source) = (name, path, resolvedPath, source)
        (self.vertexSource, self.vertexPath) = (vertexSource, vertexPath)
    }

    /// The companion vertex shader's path for a fragment shader's: `NAME.vs` for `NAME.fs`
    /// (ISF's convention); nil for other files.
    public static func vertexCompanion(of path: String) -> String? {
        guard path.hasSuffix(".fs") else { return nil }
        return String(path.dropLast(3)) + ".vs"
    }
}

/// Describes shader files for the decoder: which contributions a file makes (a layer kind,
/// a pass, or both) and their parameters. The Shaders plugin implements it; the decoder
/// cannot read shader files without one.
public protocol ShaderFileReader: Sendable {
    /// What `file` adds to the scene, read in one go.
    /// - Throws: `ShaderFileError` locating the problem in `file.source`.
    func read(_ file: ShaderFile) throws -> ShaderFileContents
}

/// What a shader file adds to a scene.
public struct ShaderFileContents: Sendable {
    /// Its contributions, all with plugin `shaders` and name `file.name`.
    public var descriptors: [ContributionDescriptor]
    /// Pictures it imports (ISF `IMPORTED`), as asset names and paths relative to the shader
    /// file; the decoder declares them as scene assets so they travel like any other.
    public var importedAssets: [(name: String, path: String)]

    public init(descriptors: [ContributionDescriptor], importedAssets: [(name: String, path: String)] = []) {
        (self.descriptors, self.importedAssets) = (descriptors, importedAssets)
    }
}

/// A problem in a shader file, located in the file itself (line 1 is its first line).
public struct ShaderFileError: Error, Sendable {
    public var code: ReelError.Code
    public var message: String
    public var line: Int
    public var column: Int
    public var suggestion: String?

    public init(_ code: ReelError.Code, _ message: String, line: Int, column: Int = 1, suggestion: String? = nil) {
        (self.code, self.message, self.line, self.column, self.suggestion) = (code, message, line, column, suggestion)
    }
}

extension ReelError.Code {
    /// A shader file's header or source is not usable (bad JSON header, an input type Reel
    /// does not support, a missing `main`/`mainImage`).
    public static let shaderFile = Self("E-SHADER-FILE")
}

/// The plugin name shader files contribute under.
public let shaderFilesPlugin = "shaders"
