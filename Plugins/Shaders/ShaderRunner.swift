import Foundation
import ReelCore
import ReelGL

/// Runs a shader file's passes for one frame with `PassGL`.
///
/// Shader files think in GL's convention: texture row 0 is the bottom of the picture and
/// colours are straight (not premultiplied). Reel's pictures have row 0 at the top and are
/// premultiplied. Rather than rewrite every `gl_FragCoord` and `texture()` call, pictures
/// are converted on the way in (flipped, un-premultiplied) and the result on the way out,
/// and every buffer in between stays in the shader's own convention.
enum ShaderRunner {
    /// Which half of each ping-pong pair holds a persistent buffer's latest content.
    final class History {
        var current: [String: Int] = [:]
    }

    static func render(_ spec: ShaderSpec, input: PassInput, gl: PassGL) throws -> PassImage {
        let width = input.width, height = input.height
        let key = "shaders.\(spec.file.name)@\(input.useKey)"
        let program = try compile(spec, gl: gl)
        let history = gl.cached(key + ".history") { History() }
        let empty = try gl.dataTexture("shaders.empty") { (1, 1, [0, 0, 0, 0]) }
        var samplers: [String: PassImage] = [:]
        var uniforms: [String: PassUniform] = [:]
        var sampling: [String: PassSampling] = [:]

        switch spec.dialect {
        case .isf:
            for shaderInput in spec.inputs {
                switch shaderInput.parameter {
                case nil: samplers[shaderInput.name] = try convertIn(input.source(), gl: gl)
                case let .text(param)?: samplers[shaderInput.name] = try asset(input[param], input: input, gl: gl) ?? empty
                case let .number(param)?: uniforms[shaderInput.name] = .float(input[param])
                case let .integer(param)?: uniforms[shaderInput.name] = .int(input[param])
                case let .bool(param)?: uniforms[shaderInput.name] = .bool(input[param])
                case let .vec2(param)?: uniforms[shaderInput.name] = .vec2(input[param])
                case let .color(param)?:
                    let c = input[param]
                    uniforms[shaderInput.name] = .vec4(c.red, c.green, c.blue, c.alpha)
                }
            }
            for (name, _) in spec.imported {
                samplers[name] = try asset(ShaderFileDescriber.importedAssetName(spec.file.name, name), input: input, gl: gl) ?? empty
            }
            uniforms["TIME"] = .float(input.time)
            uniforms["TIMEDELTA"] = .float(1 / input.fps)
            uniforms["FRAMEINDEX"] = .int(input.frame)
            // A fixed date plus the scene time: DATE must not read the clock.
            uniforms["DATE"] = .vec4(2000, 1, 1, input.time)
        case .shadertoy:
            uniforms["iResolution"] = .vec3(Double(width), Double(height), 1)
            uniforms["iTime"] = .float(input.time)
            uniforms["iGlobalTime"] = .float(input.time)
            // No audio reaches a shader; the rate is Shadertoy's, so files that divide by it work.
            uniforms["iSampleRate"] = .float(44100)
            uniforms["iTimeDelta"] = .float(1 / input.fps)
            uniforms["iFrameRate"] = .float(input.fps)
            uniforms["iFrame"] = .int(input.frame)
            uniforms["iMouse"] = .vec4(0, 0, 0, 0)
            uniforms["iDate"] = .vec4(2000, 1, 1, input.time)
            for (channel, param) in spec.channels.enumerated() {
                let image: PassImage
                let settings = spec.channelSettings[channel]
                let picture = ![Shadertoy.sourceChannel, Shadertoy.selfChannel, ""].contains(input[param])
                let filter: PassSampling.Filter = input[settings.filter] == .nearest ? .nearest : .linear
                let wrap: PassSampling.Wrap
                switch input[settings.wrap] {
                case .auto: wrap = picture ? .repeat : .clamp
                case .repeat: wrap = .repeat
                case .clamp: wrap = .clamp
                case .mirror: wrap = .mirror
                }
                sampling[param.name] = PassSampling(filter: filter, wrap: wrap)
                switch input[param] {
                case "": image = empty
                case Shadertoy.sourceChannel: image = try convertIn(input.source(), gl: gl, flip: input[settings.vflip])
                case Shadertoy.selfChannel:
                    let (pair, _) = try persistentPair(key + ".self", width: width, height: height, float: false, gl: gl)
                    image = pair[history.current["self", default: 0]].image
                case let name: image = try asset(name, input: input, gl: gl, flip: input[settings.vflip]) ?? empty
                }
                samplers[param.name] = image
                uniforms["iChannelResolution[\(channel)]"] = .vec3(Double(image.width), Double(image.height), 1)
                // A channel's own clock: pictures and the picture under a pass are at the scene's time.
                uniforms["iChannelTime[\(channel)]"] = .float(input.time)
            }
        }

        // ISF: each pass sees every buffer: written earlier this frame, else its last frame's
        // content (persistent), else transparent.
        var written: [String: PassImage] = [:]
        var output = empty
        // Size expressions may name the number inputs.
        let numbers = Dictionary(spec.inputs.compactMap { shaderInput -> (String, Double)? in
            switch shaderInput.parameter {
            case let .number(param)?: return (shaderInput.name, input[param])
            case let .integer(param)?: return (shaderInput.name, Double(input[param]))
            default: return nil
            }
        }, uniquingKeysWith: { a, _ in a })
        let variables = numbers.merging(["WIDTH": Double(width), "HEIGHT": Double(height)]) { a, _ in a }
        // Every pass's own size, so a persistent buffer is always kept at its size (read from a
        // pass of another size, it used to be remade, and so cleared, every frame).
        let sizes = try spec.passes.map { pass in
            (try size(pass.width, variables: variables, fallback: width, spec: spec),
             try size(pass.height, variables: variables, fallback: height, spec: spec))
        }
        let selfFed = spec.channels.contains(where: { input[$0] == Shadertoy.selfChannel })
        for (index, pass) in spec.passes.enumerated() {
            let (passWidth, passHeight) = sizes[index]
            var passSamplers = samplers
            for (otherIndex, other) in spec.passes.enumerated() {
                guard let name = other.target else { continue }
                if let image = written[name] { passSamplers[name] = image; continue }
                if other.persistent {
                    let (otherWidth, otherHeight) = sizes[otherIndex]
                    let (pair, _) = try persistentPair(key + "." + name, width: otherWidth, height: otherHeight, float: other.float, gl: gl)
                    passSamplers[name] = pair[history.current[name, default: 0]].image
                } else {
                    passSamplers[name] = empty
                }
            }
            var passUniforms = uniforms
            passUniforms["RENDERSIZE"] = .vec2(Vec2(Double(passWidth), Double(passHeight)))
            passUniforms["PASSINDEX"] = .int(index)
            if spec.dialect == .isf {
                for name in spec.imageNames {
                    guard let image = passSamplers[name] else { continue }
                    let (w, h) = (Double(image.width), Double(image.height))
                    passUniforms["_\(name)_imgSize"] = .vec2(Vec2(w, h))
                    passUniforms["_\(name)_imgRect"] = .vec4(0, 0, w, h)
                    passUniforms["_\(name)_flip"] = .bool(false)
                }
            }
            let target: PassTarget
            if let name = pass.target, pass.persistent {
                let (pair, _) = try persistentPair(key + "." + name, width: passWidth, height: passHeight, float: pass.float, gl: gl)
                let next = 1 - history.current[name, default: 0]
                target = pair[next]
                history.current[name] = next
            } else if selfFed {
                let (pair, _) = try persistentPair(key + ".self", width: passWidth, height: passHeight, float: false, gl: gl)
                let next = 1 - history.current["self", default: 0]
                target = pair[next]
                history.current["self"] = next
            } else {
                target = try gl.target(width: passWidth, height: passHeight, format: pass.float ? .rgba16f : .rgba8)
            }
            do {
                try gl.draw(program, into: target, textures: passSamplers, uniforms: passUniforms, vertices: spec.vertexCount,
                            sampling: sampling)
            } catch let error as ReelError {
                throw located(error, spec: spec)
            }
            if let name = pass.target { written[name] = target.image }
            output = target.image
        }
        return try convertOut(output, width: width, height: height, gl: gl)
    }

    private static func size(_ expression: String?, variables: [String: Double], fallback: Int, spec: ShaderSpec) throws -> Int {
        guard let expression else { return fallback }
        do {
            let value = try SizeExpression.evaluate(expression, variables: variables)
            return min(max(Int(value.rounded()), 1), 16384)
        } catch let SizeExpression.Failure.invalid(why) {
            throw ReelError(.shaderFile, "\(spec.file.path): pass size \"\(expression)\": \(why)")
        }
    }

    private static func persistentPair(_ key: String, width: Int, height: Int, float: Bool,
                                       gl: PassGL) throws -> ([PassTarget], Bool) {
        let a = try gl.persistentTarget(key + "#0", width: width, height: height, format: float ? .rgba16f : .rgba8)
        let b = try gl.persistentTarget(key + "#1", width: width, height: height, format: float ? .rgba16f : .rgba8)
        return ([a.target, b.target], a.fresh || b.fresh)
    }

    /// A scene asset in the shader's convention, converted once; nil for an empty name.
    /// `flip` false (a Shadertoy channel's vflip off) keeps the picture's rows as stored, so
    /// the shader sees it upside down.
    private static func asset(_ name: String, input: PassInput, gl: PassGL, flip: Bool = true) throws -> PassImage? {
        guard !name.isEmpty else { return nil }
        let picture = try gl.assetImage(name, assets: input.assets)
        let (target, fresh) = try gl.persistentTarget("shaders.asset:" + name + (flip ? "" : ":unflipped"),
                                                      width: picture.width, height: picture.height)
        if fresh { try convert(picture, into: target, toShader: true, flip: flip, gl: gl) }
        return target.image
    }

    private static func convertIn(_ image: PassImage, gl: PassGL, flip: Bool = true) throws -> PassImage {
        let target = try gl.target(width: image.width, height: image.height)
        try convert(image, into: target, toShader: true, flip: flip, gl: gl)
        return target.image
    }

    private static func convertOut(_ image: PassImage, width: Int, height: Int, gl: PassGL) throws -> PassImage {
        let target = try gl.target(width: width, height: height)
        try convert(image, into: target, toShader: false, gl: gl)
        return target.image
    }

    /// Flips rows, and un-premultiplies (into a shader) or premultiplies (out of one).
    private static func convert(_ image: PassImage, into target: PassTarget, toShader: Bool, flip: Bool = true, gl: PassGL) throws {
        let program = try gl.program("shaders.convert", fragment: PassGL.fragment("""
            vec4 c = texture(uSource, vec2(vUV.x, uFlip ? 1.0 - vUV.y : vUV.y));
            if (uToShader) {
                fragColor = c.a > 0.0 ? vec4(c.rgb / c.a, c.a) : vec4(0.0);
            } else {
                c = clamp(c, 0.0, 1.0);
                fragColor = vec4(c.rgb * c.a, c.a);
            }
            """, declarations: "uniform bool uToShader;\nuniform bool uFlip;"))
        try gl.draw(program, into: target, textures: ["uSource": image], uniforms: ["uToShader": .bool(toShader), "uFlip": .bool(flip)])
    }

    static func compile(_ spec: ShaderSpec, gl: PassGL) throws -> PassProgram {
        do {
            // One renderer draws one scene, where shader names are unique; a file used as a
            // layer and as a pass has one program.
            let key = "shaders.\(spec.file.name)"
            let (vertex, fragment) = spec.sources(desktop: gl.acceptsDesktopGLSL)
            if let vertex { return try gl.program(key, vertex: vertex, fragment: fragment) }
            if spec.ownMain {
                throw ReelError(.shaderCompile, "shader '\(spec.file.name)': \(spec.file.resolvedPath):1: error: a file with its own "
                                + "main() writing gl_FragColor needs a desktop OpenGL context, and this driver offers only OpenGL ES "
                                + "(or REEL_GL_API=es asked for it); define mainImage(out vec4, in vec2) instead")
            }
            if spec.vertexCode != nil {
                throw ReelError(.shaderCompile, "shader '\(spec.file.name)': \(spec.file.vertexPath ?? spec.file.resolvedPath):1: "
                                + "error: its vertex shader needs a desktop OpenGL context, and this driver offers only OpenGL ES "
                                + "(or REEL_GL_API=es asked for it)")
            }
            return try gl.program(key, fragment: fragment)
        } catch let error as ReelError {
            throw located(error, spec: spec)
        }
    }

    /// Driver messages about the file's own code (under `#line 1 1`, so numbered as in the
    /// file) name the file and its line: `plasma.fs:12: error: …`.
    static func located(_ error: ReelError, spec: ShaderSpec) -> ReelError {
        guard error.code == .shaderCompile, let log = error.detail else { return error }
        // The vertex stage's messages are about the .vs file's lines.
        let path = error.message.hasPrefix("vertex") ? (spec.file.vertexPath ?? spec.file.resolvedPath) : spec.file.resolvedPath
        var first: String?
        var lines: [String] = []
        for raw in log.split(separator: "\n") {
            let line = String(raw)
            // Mesa: "1:12(5): error: …"; NVIDIA: "1(12) : error C0000: …".
            // Mesa reports the #line number under source string 0 whatever the directive says.
            if let match = line.range(of: #"^\s*[01][:(](\d+)[()]"#, options: .regularExpression) {
                let number = line[match].split(whereSeparator: { !$0.isNumber }).dropFirst().first.map(String.init) ?? "?"
                let rest = line[match.upperBound...].drop { $0 == ":" || $0 == " " || $0 == ")" || $0.isNumber || $0 == "(" }
                let mapped = "\(path):\(number): \(rest)"
                lines.append(mapped)
                if first == nil, rest.contains("error") { first = mapped }
            } else {
                lines.append(line)
            }
        }
        let headline = first ?? "\(path): the driver rejected the shader"
        return ReelError(.shaderCompile, "shader '\(spec.file.name)' does not compile: \(headline)", detail: lines.joined(separator: "\n"))
    }
}
