import Motion
import PostFX
import ReelCore

extension PluginRegistry {
    /// The plugins that ship with Reel. A program with plugins of its own builds a registry
    /// from `firstPartyPlugins` plus its own and hands it to `SceneDecoder` (as a catalog)
    /// and `RenderJob`.
    public static let standard: PluginRegistry = {
        do { return try PluginRegistry(firstPartyPlugins) } catch {
            // Only a programming error in the first-party list gets here; a test builds it.
            preconditionFailure("first-party plugins conflict: \(error)")
        }
    }()

    /// Reel's own plugins: `motion` and `postfx`.
    public static var firstPartyPlugins: [any ReelPlugin] { [MotionPlugin(), PostFXPlugin()] }
}
