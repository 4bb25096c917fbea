import Foundation

/// Gives meaning to a `SourceNode` tree, collecting every problem as a `Diagnostic`.
///
/// Each method returns nil after recording a diagnostic, so the caller carries on and the
/// user sees all problems at once. Paths in messages follow the scene's structure:
/// `layers[2].stroke.width`.
final class SceneReader {
    private(set) var diagnostics: [Diagnostic] = []
    let limits: SceneLimits
    /// Needed to read frame-valued times (`90f`) before the canvas is complete.
    private var fps: Double = 30

    init(limits: SceneLimits) { self.limits = limits }

    func report(_ code: ReelError.Code, _ message: String, at node: SourceNode, path: String, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: node.location, path: path, suggestion: suggestion))
    }

    // MARK: - The scene

    static let topKeys = ["reel", "canvas", "layers"]

    func scene(_ root: SourceNode) -> Scene? {
        guard let fields = fields(root, path: "", allowed: Self.topKeys, required: ["reel", "canvas"]) else { return nil }
        if let version = fields["reel"] {
            if let v = int(version, path: "reel"), v != 1 {
                report(.unsupportedVersion, "scene format \(v) is not supported; this Reel reads format 1", at: version, path: "reel")
            }
        }
        let canvas = fields["canvas"].flatMap { self.canvas($0, path: "canvas") }
        var layers: [Layer] = []
        if let list = fields["layers"] {
            layers = self.layers(list, path: "layers")
        }
        guard let canvas else { return nil }
        return Scene(format: 1, canvas: canvas, layers: layers)
    }

    static let canvasKeys = ["size", "fps", "duration", "background", "samples"]

    func canvas(_ node: SourceNode, path: String) -> Canvas? {
        guard let f = fields(node, path: path, allowed: Self.canvasKeys, required: ["size"]) else { return nil }
        var canvas = Canvas()
        var ok = true
        if let fpsNode = f["fps"] {
            if let v = double(fpsNode, path: path + ".fps", in: 0.001...1000, exclusiveLower: true) {
                canvas.fps = v
                fps = v
            } else { ok = false }
        }
        if let sizeNode = f["size"] {
            if let size = vec2(sizeNode, path: path + ".size", allowScalar: false) {
                if let w = exactInt(size.x), let h = exactInt(size.y), w >= 1, h >= 1 {
                    if w > limits.maxCanvasSide || h > limits.maxCanvasSide || w * h > limits.maxCanvasPixels {
                        report(.limitExceeded, "canvas \(w)×\(h) is too large; the limit is \(limits.maxCanvasSide) pixels a side and \(limits.maxCanvasPixels) pixels in all", at: sizeNode, path: path + ".size")
                        ok = false
                    } else {
                        canvas.width = w
                        canvas.height = h
                    }
                } else {
                    report(.outOfRange, "expected [width, height] in whole pixels of at least 1, found [\(size.x.clean), \(size.y.clean)]", at: sizeNode, path: path + ".size")
                    ok = false
                }
            } else { ok = false }
        }
        if let durationNode = f["duration"] {
            if let seconds = time(durationNode, path: path + ".duration") {
                if seconds <= 0 {
                    report(.outOfRange, "the duration must be longer than 0", at: durationNode, path: path + ".duration")
                    ok = false
                } else if seconds > limits.maxDurationSeconds {
                    report(.limitExceeded, "the duration is over the limit of \(Int(limits.maxDurationSeconds)) s", at: durationNode, path: path + ".duration")
                    ok = false
                } else {
                    canvas.frameCount = max(1, Int((seconds * canvas.fps).rounded()))
                }
            } else { ok = false }
        } else {
            canvas.frameCount = max(1, Int((5 * canvas.fps).rounded()))
        }
        if let bg = f["background"] {
            if let c = color(bg, path: path + ".background") { canvas.background = c } else { ok = false }
        }
        if let samplesNode = f["samples"] {
            if let s = int(samplesNode, path: path + ".samples"), [1, 2, 4, 8, 16].contains(s) {
                canvas.samples = s
            } else {
                report(.outOfRange, "expected 1, 2, 4, 8 or 16 samples, found \(samplesNode.foundDescription)", at: samplesNode, path: path + ".samples")
                ok = false
            }
        }
        return ok ? canvas : nil
    }

    // MARK: - Layers

    static let commonLayerKeys = ["id", "position", "anchor", "scale", "rotation", "opacity", "fill", "stroke", "visible"]

    func layers(_ node: SourceNode, path: String) -> [Layer] {
        guard case let .sequence(items, _) = node else {
            report(.typeMismatch, "expected a list of layers, found \(node.foundDescription)", at: node, path: path)
            return []
        }
        guard items.count <= limits.maxLayers else {
            report(.limitExceeded, "\(items.count) layers is over the limit of \(limits.maxLayers)", at: node, path: path)
            return []
        }
        var layers: [Layer] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let layer = layer(item, index: index, path: itemPath) else { continue }
            if let previous = seen[layer.id] {
                report(.duplicateID, "layer id '\(layer.id)' is already used by layers[\(previous)]; ids must be unique", at: item, path: itemPath + ".id")
            }
            seen[layer.id] = index
            layers.append(layer)
        }
        return layers
    }

    func layer(_ node: SourceNode, index: Int, path: String) -> Layer? {
        let allowed = Self.commonLayerKeys + Shape.kindNames
        guard let f = fields(node, path: path, allowed: allowed, required: [], reportUnknown: false) else { return nil }

        // Report unknown keys first, suggesting a kind name when the typo is near one.
        for entry in f.entries where !allowed.contains(entry.key) {
            report(.unknownKey, "unknown key '\(entry.key)'", at: .scalar(entry.key, plain: true, entry.keyLocation),
                   path: path, suggestion: nearestName(to: entry.key, in: allowed))
        }
        let kinds = f.entries.filter { Shape.kindNames.contains($0.key) }
        guard kinds.count == 1 else {
            if kinds.isEmpty {
                let hasTypo = f.entries.contains { !allowed.contains($0.key) && nearestName(to: $0.key, in: Shape.kindNames) != nil }
                if !hasTypo {
                    report(.layerKind, "the layer has no kind; give it one of: \(Shape.kindNames.joined(separator: ", "))", at: node, path: path)
                }
            } else {
                report(.layerKind, "the layer has \(kinds.count) kinds (\(kinds.map(\.key).joined(separator: ", "))); a layer is exactly one kind", at: node, path: path)
            }
            return nil
        }

        let kind = kinds[0]
        let kindPath = path + "." + kind.key
        let shape: Shape?
        switch kind.key {
        case "rect":
            shape = rect(kind.value, path: kindPath)
        case "circle":
            shape = circle(kind.value, path: kindPath)
        default:
            shape = ellipse(kind.value, path: kindPath)
        }

        var id = "layer\(index)"
        if let idNode = f["id"], let text = string(idNode, path: path + ".id") {
            if text.isEmpty {
                report(.outOfRange, "a layer id cannot be empty", at: idNode, path: path + ".id")
            }
            id = text
        }
        let position = f["position"].map { animatable($0, path: path + ".position") { self.vec2($0, path: $1, allowScalar: false) } } ?? .constant(.zero)
        let anchor = f["anchor"].map { animatable($0, path: path + ".anchor") { self.vec2($0, path: $1, allowScalar: false) } } ?? .constant(.zero)
        let scale = f["scale"].map { animatable($0, path: path + ".scale") { self.vec2($0, path: $1, allowScalar: true) } } ?? .constant(.one)
        let rotation = f["rotation"].map { animatable($0, path: path + ".rotation") { self.double($0, path: $1) } } ?? .constant(0)
        let opacity = f["opacity"].map { animatable($0, path: path + ".opacity") { self.double($0, path: $1, in: 0...1) } } ?? .constant(1)
        let stroke = f["stroke"].map { self.stroke($0, path: path + ".stroke") } ?? .some(nil)
        var hasStroke = false
        if case .some(.some) = stroke { hasStroke = true }
        // Unpainted shapes would be invisible; white is the visible default unless stroked.
        var fill: Animatable<Color>?? = hasStroke ? .some(nil) : .some(.constant(.white))
        if let fillNode = f["fill"] {
            if case let .scalar(text, _, _) = fillNode, text == "none" {
                fill = .some(nil)
            } else {
                fill = animatable(fillNode, path: path + ".fill") { self.color($0, path: $1) }.map { .some($0) }
            }
        }
        var visible = true
        if let v = f["visible"] { visible = bool(v, path: path + ".visible") ?? true }

        guard let shape, let position, let anchor, let scale, let rotation, let opacity, let stroke, let fill else { return nil }
        return Layer(id: id, shape: shape, position: position, anchor: anchor, scale: scale, rotation: rotation,
                     opacity: opacity, fill: fill, stroke: stroke, visible: visible)
    }

    func rect(_ node: SourceNode, path: String) -> Shape? {
        guard let f = fields(node, path: path, allowed: ["size", "radius"], required: ["size"]) else { return nil }
        let size = f["size"].flatMap { animatable($0, path: path + ".size") { self.vec2($0, path: $1, allowScalar: true) } }
        let radius = f["radius"].map { animatable($0, path: path + ".radius") { self.double($0, path: $1, in: 0...Double.greatestFiniteMagnitude) } } ?? .constant(0)
        guard let size, let radius else { return nil }
        return .rect(size: size, cornerRadius: radius)
    }

    func circle(_ node: SourceNode, path: String) -> Shape? {
        guard let f = fields(node, path: path, allowed: ["radius"], required: ["radius"]) else { return nil }
        let radius = f["radius"].flatMap { animatable($0, path: path + ".radius") { self.double($0, path: $1, in: 0...Double.greatestFiniteMagnitude) } }
        return radius.map { .ellipse(radii: $0.map { Vec2($0, $0) }) }
    }

    func ellipse(_ node: SourceNode, path: String) -> Shape? {
        guard let f = fields(node, path: path, allowed: ["size"], required: ["size"]) else { return nil }
        let size = f["size"].flatMap { animatable($0, path: path + ".size") { self.vec2($0, path: $1, allowScalar: true) } }
        return size.map { .ellipse(radii: $0.map { $0 * 0.5 }) }
    }

    /// `stroke: "#fff"` (1 px) or `stroke: { color: "#fff", width: 4 }`. Returns
    /// `.some(nil)` never; nil means an error was reported.
    func stroke(_ node: SourceNode, path: String) -> Stroke?? {
        if case .scalar = node {
            return color(node, path: path).map { .some(Stroke(color: .constant($0))) }
        }
        guard let f = fields(node, path: path, allowed: ["color", "width"], required: ["color"]) else { return nil }
        let color = f["color"].flatMap { animatable($0, path: path + ".color") { self.color($0, path: $1) } }
        let width = f["width"].map { animatable($0, path: path + ".width") { self.double($0, path: $1, in: 0...Double.greatestFiniteMagnitude) } } ?? .constant(1)
        guard let color, let width else { return nil }
        return .some(Stroke(color: color, width: width))
    }

    // MARK: - Keyframes

    /// A constant (`value`) or keyframes (`{ keys: [[time, value], [time, value, easing], …] }`).
    func animatable<T>(_ node: SourceNode, path: String, _ parse: (SourceNode, String) -> T?) -> Animatable<T>? {
        guard case let .mapping(entries, _) = node, entries.contains(where: { $0.key == "keys" }) else {
            return parse(node, path).map { .constant($0) }
        }
        guard let f = fields(node, path: path, allowed: ["keys"], required: ["keys"]), let list = f["keys"] else { return nil }
        let keysPath = path + ".keys"
        guard case let .sequence(items, _) = list, !items.isEmpty else {
            report(.keyframes, "expected a list of keyframes like [[0s, value], [1s, value, inOutSine]], found \(list.foundDescription)", at: list, path: keysPath)
            return nil
        }
        guard items.count <= limits.maxKeyframes else {
            report(.limitExceeded, "\(items.count) keyframes is over the limit of \(limits.maxKeyframes)", at: list, path: keysPath)
            return nil
        }
        var keys: [Keyframe<T>] = []
        var ok = true
        for (i, item) in items.enumerated() {
            let itemPath = "\(keysPath)[\(i)]"
            guard case let .sequence(parts, _) = item, parts.count == 2 || parts.count == 3 else {
                report(.keyframes, "expected a keyframe [time, value] or [time, value, easing], found \(item.foundDescription)", at: item, path: itemPath)
                ok = false
                continue
            }
            let time = self.time(parts[0], path: itemPath + "[0]")
            let value = parse(parts[1], itemPath + "[1]")
            var easing = Easing.linear
            if parts.count == 3 {
                if let e = self.easing(parts[2], path: itemPath + "[2]") { easing = e } else { ok = false }
            }
            guard let time, let value else { ok = false; continue }
            if let last = keys.last, time < last.time {
                report(.keyframes, "keyframe at \(formatSeconds(time))s comes after one at \(formatSeconds(last.time))s; keyframes must be in time order", at: parts[0], path: itemPath + "[0]")
                ok = false
            }
            keys.append(Keyframe(time: time, value: value, easing: easing))
        }
        return ok ? .keyframes(keys) : nil
    }

    func easing(_ node: SourceNode, path: String) -> Easing? {
        guard let name = string(node, path: path) else { return nil }
        if let easing = Easing(name: name) { return easing }
        report(.unknownEasing, "unknown easing '\(name)'", at: node, path: path,
               suggestion: nearestName(to: name, in: Easing.allNames))
        return nil
    }

    // MARK: - Values

    /// A mapping's entries by key, after reporting unknown, duplicate and missing keys.
    struct Fields {
        var entries: [SourceNode.Entry]
        subscript(key: String) -> SourceNode? { entries.first { $0.key == key }?.value }
    }

    func fields(_ node: SourceNode, path: String, allowed: [String], required: [String], reportUnknown: Bool = true) -> Fields? {
        guard case let .mapping(entries, _) = node else {
            report(.typeMismatch, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        if reportUnknown {
            for entry in entries where !allowed.contains(entry.key) {
                report(.unknownKey, "unknown key '\(entry.key)'", at: .scalar(entry.key, plain: true, entry.keyLocation),
                       path: path, suggestion: nearestName(to: entry.key, in: allowed))
            }
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            report(.missingKey, "missing required key '\(key)'", at: node, path: path)
        }
        return Fields(entries: entries)
    }

    func double(_ node: SourceNode, path: String, in range: ClosedRange<Double>? = nil, exclusiveLower: Bool = false) -> Double? {
        guard case let .scalar(text, true, _) = node, let value = Double(text), value.isFinite else {
            report(.typeMismatch, "expected a number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        if let range, !range.contains(value) || (exclusiveLower && value == range.lowerBound) {
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : " and at most \(range.upperBound.clean)"
            let lower = exclusiveLower ? "more than \(range.lowerBound.clean)" : "at least \(range.lowerBound.clean)"
            report(.outOfRange, "expected a number \(lower)\(upper), found \(text)", at: node, path: path)
            return nil
        }
        return value
    }

    func int(_ node: SourceNode, path: String) -> Int? {
        guard case let .scalar(text, true, _) = node, let value = Int(text) else {
            report(.typeMismatch, "expected a whole number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return value
    }

    func string(_ node: SourceNode, path: String) -> String? {
        guard case let .scalar(text, _, _) = node, !node.isNull else {
            report(.typeMismatch, "expected text, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return text
    }

    func bool(_ node: SourceNode, path: String) -> Bool? {
        guard case let .scalar(text, true, _) = node, text == "true" || text == "false" else {
            report(.typeMismatch, "expected true or false, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return text == "true"
    }

    /// `[x, y]`; with `allowScalar`, a single number `s` means `[s, s]`.
    func vec2(_ node: SourceNode, path: String, allowScalar: Bool) -> Vec2? {
        if allowScalar, case .scalar = node {
            return double(node, path: path).map { Vec2($0, $0) }
        }
        guard case let .sequence(items, _) = node, items.count == 2 else {
            report(.typeMismatch, "expected [x, y]\(allowScalar ? " or a number" : ""), found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let x = double(items[0], path: path + "[0]"), y = double(items[1], path: path + "[1]")
        guard let x, let y else { return nil }
        return Vec2(x, y)
    }

    func color(_ node: SourceNode, path: String) -> Color? {
        guard case let .scalar(text, _, _) = node, let color = Color(parsing: text) else {
            var suggestion: String?
            if case let .scalar(text, _, _) = node { suggestion = nearestName(to: text, in: Array(Color.named.keys).sorted()) }
            report(.typeMismatch, "expected a colour like \"#e94560\", \"#e9456080\" or a name such as \"white\", found \(node.foundDescription)",
                   at: node, path: path, suggestion: suggestion)
            return nil
        }
        return color
    }

    /// Seconds from `2s`, `500ms`, `90f` or a bare number.
    func time(_ node: SourceNode, path: String) -> Double? {
        guard case let .scalar(text, _, _) = node, let t = SceneTime(parsing: text) else {
            report(.typeMismatch, "expected a time like 2s, 500ms, 90f or 1.5, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        return t.seconds(fps: fps)
    }

    private func exactInt(_ v: Double) -> Int? {
        v == v.rounded() && abs(v) < 1e9 ? Int(v) : nil
    }
}

extension Double {
    /// `1` rather than `1.0` in messages.
    var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
