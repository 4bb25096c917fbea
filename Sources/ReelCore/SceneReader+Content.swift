import Foundation

/// What a layer draws: its kind's own value, read through the kind's declared keys
/// (`LayerKind`). Text is read in SceneReader+Text.swift.
extension SceneReader {
    func content(_ kind: LayerKind, node: SourceNode, layer f: Fields, id: String, path: String) -> LayerContent? {
        let p = Self.join(path, kind.name)
        switch kind {
        case .rect:
            typealias Keys = LayerKind.RectKeys
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            guard let size = required(Keys.size, in: g, at: p), let radius = animated(Keys.radius, in: g, at: p) else { return nil }
            return .rect(size: size, cornerRadius: radius)
        case .circle:
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            return required(LayerKind.CircleKeys.radius, in: g, at: p).map { .ellipse(radii: $0.map { Vec2($0, $0) }) }
        case .ellipse:
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            return required(LayerKind.EllipseKeys.size, in: g, at: p).map { .ellipse(radii: $0.map { $0 * 0.5 }) }
        case .polygon:
            typealias Keys = LayerKind.PolygonKeys
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            let sides = requiredValue(Keys.sides, in: g, at: p)
            let radius = required(Keys.radius, in: g, at: p)
            guard let sides, let radius else { return nil }
            return .polygon(sides: sides, radius: radius)
        case .star:
            typealias Keys = LayerKind.StarKeys
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            let points = requiredValue(Keys.points, in: g, at: p)
            let outer = required(Keys.radius, in: g, at: p)
            // Without an inner radius the valleys sit at half the tips' radius, keyframes and all.
            let inner = animated(Keys.innerRadius, in: g, at: p).map { $0 ?? outer.map { $0.map { $0 * 0.5 } } } ?? nil
            guard let points, let outer, let inner else { return nil }
            return .star(points: points, outerRadius: outer, innerRadius: inner)
        case .line:
            typealias Keys = LayerKind.LineKeys
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            let from = required(Keys.from, in: g, at: p)
            let to = required(Keys.to, in: g, at: p)
            guard let from, let to else { return nil }
            return .line(from: from, to: to)
        case .path:
            typealias Keys = LayerKind.PathKeys
            var dNode = node
            var rule = Keys.fillRule.defaultValue
            if case .mapping = node, !isKeyframes(node) {
                guard let g = fields(node, path: p, keys: kind.keys), let d = g[Keys.d.key] else { return nil }
                dNode = d
                // A bad rule is reported; the path is read on with the default.
                rule = value(Keys.fillRule, in: g, at: p) ?? Keys.fillRule.defaultValue
            }
            let data = animatable(dNode, path: p, compatible: { a, b in
                a.structure == b.structure ? nil : "keyframed paths need the same commands in the same order (\(a.structure) vs \(b.structure))"
            }) { self.pathData($0, path: $1) }
            return data.map { .path($0, fillRule: rule) }
        case .text:
            return text(node, layer: f, path: path)
        case .image, .video:
            typealias Keys = LayerKind.PictureKeys
            typealias Video = LayerKind.VideoKeys
            var asset: String?
            var size: Animatable<Vec2>??
            var fit: Fit? = Keys.fit.defaultValue
            var radius: Animatable<Double>? = .constant(LayerKind.ImageKeys.radius.defaultValue)
            var start = Video.start.defaultValue, speed = Video.speed.defaultValue, loop = Video.loop.defaultValue
            if case .scalar = node {
                asset = assetReference(node, path: p)
                size = .some(nil)
            } else {
                guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
                asset = g[Keys.asset.key].flatMap { assetReference($0, path: Self.join(p, Keys.asset.key)) }
                size = animated(Keys.size, in: g, at: p)
                fit = value(Keys.fit, in: g, at: p)
                radius = animated(LayerKind.ImageKeys.radius, in: g, at: p)
                // Bad playback settings are reported; the clip is read on with the defaults.
                start = value(Video.start, in: g, at: p) ?? Video.start.defaultValue
                speed = value(Video.speed, in: g, at: p) ?? Video.speed.defaultValue
                loop = value(Video.loop, in: g, at: p) ?? Video.loop.defaultValue
            }
            guard let asset, let size, let fit, let radius else { return nil }
            if kind == .video {
                return .video(VideoContent(asset: asset, size: size, fit: fit, start: start, speed: speed, loop: loop))
            }
            return .image(ImageContent(asset: asset, size: size, fit: fit, radius: radius))
        case .group:
            let key = LayerKind.GroupKeys.layers.key
            var list = node
            if case .mapping = node {
                guard let g = fields(node, path: p, keys: kind.keys), let l = g[key] else { return nil }
                list = l
            }
            return .group(layers(list, path: list.location == node.location ? p : Self.join(p, key), idPrefix: id + "."))
        case .shader:
            typealias Keys = LayerKind.ShaderKeys
            guard let g = fields(node, path: p, keys: kind.keys) else { return nil }
            guard let nameNode = g[Keys.name.key], let name = requiredValue(Keys.name, in: g, at: p) else { return nil }
            let use = pluginUse(name: name, nameNode: nameNode, parameters: g[Keys.params.key], kind: .layer, path: p)
            let size = animated(Keys.size, in: g, at: p)
            guard let use, let size else { return nil }
            return .shader(ShaderContent(shader: use, size: size))
        default:
            return nil
        }
    }

    func pathData(_ node: SourceNode, path: String) -> PathData? {
        guard let text = string(node, path: path) else { return nil }
        do {
            return try PathData(svg: text, maxCommands: limits.maxKeyframes)
        } catch {
            var location = node.location
            // Point at the offending character when the scalar sits on one line.
            if !text.contains("\n") { location.column += error.offset + (node.isQuoted ? 1 : 0) }
            report(Diagnostic(.pathData, "bad SVG path data: \(error.message) at character \(error.offset + 1)", at: location, path: path))
            return nil
        }
    }
}
