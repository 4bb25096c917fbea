/// Turns a scene and a frame number into a `FrameState`.
///
/// A pure function: no clock, no global state. The same scene and frame give the same
/// state on any machine, in any order, which is what lets a frame range render anywhere.
public enum Timeline {
    /// The state of `scene` at `frame` (time `frame / fps`). Values hold before the first
    /// keyframe and after the last, so frames outside the scene still evaluate.
    ///
    /// Each layer's `animate` passes found in `plugins` run after its keyframes, in order;
    /// uses the registry lacks stay in `LayerState.animate` for the renderer to report.
    public static func evaluate(_ scene: Scene, frame: Int, plugins: PluginRegistry = .empty) -> FrameState {
        let time = Double(frame) / scene.canvas.fps
        let moment = Moment(time: time, frame: frame, fps: scene.canvas.fps,
                            canvasSize: Vec2(Double(scene.canvas.width), Double(scene.canvas.height)),
                            seed: scene.seed, plugins: plugins, budget: EvaluationBudget(layers: evaluationBudget))
        var state = FrameState(frame: frame, time: time, width: scene.canvas.width, height: scene.canvas.height,
                               background: scene.canvas.background, samples: scene.canvas.samples,
                               layers: evaluate(scene.layers, at: moment), passes: scene.passes.map { resolve($0, at: time) })
        (state.fps, state.seed) = (scene.canvas.fps, scene.seed)
        state.evaluationStoppedAt = moment.budget.stoppedAt
        // The camera is the root of the layer tree: one transform over everything.
        if let camera = scene.camera { state.transformRoot(by: camera.view(at: time, canvas: scene.canvas)) }
        return state
    }

    /// Most layer states one frame may make, evaluated or copied: animation passes that copy
    /// layers (`motion.repeat`, nested in another, with a delay that evaluates each copy at
    /// its own time) multiply the work and the memory, so both are counted and evaluation
    /// stops rather than run for hours or exhaust memory.
    public static let evaluationBudget = 500_000

    /// Counts layer evaluations within one `evaluate` call (never shared between calls).
    final class EvaluationBudget: @unchecked Sendable {
        var remaining: Int
        /// The layer whose evaluation found the budget spent.
        var stoppedAt: String?
        init(layers: Int) { remaining = layers }
    }

    /// What evaluating one frame needs beside the scene.
    struct Moment: Sendable {
        var time: Double
        var frame: Int
        var fps: Double
        var canvasSize: Vec2
        var seed: UInt64
        var plugins: PluginRegistry
        var budget: EvaluationBudget

        /// The same scene at another time; the frame is the one whose interval holds it
        /// (the small bias keeps `k / fps` on frame k despite rounding).
        func at(time other: Double) -> Moment {
            var moment = self
            moment.time = other
            let frame = (other * fps + 1e-6).rounded(.down)
            moment.frame = abs(frame) < 1e15 ? Int(frame) : 0
            return moment
        }
    }

    static func evaluate(_ layers: [Layer], at moment: Moment) -> [LayerState] {
        let maskSources = Set(layers.compactMap { $0.mask?.layer })
        var states: [LayerState] = []
        states.reserveCapacity(layers.count)
        for layer in layers where layer.visible && !maskSources.contains(layer.id) {
            guard var state = evaluate(layer, at: moment) else { continue }
            if let mask = layer.mask {
                let source = layers.first { $0.id == mask.layer }.flatMap { evaluate($0, at: moment) }
                state.mask = MaskState(source: source.map { [$0] } ?? [], mode: mask.mode, invert: mask.invert)
            }
            states.append(state)
        }
        return states
    }

    /// One layer at `time`; nil when it is outside its lifespan or fully transparent.
    /// A mask source is evaluated even when hidden: hiding it is how users keep it from
    /// showing on its own.
    static func evaluate(_ layer: Layer, at moment: Moment) -> LayerState? {
        guard let state = evaluateKeyframes(layer, at: moment) else { return nil }
        return applyPasses(state, of: layer, at: moment, count: state.animate.count)
    }

    /// Runs the first `count` of the layer's `animate` passes over `state`; uses the registry
    /// lacks stay in `animate` for the renderer to report.
    ///
    /// Each pass can ask for the layer at another time (`AnimationContext.layer(at:)`): the
    /// answer runs only the passes before it, so no pass ever recurses into itself.
    static func applyPasses(_ state: LayerState, of layer: Layer, at moment: Moment, count: Int) -> LayerState {
        var state = state
        let uses = state.animate.prefix(count)
        var unapplied: [ResolvedPluginUse] = []
        var childIDs: [String]?
        for (index, use) in uses.enumerated() {
            guard let pass = moment.plugins.animationPass(use.name) else {
                unapplied.append(use)
                continue
            }
            if childIDs == nil { childIDs = drawableChildIDs(layer) }
            let context = AnimationContext(frame: moment.frame, time: moment.time, fps: moment.fps, canvasSize: moment.canvasSize,
                                           seed: moment.seed, layerID: layer.id, parameters: use.parameters,
                                           childIDs: childIDs ?? []) { time in
                let other = moment.at(time: time)
                guard let before = evaluateKeyframes(layer, at: other, hiding: false) else { return nil }
                return applyPasses(before, of: layer, at: other, count: index)
            }
            pass.animate(&state, in: context)
            // What the pass made counts too: copies share storage until drawn, but drawing
            // (and the next pass) walks every one of them.
            let made = state.nodeCount(upTo: moment.budget.remaining + 1) - 1
            moment.budget.remaining -= made
            if moment.budget.remaining <= 0 {
                if moment.budget.stoppedAt == nil { moment.budget.stoppedAt = layer.id }
                state.content = .group([])
                break
            }
        }
        state.animate = unapplied
        return state
    }

    /// The ids `evaluate(_ layers:)` may draw of a group's children.
    static func drawableChildIDs(_ layer: Layer) -> [String] {
        guard case let .group(children) = layer.content else { return [] }
        let maskSources = Set(children.compactMap { $0.mask?.layer })
        return children.filter { $0.visible && !maskSources.contains($0.id) }.map(\.id)
    }

    /// The layer's keyframed state; nil when `hiding` and it is outside its lifespan or fully
    /// transparent.
    static func evaluateKeyframes(_ layer: Layer, at moment: Moment, hiding: Bool = true) -> LayerState? {
        guard moment.budget.remaining > 0 else {
            if moment.budget.stoppedAt == nil { moment.budget.stoppedAt = layer.id }
            return nil
        }
        moment.budget.remaining -= 1
        let time = moment.time
        if hiding, let inTime = layer.inTime, time < inTime { return nil }
        if hiding, let outTime = layer.outTime, time >= outTime { return nil }
        let opacity = min(max(layer.opacity.value(at: time), 0), 1)
        guard opacity > 0 || !hiding else { return nil }

        let skew = layer.skew.value(at: time)
        let transform = Affine2D.translation(layer.position.value(at: time))
            * .rotation(degrees: layer.rotation.value(at: time))
            * .skew(degrees: skew)
            * .scale(layer.scale.value(at: time))
            * .translation(.zero - layer.anchor.value(at: time))

        let content: ContentState
        switch layer.content {
        case let .rect(size, cornerRadius):
            let s = size.value(at: time)
            content = .rect(halfSize: Vec2(abs(s.x) / 2, abs(s.y) / 2), cornerRadius: max(0, cornerRadius.value(at: time)))
        case let .ellipse(radii):
            let r = radii.value(at: time)
            content = .ellipse(radii: Vec2(abs(r.x), abs(r.y)))
        case let .polygon(sides, radius):
            content = .polygon(sides: sides, radius: radius.value(at: time))
        case let .star(points, outer, inner):
            content = .star(points: points, outerRadius: outer.value(at: time), innerRadius: inner.value(at: time))
        case let .line(from, to):
            content = .line(from: from.value(at: time), to: to.value(at: time))
        case let .path(data, rule):
            content = .path(data.value(at: time), fillRule: rule)
        case let .text(text):
            content = .text(TextState(text: text.text.value(at: time), fontFamily: text.font.family,
                                      fontSize: text.font.size.value(at: time), fontWeight: text.font.weight,
                                      italic: text.font.italic, align: text.align, lineHeight: text.lineHeight.value(at: time),
                                      letterSpacing: text.letterSpacing.value(at: time)))
        case let .image(image):
            content = .image(ImageState(asset: image.asset, size: image.size?.value(at: time), fit: image.fit, radius: image.radius.value(at: time)))
        case let .video(video):
            let clipTime = video.start + (time - (layer.inTime ?? 0)) * video.speed
            content = .video(VideoState(asset: video.asset, size: video.size?.value(at: time), fit: video.fit,
                                        clipTime: clipTime, loop: video.loop))
        case let .group(children):
            content = .group(evaluate(children, at: moment))
        case let .shader(shader):
            content = .shader(resolve(shader.shader, at: time), size: shader.size?.value(at: time) ?? Vec2(-1, -1))
        }

        let stroke = layer.stroke.flatMap { s -> StrokeState? in
            let width = s.width.value(at: time)
            guard width > 0 else { return nil }
            return StrokeState(color: s.color.value(at: time), width: width, cap: s.cap, join: s.join,
                               miterLimit: s.miterLimit.value(at: time), dash: s.dash?.value(at: time).values,
                               dashOffset: s.dashOffset.value(at: time))
        }
        let trim = layer.trim.map { TrimState(start: $0.start.value(at: time), end: $0.end.value(at: time), offset: $0.offset.value(at: time)) }
        return LayerState(id: layer.id, content: content, transform: transform, opacity: opacity,
                          fill: layer.fill?.value(at: time), stroke: stroke, trim: trim, blend: layer.blend,
                          effects: layer.effects.map { resolve($0, at: time) },
                          animate: layer.animate.map { resolve($0, at: time) })
    }

    static func resolve(_ use: PluginUse, at time: Double) -> ResolvedPluginUse {
        ResolvedPluginUse(name: use.name, parameters: use.parameters.mapValues { $0.resolved(at: time) })
    }
}
