/// What drawing one frame will cost, estimated from its `FrameState` before anything is
/// drawn, so a frame over the limits is refused with a message instead of exhausting
/// memory or running for minutes.
///
/// Evaluation is cheap even when animation passes multiply layers (copies share storage);
/// drawing is not: every copy is tessellated, every isolated layer fills a full-size
/// offscreen target. The walk stops at the first limit crossed, so it costs at most what the
/// limits allow, however many copies the state stands for.
public struct FrameCost: Sendable, Hashable {
    /// Shapes, pictures, shader layers and text layers drawn.
    public var items = 0
    /// Glyphs drawn, every text copy counted.
    public var glyphs = 0
    /// Pixel-samples filled in offscreen targets and post passes.
    public var drawCost = 0
    /// Most offscreen target bytes held at once.
    public var peakTargetBytes = 0

    /// Which limit a frame crossed, and the layer whose drawing crossed it.
    public struct Excess: Error, Sendable, Hashable {
        public var message: String
        /// The id of the top-level layer being counted when the limit was crossed; nil for
        /// the frame's own passes.
        public var layer: String?
    }

    /// Measures `state` as drawn at `width` × `height` (the output size; the state may still
    /// be at canvas size).
    /// - Throws: `Excess` at the first limit crossed.
    public static func measure(_ state: FrameState, width: Int, height: Int, limits: SceneLimits) throws(Excess) -> FrameCost {
        if let layer = state.evaluationStoppedAt {
            throw Excess(message: "evaluating it makes more than \(Timeline.evaluationBudget) layer states (animation passes that copy layers, such as motion.repeat nested in motion.repeat, multiply them)",
                         layer: layer)
        }
        var walk = Walk(pixels: max(width, 1) * max(height, 1), samples: max(state.samples, 1), limits: limits)
        // The frame's own target, multisampled and resolved.
        walk.cost.drawCost = walk.pixels * walk.samples
        walk.cost.peakTargetBytes = walk.targetBytes(samples: walk.samples)
        let frameTarget = walk.cost.peakTargetBytes
        for layer in state.layers {
            walk.top = layer.id
            try walk.visit(layer, held: frameTarget)
        }
        walk.top = nil
        for _ in state.passes { try walk.add(draw: walk.pixels, "post passes") }
        return walk.cost
    }

    /// Checks frame `state.frame` of `scene` against the scene's limits.
    /// - Throws: `SceneError` with one `E-SCENE-LIMIT` naming the frame and located at the
    ///   layer that crossed the limit, when the scene came from a file.
    public static func check(_ state: FrameState, of scene: Scene, width: Int, height: Int, limits: SceneLimits = SceneLimits()) throws(SceneError) {
        do {
            _ = try measure(state, width: width, height: height, limits: limits)
        } catch {
            let place = error.layer.flatMap { location(of: $0, in: scene) }
                ?? scene.sourcePath.map { SceneLocation(file: $0, line: 1, column: 1) }
            let who = error.layer.map { " (drawing layer '\($0)')" } ?? ""
            throw SceneError(Diagnostic(.limitExceeded, "frame \(state.frame)\(who): \(error.message)",
                                        at: place, path: ""))
        }
    }

    /// Where the layer `id` is written; a copy made by an animation pass (`grid#12`) is found
    /// by the layer it copies.
    public static func location(of id: String, in scene: Scene) -> SceneLocation? {
        var name = Substring(id)
        while true {
            if let location = scene.layerLocations[String(name)] { return location }
            guard let hash = name.lastIndex(of: "#") else { return nil }
            name = name[..<hash]
        }
    }

    private struct Walk {
        let pixels: Int
        let samples: Int
        let limits: SceneLimits
        var cost = FrameCost()
        var top: String?

        func targetBytes(samples: Int) -> Int {
            // RGBA8 colour in every sample, plus the single-sampled texture it resolves to.
            pixels * 4 * (samples + (samples > 1 ? 1 : 0))
        }

        mutating func add(draw: Int, _ what: String) throws(Excess) {
            cost.drawCost += draw
            if cost.drawCost > limits.maxFrameDrawCost {
                throw Excess(message: "\(what) fill more than \(limits.maxFrameDrawCost) pixel-samples offscreen (each group drawn as one, mask and effect fills a full-size target); the limit keeps one frame from running for minutes. Use fewer of them, a smaller canvas or --scale",
                             layer: top)
            }
        }

        mutating func hold(_ bytes: Int) throws(Excess) {
            if bytes > cost.peakTargetBytes { cost.peakTargetBytes = bytes }
            if bytes > limits.maxFrameTargetBytes {
                throw Excess(message: "isolated layers nested this deep hold \(bytes >> 20) MiB of offscreen targets at once; the limit is \(limits.maxFrameTargetBytes >> 20) MiB. Nest fewer groups with opacity, blend modes, masks or effects, or use a smaller canvas",
                             layer: top)
            }
        }

        mutating func count(glyphs n: Int) throws(Excess) {
            cost.glyphs += n
            if cost.glyphs > limits.maxFrameGlyphs {
                throw Excess(message: "more than \(limits.maxFrameGlyphs) glyphs are drawn (every copy of every text layer together)", layer: top)
            }
        }

        mutating func countItem() throws(Excess) {
            cost.items += 1
            if cost.items > limits.maxFrameItems {
                throw Excess(message: "more than \(limits.maxFrameItems) shapes, pictures and texts are drawn (animation passes such as motion.repeat multiply layers, and nested copies multiply again)",
                             layer: top)
            }
        }

        /// Mirrors `LayerPainter.needsIsolation`: what is drawn offscreen and composited.
        static func isIsolated(_ layer: LayerState) -> Bool {
            if layer.blend != .normal || layer.mask != nil || !layer.effects.isEmpty { return true }
            if case .group = layer.content { return layer.opacity < 1 }
            return layer.opacity < 1 && layer.fill != nil && layer.stroke != nil
        }

        mutating func visit(_ layer: LayerState, held: Int) throws(Excess) {
            var held = held
            if Self.isIsolated(layer) {
                // The layer's own target, a mask target, a backdrop copy, and a target per effect.
                let layerBytes = targetBytes(samples: samples)
                held += layerBytes
                try hold(held)
                try add(draw: pixels * samples, "isolated layers")
                if let mask = layer.mask {
                    try hold(held + layerBytes)
                    try add(draw: pixels * samples, "masks")
                    for source in mask.source { try visit(source, held: held + layerBytes) }
                }
                for _ in layer.effects { try add(draw: pixels, "effects") }
            }
            switch layer.content {
            case let .group(children):
                for child in children { try visit(child, held: held) }
            case let .text(text):
                try countItem()
                try count(glyphs: text.text.unicodeScalars.count)
            case let .shader(_, size):
                try countItem()
                // Drawn at its on-screen size, at most twice the canvas a side (as the painter clamps it).
                let w = size.x > 0 ? min(size.x, Double(pixels)) : 1, h = size.y > 0 ? min(size.y, Double(pixels)) : 1
                try add(draw: size.x > 0 && size.y > 0 ? min(Int(w * h), pixels * 4) : pixels, "shader layers")
            default:
                try countItem()
            }
        }
    }
}

extension FrameCost {
    /// Checks the first, middle and last frames of `scene` (what `reel validate` can afford):
    /// a scene whose frames cost about the same throughout is caught before a render starts;
    /// the render itself checks every frame.
    /// - Throws: `SceneError` with the first frame's `E-SCENE-LIMIT`.
    public static func checkSampleFrames(_ scene: Scene, plugins: PluginRegistry, scale: Double = 1,
                                         limits: SceneLimits = SceneLimits()) throws(SceneError) {
        let last = max(scene.canvas.frameCount - 1, 0)
        let width = max(1, Int((Double(scene.canvas.width) * scale).rounded()))
        let height = max(1, Int((Double(scene.canvas.height) * scale).rounded()))
        for frame in Set([0, last / 2, last]).sorted() {
            let state = Timeline.evaluate(scene, frame: frame, plugins: plugins)
            try check(state, of: scene, width: width, height: height, limits: limits)
        }
    }
}
