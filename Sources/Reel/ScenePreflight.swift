import Foundation
import ReelCore
import ReelGL
import ReelMedia
import Shaders

/// The checks that make `reel validate` a full pre-flight: what would otherwise fail only
/// when a render reaches it. Each problem is located in the scene (or, for a shader, in the
/// shader file).
public enum ScenePreflight {
    /// Text layers whose font family is not installed, each at its layer.
    public static func fontDiagnostics(_ scene: Scene) -> [Diagnostic] {
        var checked: [String: ReelError?] = [:]
        var problems: [Diagnostic] = []
        for layer in scene.allLayers {
            guard case let .text(text) = layer.content else { continue }
            let font = text.font
            let key = "\(font.family)|\(font.weight)|\(font.italic)"
            if checked[key] == nil {
                do {
                    try FontShaper.checkInstalled(family: font.family, weight: font.weight, italic: font.italic)
                    checked[key] = .some(nil)
                } catch let error as ReelError {
                    checked[key] = error
                } catch {
                    checked[key] = ReelError(.textFont, "\(error)")
                }
            }
            if let error = checked[key] ?? nil {
                problems.append(Diagnostic(error.code, "layer '\(layer.id)': \(error.message)" + (error.detail.map { "; \($0)" } ?? ""),
                                           at: FrameCost.location(of: layer.id, in: scene), path: ""))
            }
        }
        return problems
    }

    /// Compiles the scene's shader files on `gl` (nothing to do, and no GL needed, without).
    /// - Throws: `SceneError` with `E-GL-SHADER` located at the shader file's line (the
    ///   driver's log in the message), `E-SHADER-FILE`.
    public static func compileShaders(_ scene: Scene, gl: HeadlessGL) throws {
        guard !scene.shaders.isEmpty else { return }
        do {
            try gl.sync { context in
                let passes = try context.makePassGL()
                defer { passes.release() }
                try ShaderFileCheck.compile(scene.shaders, gl: passes)
            }
        } catch let error as ReelError where error.code == .shaderCompile {
            throw SceneError(located(error, in: scene.shaders))
        }
    }

    /// A compile error as a diagnostic at the shader file's line: its headline reads
    /// `… /path/ripple.fs:12: error: …`.
    static func located(_ error: ReelError, in files: [ShaderFile]) -> Diagnostic {
        for file in files {
            guard let range = ([file.resolvedPath] + [file.vertexPath].compactMap { $0 }).lazy
                .compactMap({ error.message.range(of: $0 + ":") }).first else { continue }
            let line = Int(error.message[range.upperBound...].prefix { $0.isNumber }) ?? 1
            let log = (error.detail ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let rest = log.dropFirst().prefix(4).joined(separator: "; ")
            return Diagnostic(error.code, error.message + (rest.isEmpty ? "" : " (\(rest))"),
                              at: SceneLocation(file: error.message[..<range.upperBound].hasSuffix(".vs:") ? (file.vertexPath ?? file.resolvedPath) : file.resolvedPath,
                                                line: line, column: 1), path: "shaders.\(file.name)")
        }
        return Diagnostic(error.code, error.message + (error.detail.map { ": \($0)" } ?? ""), at: nil, path: "")
    }

    /// Warnings about the scene's shader files (a DEFAULT outside its own range, clamped), each
    /// at the shader file's line.
    public static func shaderWarnings(_ scene: Scene) -> [Diagnostic] {
        ShaderFileCheck.warnings(scene.shaders).map { text in
            // "PATH:LINE: message"
            let parts = text.components(separatedBy: ": ")
            let head = parts.first ?? ""
            let line = head.split(separator: ":").last.flatMap { Int($0) }
            let file = line == nil ? head : String(head[..<(head.lastIndex(of: ":") ?? head.endIndex)])
            return Diagnostic(.shaderFile, parts.dropFirst().joined(separator: ": "),
                              at: SceneLocation(file: file, line: line ?? 1, column: 1), path: "")
        }
    }

    /// A warning for a canvas that video with 4:2:0 chroma (H.264, H.265, VP9, AV1 in .mp4,
    /// .mov, .mkv, .webm) cannot hold as it is: an odd width or height. PNG, GIF and WebP
    /// outputs are fine, so it is a warning, not an error.
    public static func videoSizeWarning(_ scene: Scene, file: String) -> Diagnostic? {
        let (w, h) = (scene.canvas.width, scene.canvas.height)
        guard w % 2 == 1 || h % 2 == 1 else { return nil }
        let odd = [w % 2 == 1 ? "width \(w)" : nil, h % 2 == 1 ? "height \(h)" : nil].compactMap { $0 }
        return Diagnostic(.badArgument, "the canvas's \(odd.joined(separator: " and ")) \(odd.count == 1 ? "is" : "are") odd: video with 4:2:0 chroma (.mp4, .mov, .mkv, .webm) needs even sizes, so `reel render -o x.mp4` refuses it; PNG, GIF and WebP outputs are fine. Make it \(w + w % 2)×\(h + h % 2), or render video with --scale (which rounds to even)",
                          at: scene.canvasLocation ?? SceneLocation(file: file, line: 1, column: 1), path: "canvas.size")
    }
}
