import ReelCore
import ReelGL
import ReelMedia
import Shaders

extension PluginRegistry {
    /// This registry plus the scene's shader files (`shaders:`) as the `shaders` plugin, which
    /// is what renders the scene; the registry alone is what decodes it.
    /// - Throws: `E-PLUGIN-CONFLICT` when the registry already has a `shaders` plugin.
    public func including(_ scene: Scene) throws -> PluginRegistry {
        guard !scene.shaders.isEmpty else { return self }
        do {
            return try PluginRegistry(plugins + [ShaderFilesPlugin(files: scene.shaders)])
        } catch let error as ShaderFileError {
            throw ReelError(error.code, "shader file: \(error.message) (line \(error.line))", cause: error)
        }
    }
}

extension SceneDecoder {
    /// A decoder for scenes using `plugins` and shader files (`shaders:`).
    public init(plugins: PluginRegistry, overrides: [String: String] = [:], checkAssets: Bool = true) {
        self.init(catalog: plugins.catalog, overrides: overrides, checkAssets: checkAssets, shaderReader: ShaderFileDescriber())
    }
}

/// Makes the renderer for a scene on the GL thread: its assets, text, plugins and shader
/// files, primed for a range that starts at `first`.
enum SceneRenderer {
    /// A renderer that has drawn, without output, the frames stateful passes (persistent
    /// buffers, feedback) need before `first`, so frame `first` comes out as it does in a
    /// render from the scene's start.
    static func make(_ scene: Scene, plugins: PluginRegistry, context: GLContext, first: Int,
                     size: (width: Int, height: Int)? = nil) throws -> FrameRenderer {
        let registry = try plugins.including(scene)
        let renderer = try FrameRenderer(context: context, assets: MediaAssetLoader(scene: scene), text: FontShaper(), plugins: registry)
        do {
            for frame in warmUpFrames(before: first, scene: scene, plugins: registry) {
                var state = Timeline.evaluate(scene, frame: frame, plugins: registry)
                if let size { state = state.resized(width: size.width, height: size.height) }
                try renderer.prime(state)
            }
        } catch {
            renderer.release()
            throw error
        }
        return renderer
    }

    /// The frames before `first` that stateful passes and shader layers of the scene ask
    /// for: all of them for a state folded over the whole history, the last n for a
    /// declared window.
    static func warmUpFrames(before first: Int, scene: Scene, plugins: PluginRegistry) -> Range<Int> {
        guard first > 0 else { return 0..<0 }
        let time = Double(first) / scene.canvas.fps
        var start = first
        func consider(_ window: WarmUp?) {
            switch window {
            case .fromStart?: start = 0
            case let .frames(n)?: start = min(start, max(0, first - n))
            case nil: break
            }
        }
        func resolved(_ use: PluginUse) -> [String: ResolvedValue] { use.parameters.mapValues { $0.resolved(at: time) } }
        for use in scene.passes { consider((plugins.contribution(use.name, kind: .pass) as? any PostPass)?.warmUp(resolved(use))) }
        for layer in scene.allLayers {
            for use in layer.effects { consider((plugins.contribution(use.name, kind: .pass) as? any PostPass)?.warmUp(resolved(use))) }
            if case let .shader(content) = layer.content {
                consider((plugins.contribution(content.shader.name, kind: .layer) as? any LayerShader)?.warmUp(resolved(content.shader)))
            }
        }
        return start..<first
    }
}
