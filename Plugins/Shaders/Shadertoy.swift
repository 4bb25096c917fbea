import Foundation
import ReelCore

/// Reads Shadertoy-style files: `void mainImage(out vec4 fragColor, in vec2 fragCoord)` with
/// Shadertoy's uniforms (`iTime`, `iResolution`, `iFrame`, `iTimeDelta`, `iMouse` — always
/// zero in a render —, `iDate`, `iChannel0..3`, `iChannelResolution`).
///
/// Channels are parameters: the name of a scene asset, `source` (the picture the shader is
/// applied to, when used as a pass), `self` (the shader's own previous frame: feedback,
/// which makes it stateful) or empty (transparent). Directives in comments:
/// `// reel: warmup N` bounds the history a `self` channel needs.
enum Shadertoy {
    /// The channel values with a meaning of their own; any other is an asset's name.
    static let sourceChannel = "source", selfChannel = "self"

    static func looksLikeShadertoy(_ source: String) -> Bool {
        source.range(of: #"\bvoid\s+mainImage\s*\("#, options: .regularExpression) != nil
    }

    static func parse(_ file: ShaderFile, asPass: Bool) throws -> ShaderSpec {
        guard looksLikeShadertoy(file.source) else {
            throw ShaderFileError(.shaderFile, "no mainImage() function: a Shadertoy file defines void mainImage(out vec4 fragColor, in vec2 fragCoord)",
                                  line: 1)
        }
        var warmUp: Int?
        for (index, line) in file.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: #"//\s*reel:\s*warmup\s+"#, options: .regularExpression) else { continue }
            guard let n = Int(line[range.upperBound...].trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw ShaderFileError(.shaderFile, "'// reel: warmup' needs a whole number of frames", line: index + 1)
            }
            warmUp = n
        }
        let inputs = (0..<4).map { channel in
            ShaderInput(name: "iChannel\(channel)", kind: .image, parameter: .text(Param.string(
                "iChannel\(channel)", default: asPass && channel == 0 ? sourceChannel : "",
                doc: "an asset name, source (the picture under the pass), self (this shader's last frame) or empty")),
                line: 1)
        }
        return ShaderSpec(file: file, dialect: .shadertoy, isFilter: asPass, description: "Shadertoy-style shader",
                          inputs: inputs, passes: [ShaderPassSpec(target: nil, persistent: false, float: false)],
                          imported: [], warmUpFrames: warmUp, fragment: translate(file.source))
    }

    static func translate(_ source: String) -> String {
        let code = source.replacingOccurrences(of: #"(?m)^[ \t]*#version[^\n]*"#, with: "", options: .regularExpression)
        return """
        #version 300 es
        precision highp float;
        precision highp int;
        out vec4 reel_FragColor;
        uniform vec3 iResolution;
        uniform float iTime;
        uniform float iTimeDelta;
        uniform float iFrameRate;
        uniform int iFrame;
        uniform vec4 iMouse;
        uniform vec4 iDate;
        uniform float iSampleRate;
        uniform vec3 iChannelResolution[4];
        uniform float iChannelTime[4];
        uniform sampler2D iChannel0;
        uniform sampler2D iChannel1;
        uniform sampler2D iChannel2;
        uniform sampler2D iChannel3;
        void mainImage(out vec4 fragColor, in vec2 fragCoord);
        #line 1 1
        \(code)
        void main() {
            vec4 color = vec4(0.0, 0.0, 0.0, 1.0);
            mainImage(color, gl_FragCoord.xy);
            // Shadertoy shows its output opaque whatever the shader writes into alpha.
            reel_FragColor = vec4(clamp(color.rgb, 0.0, 1.0), 1.0);
        }
        """
    }
}
