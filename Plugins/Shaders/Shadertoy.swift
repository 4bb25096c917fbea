import Foundation
import ReelCore

/// Reads Shadertoy-style files: `void mainImage(out vec4 fragColor, in vec2 fragCoord)` with
/// Shadertoy's uniforms (`iTime` and its old name `iGlobalTime`, `iResolution`, `iFrame`,
/// `iTimeDelta`, `iFrameRate`, `iMouse` — always zero in a render —, `iDate`, `iSampleRate`,
/// `iChannel0..3`, `iChannelTime`, `iChannelResolution`). A file with its own `main()` writing
/// `gl_FragColor` (glslViewer and other ports) runs as it is, with the same uniforms.
///
/// Channels are parameters: the name of a scene asset, `source` (the picture the shader is
/// applied to, when used as a pass), `self` (the shader's own previous frame: feedback,
/// which makes it stateful) or empty (transparent); each has `_filter`, `_wrap` and `_vflip`
/// settings, as on shadertoy.com. The VS Code Shader Toy extension's lines
/// `#iChannel0 "file://picture.png"` (relative to the shader file) and `#iChannel0 "self"`
/// set a channel's default. Directives in comments: `// reel: warmup N` bounds the history a
/// `self` channel needs.
enum Shadertoy {
    /// The channel values with a meaning of their own; any other is an asset's name.
    static let sourceChannel = "source", selfChannel = "self"

    static func looksLikeShadertoy(_ source: String) -> Bool {
        source.range(of: #"\bvoid\s+mainImage\s*\("#, options: .regularExpression) != nil
    }

    /// A file with `void main(` and no `mainImage`: a port that writes `gl_FragColor` itself.
    static func hasOwnMain(_ source: String) -> Bool {
        !looksLikeShadertoy(source) && source.range(of: #"\bvoid\s+main\s*\(\s*(void)?\s*\)"#, options: .regularExpression) != nil
    }

    /// The uniforms a file may also declare itself (ports often do); its own declarations are
    /// blanked, so the file compiles with Reel's.
    static let uniforms = ["iResolution", "iTime", "iGlobalTime", "iTimeDelta", "iFrameRate", "iFrame", "iMouse", "iDate",
                           "iSampleRate", "iChannelResolution", "iChannelTime", "iChannel0", "iChannel1", "iChannel2", "iChannel3"]

    static func parse(_ file: ShaderFile, asPass: Bool) throws -> ShaderSpec {
        guard looksLikeShadertoy(file.source) || hasOwnMain(file.source) else {
            throw ShaderFileError(.shaderFile, "no mainImage() function: a Shadertoy file defines void mainImage(out vec4 fragColor, in vec2 fragCoord)",
                                  line: 1)
        }
        var warmUp: Int?
        var lines = file.source.components(separatedBy: "\n")
        var defaults: [Int: String] = [:]
        var imported: [(name: String, path: String)] = []
        var settings: [Int: [String: String]] = [:]
        for (index, line) in lines.enumerated() {
            if let range = line.range(of: #"//\s*reel:\s*warmup\s+"#, options: .regularExpression) {
                guard let n = Int(line[range.upperBound...].trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw ShaderFileError(.shaderFile, "'// reel: warmup' needs a whole number of frames", line: index + 1)
                }
                warmUp = n
            }
            // The VS Code extension: #iChannel0 "file://a.png" | "self" | "buf://…"; #iChannel0::WrapMode "Repeat".
            guard let match = line.range(of: #"^\s*#\s*iChannel([0-3])(::(\w+))?\s+"([^"]*)""#, options: .regularExpression) else { continue }
            let text = String(line[match])
            let channel = Int(String(text.drop { !$0.isNumber }.prefix(1))) ?? 0
            let value = text.split(separator: "\"", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
            if let option = text.range(of: #"::\w+"#, options: .regularExpression) {
                settings[channel, default: [:]][String(text[option].dropFirst(2)).lowercased()] = value.lowercased()
            } else if value == "self" {
                defaults[channel] = selfChannel
            } else if value.hasPrefix("file://") {
                let path = String(value.dropFirst("file://".count))
                let name = ShaderFileDescriber.importedAssetName(file.name, "iChannel\(channel)")
                imported.append(("iChannel\(channel)", path))
                defaults[channel] = name
            } else {
                throw ShaderFileError(.shaderFile, "#iChannel\(channel) \"\(value)\": only \"file://PATH\" (a picture, relative to the shader file) and \"self\" are supported here",
                                      line: index + 1)
            }
            // Not GLSL: blanked, so the file keeps its line numbers.
            lines[index] = ""
        }
        var code = lines.joined(separator: "\n")
        let names = uniforms.joined(separator: "|")
        code = code.replacingOccurrences(of: #"(?m)^[ \t]*uniform\s+\w+\s+("# + names + #")\s*(\[\s*\d*\s*\])?\s*;"#, with: "",
                                         options: .regularExpression)
        let inputs = (0..<4).map { channel in
            ShaderInput(name: "iChannel\(channel)", kind: .image, parameter: .text(Param.string(
                "iChannel\(channel)", default: defaults[channel] ?? (asPass && channel == 0 ? sourceChannel : ""),
                doc: "an asset name, source (the picture under the pass), self (this shader's last frame) or empty")),
                line: 1)
        }
        let channelSettings = (0..<4).map { ChannelSettings(channel: $0, given: settings[$0] ?? [:]) }
        return ShaderSpec(file: file, dialect: .shadertoy, isFilter: asPass, description: "Shadertoy-style shader",
                          inputs: inputs, passes: [ShaderPassSpec(target: nil, persistent: false, float: false)],
                          imported: imported, warmUpFrames: warmUp, code: code, channelSettings: channelSettings,
                          ownMain: hasOwnMain(file.source))
    }

    /// The fragment shader for a Shadertoy file: its uniforms, the file under `#line 1 1`, and
    /// a `main` that calls `mainImage`. Desktop GLSL (`#version 430 compatibility`, which
    /// accepts what GLSL ES 3.00 does and the desktop habits of ported files) on a desktop
    /// context, else GLSL ES 3.00 as on shadertoy.com. Output is opaque, as on Shadertoy.
    static func translate(_ source: String, desktop: Bool, ownMain: Bool = false) -> String {
        var code = source.replacingOccurrences(of: #"(?m)^[ \t]*#version[^\n]*"#, with: "", options: .regularExpression)
        if ownMain {
            code = code.replacingOccurrences(of: #"\bvoid(\s+)main(\s*)\("#, with: "void$1reel_main$2(", options: .regularExpression)
        }
        let version = desktop ? "#version 430 compatibility" : "#version 300 es"
        // `mainImage`'s colour is an `out` parameter: undefined on entry, so a file that
        // writes only .rgb leaves alpha undefined; the output's alpha is 1 whatever it holds.
        let main = ownMain ? """
            void reel_main();
            #line 1 1
            \(code)
            void main() {
                gl_FragColor = vec4(0.0, 0.0, 0.0, 1.0);
                reel_main();
                gl_FragColor = vec4(clamp(gl_FragColor.rgb, 0.0, 1.0), 1.0);
            }
            """ : """
            out vec4 reel_FragColor;
            void mainImage(out vec4 fragColor, in vec2 fragCoord);
            #line 1 1
            \(code)
            void main() {
                vec4 color = vec4(0.0, 0.0, 0.0, 1.0);
                mainImage(color, gl_FragCoord.xy);
                reel_FragColor = vec4(clamp(color.rgb, 0.0, 1.0), 1.0);
            }
            """
        return """
        \(version)
        precision highp float;
        precision highp int;
        uniform vec3 iResolution;
        uniform float iTime;
        uniform float iGlobalTime;
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
        \(main)
        """
    }
}

/// A Shadertoy channel's sampler settings, parameters as on shadertoy.com's channel panel:
/// `iChannelN_filter` (linear, nearest; mipmap samples as linear), `iChannelN_wrap` (repeat,
/// clamp, mirror; the default repeats a picture and clamps `source` and `self`, as
/// shadertoy.com does textures and buffers) and `iChannelN_vflip` (true: the picture's top is
/// at the top, as shadertoy.com's default).
struct ChannelSettings: Sendable {
    enum Filter: String, Choice { case linear, nearest, mipmap }
    enum Wrap: String, Choice { case auto, `repeat`, clamp, mirror }

    var filter: Param<Filter>
    var wrap: Param<Wrap>
    var vflip: Param<Bool>

    /// `given`: the VS Code extension's `#iChannelN::MinFilter|WrapMode|VFlip` values, lower-cased.
    init(channel: Int, given: [String: String]) {
        let filter: Filter = given["minfilter"].map { $0.contains("nearest") ? .nearest : ($0.contains("mipmap") ? .mipmap : .linear) } ?? .mipmap
        let wrap: Wrap = given["wrapmode"].map { $0.contains("clamp") ? .clamp : ($0.contains("mirror") ? .mirror : .repeat) } ?? .auto
        self.filter = Param.choice("iChannel\(channel)_filter", default: filter, doc: "how channel \(channel) is filtered: linear, nearest, mipmap (drawn as linear)")
        self.wrap = Param.choice("iChannel\(channel)_wrap", default: wrap,
                                 doc: "what lies beyond channel \(channel)'s edges: repeat, clamp, mirror; auto repeats a picture and clamps source and self")
        self.vflip = Param.bool("iChannel\(channel)_vflip", default: given["vflip"].map { $0 != "false" } ?? true,
                                doc: "channel \(channel)'s picture the right way up (Shadertoy's default); false reads it upside down")
    }

    var params: [any AnyParam] { [filter, wrap, vflip] }
}
