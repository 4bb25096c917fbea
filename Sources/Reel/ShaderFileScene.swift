import Foundation
import ReelCore
import Shaders

/// A shader file alone as a scene, so shader authors can look at their work without writing
/// YAML: `reel still plasma.fs -o plasma.png`, `reel render ripple.fs --input clip.mp4 -o out.mp4`.
///
/// A generator (an ISF file without `inputImage`, a Shadertoy file without `--input`) fills the
/// canvas as a layer; a filter is a pass over the `--input` picture or video, fitted to the
/// canvas (without one, over a transparent canvas). `--set NAME=VALUE` sets the shader's
/// inputs. The canvas is 1280×720 at 30 fps for 10 s, or the input's length for a video.
public enum ShaderFileScene {
    /// The file endings read as shader files rather than scenes.
    public static let extensions = ["fs", "glsl", "frag"]

    public static func isShaderFile(_ path: String) -> Bool {
        extensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// The scene for `path`.
    /// - Throws: `SceneError` for a shader file that does not read (located in the file), a
    ///   `--set` that is not NAME=VALUE or names no input of the shader.
    public static func scene(shader path: String, input: String?, settings: [String], plugins: PluginRegistry) throws -> Scene {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let folder = (absolute as NSString).deletingLastPathComponent
        let name = "shader"
        var params: [String] = []
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ReelError(.badArgument, "--set \(setting): write NAME=VALUE, with NAME one of the shader's inputs")
            }
            let key = setting[..<equals], value = String(setting[setting.index(after: equals)...])
            params.append("\(json(String(key))): \(try scalar(value, setting: setting))")
        }
        let isFilter = try filterOnly(absolute)
        let shaders = "shaders: { \(name): \(json(absolute)) }"
        var lines = ["reel: 1", "canvas: { size: [1280, 720], fps: 30, duration: 10s, background: \"#000000\" }", shaders]
        let paramText = "{ \(params.joined(separator: ", ")) }"
        if let input {
            let inputPath = URL(fileURLWithPath: input).standardizedFileURL.path
            let video = ["mp4", "mov", "mkv", "webm", "gif"].contains((input as NSString).pathExtension.lowercased())
            lines += ["assets: { input: \(json(inputPath)) }", "layers:",
                      "  - { \(video ? "video" : "image"): { asset: input, size: [1280, 720], fit: contain }, position: [640, 360] }",
                      "passes: [{ \(name): \(paramText) }]"]
        } else if isFilter {
            lines += ["layers: []", "passes: [{ \(name): \(paramText) }]"]
        } else {
            lines += ["layers:", "  - { shader: { name: \(name), params: \(paramText) }, position: [640, 360] }"]
        }
        let scene = try SceneDecoder(plugins: plugins).decode(lines.joined(separator: "\n") + "\n", file: absolute + " (as a scene)",
                                                              baseDirectory: folder)
        // Checked after decoding, so a misspelt --set is reported first. A filter over an empty
        // canvas draws black, which looks like a broken shader rather than a missing picture.
        if isFilter && input == nil {
            throw ReelError(.badArgument, "\((path as NSString).lastPathComponent) is a filter (it reads inputImage): give it a picture or video to filter",
                            detail: "add --input FILE, e.g. reel still \(path) --input photo.jpg -o out.png")
        }
        return scene
    }

    /// True for a file that can only be a pass (an ISF filter).
    private static func filterOnly(_ path: String) throws -> Bool {
        let opened = try AssetFile(path: path, code: .fileUnreadable, role: "shader files")
        guard let data = try opened.contents(upTo: SceneLimits().maxFileBytes, code: .fileUnreadable) else {
            throw SceneError(Diagnostic(.limitExceeded, "shader file is \(opened.size) bytes; the limit is \(SceneLimits().maxFileBytes)",
                                        at: SceneLocation(file: path, line: 1, column: 1), path: ""))
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw ReelError(.fileUnreadable, "cannot read shader file '\(path)': it is not UTF-8 text")
        }
        let file = ShaderFile(name: "shader", path: path, resolvedPath: path, source: source)
        guard let contents = try? ShaderFileDescriber().read(file) else { return false }
        return !contents.descriptors.contains { $0.kind == .layer }
    }

    /// A `--set` value as the scene text it stands for: numbers, booleans and `[…]` lists as
    /// written, anything else as a quoted string, so `color=#ff8800` is a colour rather than
    /// a YAML comment and no value can add keys of its own to the scene.
    private static func scalar(_ value: String, setting: String) throws -> String {
        if value.contains(where: \.isNewline) {
            throw ReelError(.badArgument, "--set \(setting.prefix(40)): a value is one line")
        }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if Double(trimmed) != nil || ["true", "false"].contains(trimmed) { return trimmed }
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]"),
           trimmed.dropFirst().dropLast().split(separator: ",").allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil }) {
            return trimmed
        }
        return json(value)
    }

    private static func json(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
