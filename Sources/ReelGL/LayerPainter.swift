import CEGL
import Foundation
import ReelCore

/// Draws a frame's layer tree: plain shapes batched into instanced SDF draws, everything else
/// through the path renderer, and layers that must be seen as one (group opacity, blend
/// modes, masks) drawn offscreen and composited.
final class LayerPainter {
    private let context: GLContext
    private let shapes: ShapeRenderer
    private let paths: PathRenderer
    private let compositor: Compositor
    private let pool: TargetPool
    private let assets: AssetLoader?
    private let shaper: TextShaper?
    private let chain: PassChain
    private var state: FrameState?
    private var textures: [String: GLTexture] = [:]
    private var batch: [ShapeItem] = []
    private var canvas = (0, 0)
    private var samples = 1
    /// Features met but not drawn, e.g. "text layers".
    private(set) var skipped: Set<String> = []
    /// The pixels drawing is limited to now (`LayerBounds`); nil for the whole target.
    private var scissor: PixelRect?

    /// Chord tolerance for curves, in pixels.
    static let tolerance = 0.2

    init(context: GLContext, assets: AssetLoader?, shaper: TextShaper?, chain: PassChain) throws {
        self.context = context
        self.assets = assets
        self.shaper = shaper
        self.chain = chain
        shapes = try ShapeRenderer(context: context)
        paths = try PathRenderer(context: context)
        compositor = try Compositor(context: context)
        pool = TargetPool(context: context)
    }

    /// Draws `state`'s layers into `target`, which must be in a pass.
    func paint(_ state: FrameState, into target: FrameTarget) throws {
        canvas = (state.width, state.height)
        samples = target.samples
        self.state = state
        defer { self.state = nil }
        try paint(state.layers, into: target, transform: .identity)
    }

    private func paint(_ layers: [LayerState], into target: FrameTarget, transform parent: Affine2D) throws {
        for layer in layers {
            let transform = parent * layer.transform
            for use in layer.animate { skipped.insert("animation pass \(use.name) (its plugin is not loaded)") }
            if needsIsolation(layer) {
                flush()
                try isolate(layer, parent: parent, onto: target)
                continue
            }
            if case let .group(children) = layer.content {
                try paint(children, into: target, transform: transform)
                continue
            }
            if let item = sdfItem(layer, transform: transform) {
                batch.append(item)
                continue
            }
            flush()
            if case let .image(image) = layer.content {
                let texture = try texture(for: image.asset, layer: layer.id)
                drawPicture(texture, box: image.size, fit: image.fit, radius: image.radius, opacity: layer.opacity, transform: transform)
                continue
            }
            if case let .video(video) = layer.content {
                let texture = try videoTexture(video, layer: layer.id)
                drawPicture(texture, box: video.size, fit: video.fit, opacity: layer.opacity, transform: transform)
                continue
            }
            if case let .shader(use, size) = layer.content {
                try drawShaderLayer(layer, use: use, size: size, transform: transform, target: target)
                continue
            }
            try target.ensureStencil()
            try drawOutline(layer, transform: transform, opacity: layer.opacity)
        }
        flush()
    }

    // MARK: - Text

    /// The combined adjustment of one glyph: a transform about its origin and an opacity.
    static func adjustment(for glyph: ShapedGlyph, _ adjustments: [GlyphAdjustment]) -> (Affine2D, Double) {
        var offset = Vec2.zero, scale = 1.0, rotation = 0.0, opacity = 1.0
        for a in adjustments where a.characters.contains(glyph.cluster) {
            offset = offset + a.offset
            scale *= a.scale
            rotation += a.rotation
            opacity *= a.opacity
        }
        let transform = Affine2D.translation(glyph.origin + offset) * .rotation(degrees: rotation)
            * .scale(Vec2(scale, scale)) * .translation(.zero - glyph.origin)
        return (transform, min(max(opacity, 0), 1))
    }

    static func transformed(_ path: PathData, _ t: Affine2D) -> PathData {
        if t == .identity { return path }
        return PathData(commands: path.commands.map { command in
            switch command {
            case let .move(p): return .move(t.apply(p))
            case let .line(p): return .line(t.apply(p))
            case let .cubic(a, b, c): return .cubic(t.apply(a), t.apply(b), t.apply(c))
            case .close: return .close
            }
        })
    }

    private func shape(_ text: TextState, layer: String) throws -> ShapedText {
        guard let shaper else {
            throw ReelError(.textFont, "layer '\(layer)': no text shaper was given to the renderer")
        }
        do {
            return try shaper.shape(text)
        } catch let error as ReelError {
            throw error.adding(context: "layer '\(layer)'")
        }
    }

    // MARK: - Images

    private func texture(for asset: String, layer: String) throws -> GLTexture {
        if let cached = textures[asset] { return cached }
        guard let assets else {
            throw ReelError(.imageAsset, "layer '\(layer)': no asset loader was given to the renderer for image '\(asset)'")
        }
        let image: RGBAImage
        do {
            image = try assets.image(named: asset)
        } catch let error as ReelError {
            throw error.adding(context: "layer '\(layer)'", code: .imageAsset)
        }
        let texture = try context.makeMipmappedTexture(label: "reel.asset.\(asset)", image: image)
        textures[asset] = texture
        return texture
    }

    /// The frame of a video layer, uploaded into the layer's own texture.
    private func videoTexture(_ video: VideoState, layer: String) throws -> GLTexture {
        guard let assets else {
            throw ReelError(.imageAsset, "layer '\(layer)': no asset loader was given to the renderer for video '\(video.asset)'")
        }
        let frame: RGBAImage
        do {
            frame = try assets.videoFrame(named: video.asset, at: video.clipTime, loop: video.loop)
        } catch let error as ReelError {
            throw error.adding(context: "layer '\(layer)'")
        }
        let key = "video:" + layer
        if let existing = textures[key], existing.width == frame.width, existing.height == frame.height {
            try context.update(existing, with: frame)
            return existing
        }
        textures[key]?.release()
        let texture = try context.makeMipmappedTexture(label: "reel.video.\(layer)", image: frame)
        textures[key] = texture
        return texture
    }

    /// Fits a picture into its box (contain, cover, stretch or its own size), centred on the
    /// layer's origin, and draws the part inside the box with its corners rounded by `radius`.
    private func drawPicture(_ texture: GLTexture, box: Vec2?, fit: Fit, radius: Double = 0, opacity: Double, transform: Affine2D) {
        let natural = Vec2(Double(texture.width), Double(texture.height))
        let box = box ?? natural
        var size: Vec2
        switch fit {
        case .stretch: size = box
        case .none: size = natural
        case .contain, .cover:
            let sx = box.x / natural.x, sy = box.y / natural.y
            let s = fit == .contain ? min(sx, sy) : max(sx, sy)
            size = natural * s
        }
        let imageRect = (Vec2(-size.x / 2, -size.y / 2), size)
        let lo = Vec2(max(-box.x / 2, -size.x / 2), max(-box.y / 2, -size.y / 2))
        let hi = Vec2(min(box.x / 2, size.x / 2), min(box.y / 2, size.y / 2))
        paths.image(texture, region: (lo, hi), imageRect: imageRect, radius: radius, opacity: opacity, transform: transform, canvas: canvas)
    }

    /// Layers whose parts must not show through each other, or that combine with the
    /// backdrop in other ways than normal blending.
    private func needsIsolation(_ layer: LayerState) -> Bool {
        if layer.blend != .normal || layer.mask != nil || !layer.effects.isEmpty { return true }
        if case .group = layer.content { return layer.opacity < 1 }
        return layer.opacity < 1 && layer.fill != nil && layer.stroke != nil
    }

    /// Sets the scissor to `rect` (nil: none) and returns what it was.
    private func setScissor(_ rect: PixelRect?) -> PixelRect? {
        let previous = scissor
        scissor = rect
        if let rect {
            glEnable(GLenum(GL_SCISSOR_TEST))
            glScissor(GLint(rect.x), GLint(rect.y), GLsizei(rect.width), GLsizei(rect.height))
        } else {
            glDisable(GLenum(GL_SCISSOR_TEST))
        }
        return previous
    }

    /// Runs `body` (a pass chain drawing into targets of its own sizes) with no scissor.
    private func withoutScissor<T>(_ body: () throws -> T) rethrows -> T {
        let saved = setScissor(nil)
        defer { _ = setScissor(saved) }
        return try body()
    }

    /// The pixels an isolated layer can change: its own bounds, within its mask's unless the
    /// mask is inverted (outside an inverted mask the layer shows); nil for the whole target.
    private func region(of layer: LayerState, parent: Affine2D, target: FrameTarget) -> PixelRect? {
        let size = (target.width, target.height)
        let shape = { [shaper] (text: TextState) in try? shaper?.shape(text) }
        guard let bounds = LayerBounds.of(layer, parent: parent, shape: shape),
              var rect = PixelRect(covering: bounds, margin: 2, target: size) else { return nil }
        if let mask = layer.mask, !mask.invert {
            var union = Bounds()
            for source in mask.source {
                guard let b = LayerBounds.of(source, parent: parent, shape: shape) else { return rect }
                union.add(b)
            }
            rect = PixelRect(covering: union, margin: 2, target: size).map(rect.intersection) ?? PixelRect(x: 0, y: 0, width: 0, height: 0)
        }
        return rect
    }

    private func isolate(_ layer: LayerState, parent: Affine2D, onto target: FrameTarget) throws {
        // Everything below — clears, drawing, resolves, the backdrop copy and the composite —
        // touches only the pixels the layer can change.
        let full = PixelRect(x: 0, y: 0, width: target.width, height: target.height)
        var limit = region(of: layer, parent: parent, target: target) ?? full
        if let outer = scissor { limit = limit.intersection(outer) }
        if limit.isEmpty { return }  // nothing of it can show; a transparent source leaves the backdrop as it is
        let previousScissor = setScissor(limit == full ? nil : limit)
        defer { _ = setScissor(previousScissor) }
        let layerTarget = try pool.acquire(width: target.width, height: target.height, samples: samples)
        defer { pool.recycle(layerTarget) }
        layerTarget.begin(clear: .transparent)
        var plain = layer
        plain.opacity = 1
        plain.blend = .normal
        plain.mask = nil
        plain.effects = []
        try paint([plain], into: layerTarget, transform: parent)
        try layerTarget.end()
        var parts: [FrameTarget] = []
        defer { for part in parts { pool.recycle(part) } }
        let picture = try applyEffects(layer, picture: layerTarget.texture, parent: parent, parts: &parts)

        var maskTarget: FrameTarget?
        if let mask = layer.mask {
            let m = try pool.acquire(width: target.width, height: target.height, samples: samples)
            m.begin(clear: .transparent)
            try paint(mask.source, into: m, transform: parent)
            try m.end()
            maskTarget = m
        }
        defer { if let maskTarget { pool.recycle(maskTarget) } }

        // The backdrop is read from a resolved copy; a single-sampled target draws into its
        // own texture, so it needs a separate copy.
        var backdrop = target.texture
        var copy: FrameTarget?
        target.resolve()
        if target.samples == 1 {
            let c = try pool.acquire(width: target.width, height: target.height, samples: 1)
            glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), target.resolveFramebuffer.name)
            glBindFramebuffer(GLenum(GL_DRAW_FRAMEBUFFER), c.resolveFramebuffer.name)
            FrameTarget.blitWithinScissor(width: target.width, height: target.height)
            backdrop = c.texture
            copy = c
        }
        defer { if let copy { pool.recycle(copy) } }
        target.bindForDrawing()
        compositor.composite(picture, backdrop: backdrop, mask: maskTarget?.texture,
                             maskMode: layer.mask?.mode ?? .alpha, invert: layer.mask?.invert ?? false,
                             opacity: layer.opacity, blend: layer.blend, size: (target.width, target.height))
    }

    // MARK: - Effects and shader layers

    /// Runs a layer's `effects` over its isolated picture. A group's children are the parts a
    /// pass may read (a transition between two of them), each drawn alone when asked for.
    private func applyEffects(_ layer: LayerState, picture: GLTexture, parent: Affine2D,
                              parts: inout [FrameTarget]) throws -> GLTexture {
        guard !layer.effects.isEmpty, let state else { return picture }
        var children: [LayerState] = []
        if case let .group(list) = layer.content { children = list }
        let groupTransform = parent * layer.transform
        var drawnParts: [FrameTarget] = []
        var site = PassChain.Site(state: state, key: "layer:\(layer.id).effects", width: canvas.0, height: canvas.1)
        site.partCount = children.count
        site.part = { [unowned self] index in
            let target = try pool.acquire(width: canvas.0, height: canvas.1, samples: samples)
            drawnParts.append(target)
            target.begin(clear: .transparent)
            try paint([children[index]], into: target, transform: groupTransform)
            try target.end()
            return PassImage(target.texture)
        }
        let result = try withoutScissor { try chain.run(layer.effects, at: site, source: { PassImage(picture) }, skipped: &skipped) }
        parts += drawnParts
        return result.texture
    }

    /// A `shader:` layer: the shader draws the layer's box at its on-screen size, and the
    /// picture is placed like an image.
    private func drawShaderLayer(_ layer: LayerState, use: ResolvedPluginUse, size: Vec2, transform: Affine2D,
                                 target: FrameTarget) throws {
        guard let shader = chain.plugins.contribution(use.name, kind: .layer) as? any LayerShader, let state else {
            skipped.insert("shader layer \(use.name) (its plugin is not loaded)")
            return
        }
        let box = size.x > 0 && size.y > 0 ? size : Vec2(Double(canvas.0), Double(canvas.1)) * (1 / state.pixelScale)
        let scale = max(abs(transform.determinant).squareRoot(), 1e-6)
        let limit = Double(max(canvas.0, canvas.1) * 2)
        let width = Int(min(max((box.x * scale).rounded(), 1), limit)), height = Int(min(max((box.y * scale).rounded(), 1), limit))
        let input = PassInput(frame: state.frame, time: state.time, fps: state.fps, width: width, height: height, pixelScale: scale,
                              seed: state.seed, useKey: "layer:\(layer.id)", parameters: use.parameters, assets: assets,
                              source: { [chain] in
                                  let blank = try chain.gl.target(width: width, height: height)
                                  chain.gl.clear(blank)
                                  return blank.image
                              })
        let picture: PassImage
        do {
            picture = try withoutScissor { try shader.draw(input, gl: chain.gl) }
        } catch let error as ReelError {
            throw error.adding(context: "layer '\(layer.id)' (\(use.name))")
        }
        // The shader drew into its own targets; drawing goes on in this one.
        target.bindForDrawing()
        drawPicture(picture.texture, box: box, fit: .stretch, opacity: layer.opacity, transform: transform)
    }

    // MARK: - Shapes

    /// The instanced fast path: rects and ellipses with solid paint and strokes whose corners
    /// the distance field draws exactly (rounded rects, round joins, ellipses).
    private func sdfItem(_ layer: LayerState, transform: Affine2D) -> ShapeItem? {
        guard layer.trim == nil else { return nil }
        var fill: Color?
        switch layer.fill {
        case let .solid(color)?: fill = color
        case nil: break
        default: return nil
        }
        let geometry: ShapeItem.Geometry
        switch layer.content {
        case let .rect(halfSize, radius):
            if let stroke = layer.stroke, radius <= 0, stroke.join != .round { return nil }
            geometry = .rect(halfSize: halfSize, cornerRadius: radius)
        case let .ellipse(radii):
            geometry = .ellipse(radii: radii)
        default:
            return nil
        }
        var stroke: (Color, Double)?
        if let s = layer.stroke {
            guard s.dash == nil else { return nil }
            var color = s.color
            color.alpha *= layer.opacity
            stroke = (color, s.width)
        }
        fill?.alpha *= layer.opacity
        guard fill != nil || stroke != nil else { return nil }
        return ShapeItem(layerID: layer.id, geometry: geometry, transform: transform, fill: fill, stroke: stroke)
    }

    private func flush() {
        guard !batch.isEmpty else { return }
        do {
            try shapes.draw(batch, canvasWidth: canvas.0, canvasHeight: canvas.1)
        } catch {
            skipped.insert("shapes (\(error))")
        }
        batch.removeAll(keepingCapacity: true)
    }

    /// Fill and stroke of any outline through stencil-then-cover.
    private func drawOutline(_ layer: LayerState, transform: Affine2D, opacity: Double) throws {
        let outline: PathData
        var rule = FillRule.nonzero
        var fillable = true
        switch layer.content {
        case let .rect(halfSize, radius): outline = ShapeOutlines.rect(halfSize: halfSize, cornerRadius: radius)
        case let .ellipse(radii): outline = ShapeOutlines.ellipse(radii: radii)
        case let .polygon(sides, radius): outline = ShapeOutlines.polygon(sides: sides, radius: radius)
        case let .star(points, outer, inner): outline = ShapeOutlines.star(points: points, outer: outer, inner: inner)
        case let .line(from, to):
            outline = ShapeOutlines.line(from: from, to: to)
            fillable = false
        case let .path(data, fillRule):
            outline = data
            rule = fillRule
        case let .text(text):
            let shaped = try shape(text.layoutKey, layer: layer.id)
            guard !text.glyphAdjustments.isEmpty else {
                outline = shaped.outline
                break
            }
            // Glyphs drawn with the same opacity fill together; each glyph is moved first.
            var groups: [Double: [PathData.Command]] = [:]
            for glyph in shaped.glyphs {
                let (transform, alpha) = Self.adjustment(for: glyph, text.glyphAdjustments)
                guard alpha > 0 else { continue }
                groups[alpha, default: []] += Self.transformed(glyph.outline, transform).commands
            }
            for (alpha, commands) in groups.sorted(by: { $0.key < $1.key }) {
                var part = layer
                part.content = .path(PathData(commands: commands), fillRule: .nonzero)
                try drawOutline(part, transform: transform, opacity: opacity * alpha)
            }
            return
        default:
            skipped.insert("\(layer.content.kindName) layers")
            return
        }
        let scale = max(abs(transform.determinant).squareRoot(), 1e-9)
        let tolerance = Self.tolerance / scale
        let lines = PathFlattening.flatten(outline, tolerance: tolerance)
        if fillable, let fill = layer.fill {
            paths.fill(lines, rule: rule, paint: fill, opacity: opacity, transform: transform, canvas: canvas)
        }
        if let stroke = layer.stroke {
            var stroked = lines
            if let trim = layer.trim { stroked = PathFlattening.trim(stroked, start: trim.start, end: trim.end, offset: trim.offset) }
            if let dash = stroke.dash { stroked = PathFlattening.dash(stroked, pattern: dash, offset: stroke.dashOffset) }
            // Strokes thinner than a pixel are drawn a pixel wide and fainter, never lost.
            let minimum = 1 / scale
            let width = max(stroke.width, minimum)
            var color = stroke.color
            color.alpha *= stroke.width / width
            let tessellator = StrokeTessellator(halfWidth: width / 2, join: stroke.join, cap: stroke.cap,
                                                miterLimit: stroke.miterLimit, tolerance: tolerance)
            paths.stroke(tessellator.triangles(stroked), color: color, opacity: opacity, transform: transform, canvas: canvas)
        }
    }

    func release() {
        shapes.release()
        paths.release()
        compositor.release()
        pool.release()
        for texture in textures.values { texture.release() }
        textures.removeAll()
    }
}
