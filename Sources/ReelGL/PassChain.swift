import ReelCore

/// Runs a list of post-pass uses over a picture, each pass reading the one before; shared
/// by scene-level `passes:` (over the frame) and per-layer `effects:` (over the layer).
struct PassChain {
    let plugins: PluginRegistry
    let gl: PassGL
    let assets: AssetLoader?

    /// Where a chain runs: the frame's facts plus the parts an effect can read.
    struct Site {
        var state: FrameState
        /// `passes` or `layer:<id>.effects`, the prefix of each use's key.
        var key: String
        var width: Int
        var height: Int
        var partCount = 0
        var part: (Int) throws -> PassImage = { _ in throw ReelError(.passInput, "no parts") }
    }

    /// The result of the last pass that ran (`source()` when none did). Uses whose plugin is
    /// not loaded are skipped and named in `skipped`.
    func run(_ uses: [ResolvedPluginUse], at site: Site, source: @escaping () throws -> PassImage,
             skipped: inout Set<String>) throws -> PassImage {
        var current: (() throws -> PassImage) = source
        for (index, use) in uses.enumerated() {
            guard let pass = plugins.contribution(use.name, kind: .pass) as? any PostPass else {
                skipped.insert("post pass \(use.name) (its plugin is not loaded)")
                continue
            }
            let useKey = "\(site.key)[\(index)]"
            let input = PassInput(frame: site.state.frame, time: site.state.time, fps: site.state.fps, width: site.width,
                                  height: site.height, pixelScale: site.state.pixelScale, seed: site.state.seed, useKey: useKey,
                                  parameters: use.parameters, assets: assets, partCount: site.partCount,
                                  source: current, part: site.part)
            let result: PassImage
            do {
                result = try pass.apply(input, gl: gl)
            } catch let error as ReelError {
                throw error.adding(context: "\(use.name) (\(useKey))")
            }
            current = { result }
        }
        return try current()
    }
}
