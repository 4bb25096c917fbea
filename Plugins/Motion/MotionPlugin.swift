import ReelCore

/// Procedural motion: animation passes a layer lists under `animate:`.
///
/// ```yaml
/// - id: moon
///   circle: { radius: 20 }
///   position: [960, 540]
///   animate: [{ orbit: { radius: [300, 300], speed: [1, 1] } }]
/// ```
///
/// Every pass is a closed form of the frame's time and the scene's seed, so any frame
/// renders on its own. See `README.md` beside this file for each pass and its parameters.
public struct MotionPlugin: ReelPlugin {
    public let name = "motion"
    public let version = "0.2.0"
    public var contributions: [any PluginContribution] {
        [Orbit(), Wiggle(), FollowPath(), Stagger(), Repeat(), Typewriter(), Particles()]
    }

    public init() {}
}
