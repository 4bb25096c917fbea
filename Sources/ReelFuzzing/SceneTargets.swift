import Reel
import ReelCore

extension Fuzz {
    /// `reel validate` on a scene file's bytes, the standard plugins checking their
    /// parameters, then the first, middle and last frames evaluated as a render would.
    /// - Throws: `ReelError` with the first diagnostic's code for a scene `reel validate`
    ///   refuses, or the render's error for shader files it could not load.
    public static func sceneYAML(_ bytes: [UInt8]) throws(ReelError) {
        try validateScene(bytes, name: "fuzz.yaml")
    }

    /// As `sceneYAML`. The decoder picks the parser by content, as `reel validate` does, so
    /// the two targets differ by their seeds and dictionaries: this one starts from JSON.
    public static func sceneJSON(_ bytes: [UInt8]) throws(ReelError) {
        try validateScene(bytes, name: "fuzz.json")
    }

    /// What `reel validate` does with one file, then `evaluate`.
    static func validateScene(_ bytes: [UInt8], name: String) throws(ReelError) {
        let file = FuzzFiles.sceneFolder + "/" + name
        // `SceneDecoder.load` refuses text that is not UTF-8 before it parses.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReelError(.syntax, "\(file):1:1: the file is not UTF-8 text")
        }
        var decoder = SceneDecoder(plugins: .standard)
        decoder.files = FuzzFiles.sceneFiles
        let scene: Scene
        do {
            scene = try decoder.decode(text, file: file, baseDirectory: FuzzFiles.sceneFolder)
        } catch {
            // Both forms `reel validate` prints: lines, and JSON with --json.
            keep(error.reportSummary + error.reportDetails.joined())
            keep(JSONValue.array(error.diagnostics.map(\.json)).serialized(pretty: true))
            throw refusal(error)
        }
        let c = scene.canvas
        keep("\(c.width)×\(c.height), \(c.fps.clean) fps, \(c.frameCount) frames, \(scene.allLayers.count) layers")
        try evaluate(scene, frames: [0, c.frameCount / 2, c.frameCount - 1], plugins: .standard)
    }

    /// Evaluates `frames` of `scene` as a render does: with the scene's shader files added to
    /// `plugins` (which runs their translation again) and, given a `size`, resized to it.
    /// - Throws: `ReelError` for shader files the render could not load.
    static func evaluate(_ scene: Scene, frames: [Int], plugins: PluginRegistry,
                         size: (width: Int, height: Int)? = nil) throws(ReelError) {
        let registry: PluginRegistry
        do {
            registry = try plugins.including(scene)
        } catch {
            throw refusal(error)
        }
        for frame in frames {
            var state = Timeline.evaluate(scene, frame: frame, plugins: registry)
            if let size { state = state.resized(width: size.width, height: size.height) }
            keep(state)
        }
    }
}
