import ReelCore
import ReelGL

/// Compiles a scene's shader files ahead of any render, so `reel validate` reports a GLSL
/// error (at the shader file's own line, with the driver's log) instead of the render that
/// first draws the shader.
public enum ShaderFileCheck {
    /// Compiles every file's fragment shader(s) with `gl`.
    /// - Throws: `E-SHADER-FILE` for a file that does not parse, `E-GL-SHADER` naming the file
    ///   and its line for one that does not compile.
    public static func compile(_ files: [ShaderFile], gl: PassGL) throws {
        for file in files {
            for spec in try ShaderFileDescriber.specs(for: file) {
                _ = try ShaderRunner.compile(spec, gl: gl)
            }
        }
    }

    /// What the files' readers accepted but changed (a DEFAULT outside its own MIN…MAX,
    /// clamped), one line each, naming the shader file, its line and the input.
    public static func warnings(_ files: [ShaderFile]) -> [String] {
        files.flatMap { file in ((try? ShaderFileDescriber.specs(for: file)) ?? []).first?.warnings ?? [] }
    }
}
