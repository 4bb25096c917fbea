/// Fills: a colour, or a linear or radial gradient with its stops.
extension SceneReader {
    func paint(_ node: SourceNode, path: String) -> Paint? {
        if case .scalar = node { return color(node, path: path).map { .solid($0) } }
        guard case let .mapping(entries, _) = node, entries.count == 1, let entry = entries.first,
              entry.key == Paint.LinearKeys.name || entry.key == Paint.RadialKeys.name else {
            if case let .mapping(entries, _) = node, let key = entries.first?.key, entries.count == 1 {
                report(.unknownKey, "unknown paint '\(key)'; a paint is a colour, { linear: … } or { radial: … }",
                       at: node, path: path, suggestion: nearestName(to: key, in: [Paint.LinearKeys.name, Paint.RadialKeys.name]))
            } else {
                report(.typeMismatch, "expected a colour, { linear: { from, to, stops } } or { radial: { center, radius, stops } }, found \(node.foundDescription)", at: node, path: path)
            }
            return nil
        }
        let p = Self.join(path, entry.key)
        if entry.key == Paint.LinearKeys.name {
            typealias Keys = Paint.LinearKeys
            guard let g = fields(entry.value, path: p, keys: Keys.all) else { return nil }
            let from = requiredValue(Keys.from, in: g, at: p)
            let to = requiredValue(Keys.to, in: g, at: p)
            let stops = g[Keys.stops.key].flatMap { gradientStops($0, path: Self.join(p, Keys.stops.key)) }
            guard let from, let to, let stops else { return nil }
            return .linear(from: from, to: to, stops: stops)
        }
        typealias Keys = Paint.RadialKeys
        guard let g = fields(entry.value, path: p, keys: Keys.all) else { return nil }
        let center = value(Keys.center, in: g, at: p)
        let radius = requiredValue(Keys.radius, in: g, at: p)
        let stops = g[Keys.stops.key].flatMap { gradientStops($0, path: Self.join(p, Keys.stops.key)) }
        guard let center, let radius, let stops else { return nil }
        return .radial(center: center, radius: radius, stops: stops)
    }

    func gradientStops(_ node: SourceNode, path: String) -> [GradientStop]? {
        guard case let .sequence(items, _) = node, items.count >= 2 else {
            report(.typeMismatch, "expected at least two stops like [[0, \"#ffffff\"], [1, \"#000000\"]], found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        var stops: [GradientStop] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard case let .sequence(parts, _) = item, parts.count == 2 else {
                report(.typeMismatch, "expected a stop [offset, colour], found \(item.foundDescription)", at: item, path: p)
                return nil
            }
            guard let offset = double(parts[0], path: p + "[0]", in: 0...1), let c = color(parts[1], path: p + "[1]") else { return nil }
            if let last = stops.last, offset < last.offset {
                report(.outOfRange, "stop offsets must not decrease (\(offset.clean) comes after \(last.offset.clean))", at: parts[0], path: p + "[0]")
                return nil
            }
            stops.append(GradientStop(offset: offset, color: c))
        }
        return stops
    }
}
