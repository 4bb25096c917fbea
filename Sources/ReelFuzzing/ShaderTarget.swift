import Reel
import ReelCore
import ReelGL
import Shaders

extension Fuzz {
    /// A shader file under `shaders:` (ISF or Shadertoy): read as the decoder reads it (header,
    /// inputs, passes, size expressions, translation to GLSL ES 3.00), made into the plugin a
    /// render uses, then used in a scene (each contribution with its defaults) that is decoded,
    /// evaluated, and asked for its warm-up. No GL: the GLSL is never compiled.
    /// - Throws: `ReelError`: `E-SHADER-FILE` for a file the decoder refuses, a scene code
    ///   when the file's own defaults do not decode.
    public static func isf(_ bytes: [UInt8]) throws(ReelError) {
        guard let source = String(validating: bytes, as: UTF8.self) else {
            throw ReelError(.shaderFile, "shader file 'fuzz.fs' is not UTF-8 text")
        }
        let file = ShaderFile(name: "fuzz", path: "fuzz.fs", resolvedPath: "/reel-fuzz/fuzz.fs", source: source)
        let contents: ShaderFileContents
        let registry: PluginRegistry
        do {
            contents = try ShaderFileDescriber().read(file)
            registry = try PluginRegistry(PluginRegistry.firstPartyPlugins + [ShaderFilesPlugin(files: [file])])
        } catch {
            throw refusal(error)
        }
        keep(contents.importedAssets.map(\.path))

        var layers: [String] = [], passes: [String] = []
        for descriptor in contents.descriptors {
            switch descriptor.kind {
            case .layer: layers.append("{ shader: { name: \(descriptor.qualifiedName) } }")
            case .pass: passes.append(descriptor.qualifiedName)
            case .animation: break
            }
        }
        let text = """
            reel: 1
            canvas: { size: [64, 36], fps: 30, duration: 3f }
            layers: [\(layers.joined(separator: ", "))]
            passes: [\(passes.joined(separator: ", "))]
            """
        let scene: Scene
        do {
            scene = try SceneDecoder(catalog: registry.catalog).decode(text, file: "/reel-fuzz/uses-fuzz.yaml")
        } catch {
            throw refusal(error)
        }
        keep(Timeline.evaluate(scene, frame: 1, plugins: registry))
        for use in scene.passes {
            keep((registry.contribution(use.name, kind: .pass) as? any PostPass)?.warmUp(use.parameters.mapValues { $0.resolved(at: 0) }))
        }
        for layer in scene.layers {
            guard case let .shader(content) = layer.content else { continue }
            let use = content.shader
            keep((registry.contribution(use.name, kind: .layer) as? any LayerShader)?.warmUp(use.parameters.mapValues { $0.resolved(at: 0) }))
        }
    }
}
