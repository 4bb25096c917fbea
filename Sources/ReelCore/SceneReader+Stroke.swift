/// Outlines: the stroke (a colour, or a mapping of `Stroke.Keys`), its dash pattern, and
/// `trim`, which draws part of it.
extension SceneReader {
    /// `stroke: "#fff"` (the declared defaults for the rest) or `stroke: { color, width, cap,
    /// join, miterLimit, dash, dashOffset }`. nil means an error was reported.
    func stroke(_ node: SourceNode, path: String) -> Stroke?? {
        typealias Keys = Stroke.Keys
        if case .scalar = node {
            if node.text == "none" { return .some(nil) }
            return color(node, path: path).map { .some(Stroke(color: .constant($0))) }
        }
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        let color = required(Keys.color, in: f, at: path)
        let width = animated(Keys.width, in: f, at: path)
        let cap = value(Keys.cap, in: f, at: path)
        let join = value(Keys.join, in: f, at: path)
        let miter = animated(Keys.miterLimit, in: f, at: path)
        let sameCount: (NumberList, NumberList) -> String? = { a, b in
            a.values.count == b.values.count ? nil : "keyframed dash patterns need the same number of entries"
        }
        let dash = optional(f[Keys.dash.key]) {
            self.animatable($0, path: Self.join(path, Keys.dash.key), compatible: sameCount) { self.dashPattern($0, path: $1) }
        }
        let dashOffset = animated(Keys.dashOffset, in: f, at: path)
        guard let color, let width, let cap, let join, let miter, let dash, let dashOffset else { return nil }
        return .some(Stroke(color: color, width: width, cap: cap, join: join, miterLimit: miter, dash: dash, dashOffset: dashOffset))
    }

    func dashPattern(_ node: SourceNode, path: String) -> NumberList? {
        guard case let .sequence(items, _) = node, !items.isEmpty, items.count <= 64 else {
            report(.typeMismatch, "expected a list of 1 to 64 dash and gap lengths like [12, 6], found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let values = items.enumerated().compactMap { double($1, path: "\(path)[\($0)]", in: 0...Double.greatestFiniteMagnitude) }
        guard values.count == items.count else { return nil }
        guard values.contains(where: { $0 > 0 }) else {
            report(.outOfRange, "a dash pattern needs at least one length above 0", at: node, path: path)
            return nil
        }
        return NumberList(values)
    }

    func trim(_ node: SourceNode, path: String) -> Trim?? {
        typealias Keys = Trim.Keys
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        let start = animated(Keys.start, in: f, at: path)
        let end = animated(Keys.end, in: f, at: path)
        let offset = animated(Keys.offset, in: f, at: path)
        guard let start, let end, let offset else { return nil }
        return .some(Trim(start: start, end: end, offset: offset))
    }
}
