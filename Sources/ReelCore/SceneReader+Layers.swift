/// Layer lists and each layer's common properties; what a layer draws is read by
/// `content` (SceneReader+Content.swift).
extension SceneReader {
    func layers(_ node: SourceNode, path: String, idPrefix: String = "layer") -> [Layer] {
        guard case let .sequence(items, _) = node else {
            report(.typeMismatch, "expected a list of layers, found \(node.foundDescription)", at: node, path: path)
            return []
        }
        guard items.count <= limits.maxLayers, layerIDs.count + items.count <= limits.maxLayers else {
            report(.limitExceeded, "more than \(limits.maxLayers) layers", at: node, path: path)
            return []
        }
        var layers: [Layer] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let layer = layer(item, defaultID: "\(idPrefix)\(index)", path: itemPath) else { continue }
            if let previous = layerIDs[layer.id] {
                report(.duplicateID, "layer id '\(layer.id)' is already used by \(previous); ids must be unique in a scene", at: item, path: itemPath + ".id")
            }
            layerIDs[layer.id] = itemPath
            layerLocations[layer.id] = item.location
            layers.append(layer)
        }
        // Masks name siblings: check once the whole list is known.
        for (index, layer) in layers.enumerated() {
            guard let mask = layer.mask else { continue }
            let itemNode = items.indices.contains(index) ? items[index] : node
            if mask.layer == layer.id {
                report(.mask, "a layer cannot mask itself", at: itemNode, path: "\(path)[\(index)].mask")
            } else if !layers.contains(where: { $0.id == mask.layer }) {
                report(.mask, "mask layer '\(mask.layer)' is not in the same list; a mask must be a sibling layer", at: itemNode,
                       path: "\(path)[\(index)].mask", suggestion: nearestName(to: mask.layer, in: layers.map(\.id)))
            }
        }
        return layers
    }

    func layer(_ node: SourceNode, defaultID: String, path: String) -> Layer? {
        typealias Keys = Layer.Keys
        let kindKeys = LayerKind.all.map(\.name)
        let textKeys = TextContent.Keys.all.map(\.description.key)
        let allowed = Keys.all.map(\.description.key) + kindKeys + textKeys
        guard let f = fields(node, path: path, allowed: allowed, required: [], reportUnknown: false) else { return nil }

        for entry in f.entries where !allowed.contains(entry.key) { reportUnknownKey(entry, path: path, allowed: allowed) }
        let kinds = f.entries.filter { kindKeys.contains($0.key) }
        guard kinds.count == 1, let kind = LayerKind.all.first(where: { $0.name == kinds[0].key }) else {
            if kinds.isEmpty {
                let hasTypo = f.entries.contains { !allowed.contains($0.key) && nearestName(to: $0.key, in: kindKeys) != nil }
                if !hasTypo {
                    report(.layerKind, "the layer has no kind; give it one of: \(kindKeys.joined(separator: ", "))", at: node, path: path)
                }
            } else {
                report(.layerKind, "the layer has \(kinds.count) kinds (\(kinds.map(\.key).joined(separator: ", "))); a layer is exactly one kind", at: node, path: path)
            }
            return nil
        }
        if kind != .text {
            for entry in f.entries where textKeys.contains(entry.key) {
                report(.unknownKey, "'\(entry.key)' applies only to text layers", at: .scalar(entry.key, plain: true, entry.keyLocation), path: path)
            }
        }

        var id = defaultID
        let idPath = Self.join(path, Keys.id.key)
        if let idNode = f[Keys.id.key], let text = string(idNode, path: idPath) {
            if text.isEmpty || text.contains(where: { $0.isWhitespace }) {
                report(.outOfRange, "a layer id must be non-empty and contain no spaces", at: idNode, path: idPath)
            }
            id = text
        }

        let content = self.content(kind, node: kinds[0].value, layer: f, id: id, path: path)
        let position = animated(Keys.position, in: f, at: path)
        let anchor = animated(Keys.anchor, in: f, at: path)
        let scale = animated(Keys.scale, in: f, at: path)
        let rotation = animated(Keys.rotation, in: f, at: path)
        let skew = animated(Keys.skew, in: f, at: path)
        let opacity = animated(Keys.opacity, in: f, at: path)
        let stroke = f[Keys.stroke.key].map { self.stroke($0, path: Self.join(path, Keys.stroke.key)) } ?? .some(nil)
        var hasStroke = false
        if case .some(.some) = stroke { hasStroke = true }
        // Shapes need some paint to be seen: white unless stroked. Lines draw only strokes;
        // pictures need no paint.
        var fill: Animatable<Paint>?? = (hasStroke || kind.paintless) ? .some(nil) : .some(.constant(Keys.defaultFill))
        if let fillNode = f[Keys.fill.key] {
            if case let .scalar(text, _, _) = fillNode, text == "none" {
                fill = .some(nil)
            } else {
                fill = animatable(fillNode, path: Self.join(path, Keys.fill.key), compatible: { a, b in
                    a.interpolates(with: b) ? nil : "cannot blend a \(a.kindName) into a \(b.kindName); keyframed gradients need the same kind and number of stops"
                }) { self.paint($0, path: $1) }.map { .some($0) }
            }
        }
        var finalStroke = stroke
        if kind == .line, f[Keys.stroke.key] == nil {
            // A line is drawn by its stroke; without one it would be invisible.
            finalStroke = .some(Stroke.line)
        }
        let trim = f[Keys.trim.key].map { self.trim($0, path: Self.join(path, Keys.trim.key)) } ?? .some(nil)
        let blend = value(Keys.blend, in: f, at: path)
        // A bad lifespan or visibility is reported; the layer is read on without it.
        let inTime = value(Keys.inTime, in: f, at: path) ?? nil
        let outTime = value(Keys.outTime, in: f, at: path) ?? nil
        if let inTime, let outTime, outTime <= inTime, let outNode = f[Keys.outTime.key] {
            report(.outOfRange, "the layer's out time (\(formatSeconds(outTime))s) must come after its in time (\(formatSeconds(inTime))s)",
                   at: outNode, path: Self.join(path, Keys.outTime.key))
        }
        let visible = value(Keys.visible, in: f, at: path) ?? Keys.visible.defaultValue
        let mask = f[Keys.mask.key].map { self.mask($0, path: Self.join(path, Keys.mask.key)) } ?? .some(nil)
        let effects = f[Keys.effects.key].map { pluginUses($0, kind: .pass, path: Self.join(path, Keys.effects.key)) } ?? []
        let animate = f[Keys.animate.key].map { pluginUses($0, kind: .animation, path: Self.join(path, Keys.animate.key)) } ?? []

        guard let content, let position, let anchor, let scale, let rotation, let skew, let opacity, let finalStroke,
              let fill, let trim, let blend, let mask else { return nil }
        return Layer(id: id, content: content, position: position, anchor: anchor, scale: scale, rotation: rotation, skew: skew,
                     opacity: opacity, fill: fill, stroke: finalStroke, trim: trim, blend: blend, inTime: inTime, outTime: outTime,
                     visible: visible, mask: mask, effects: effects, animate: animate)
    }

    /// `mask: sibling` (the declared defaults for the rest) or `{ layer, mode, invert }`.
    func mask(_ node: SourceNode, path: String) -> Mask?? {
        typealias Keys = Mask.Keys
        if case .scalar = node {
            return string(node, path: path).map { .some(Mask(layer: $0)) }
        }
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        let layer = requiredValue(Keys.layer, in: f, at: path)
        let mode = value(Keys.mode, in: f, at: path)
        let invert = value(Keys.invert, in: f, at: path)
        guard let layer, let mode, let invert else { return nil }
        return .some(Mask(layer: layer, mode: mode, invert: invert))
    }
}
