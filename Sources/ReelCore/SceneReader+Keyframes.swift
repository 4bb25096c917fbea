/// Keyframes: `{ keys: [[time, value], [time, value, easing], …] }` around any value reader.
extension SceneReader {
    func isKeyframes(_ node: SourceNode) -> Bool {
        if case let .mapping(entries, _) = node { return entries.contains { $0.key == "keys" } }
        return false
    }

    /// A constant (`value`) or keyframes (`{ keys: [[time, value], [time, value, easing], …] }`).
    /// `compatible` explains why two keyframe values cannot blend, or returns nil.
    func animatable<T>(_ node: SourceNode, path: String, compatible: ((T, T) -> String?)? = nil,
                       _ parse: (SourceNode, String) -> T?) -> Animatable<T>? {
        guard isKeyframes(node) else { return parse(node, path).map { .constant($0) } }
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
                if case let .sequence(parts, _) = item, parts.count > 3, let open = parts.firstIndex(where: { $0.text?.contains("(") == true }) {
                    // The flow list split the easing at its commas: put the pieces back together.
                    let easing = parts[open...].compactMap(\.text).joined(separator: ", ")
                    report(.keyframes, "a parametric easing inside [ ] must be quoted, or its commas split the keyframe: write \"\(easing)\"", at: item, path: itemPath)
                    ok = false
                    continue
                }
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
            if let last = keys.last {
                if time < last.time {
                    report(.keyframes, "keyframe at \(formatSeconds(time))s comes after one at \(formatSeconds(last.time))s; keyframes must be in time order", at: parts[0], path: itemPath + "[0]")
                    ok = false
                } else if time == last.time {
                    report(.keyframes, "two keyframes at \(formatSeconds(time))s; use a hold easing for a jump", at: parts[0], path: itemPath + "[0]")
                    ok = false
                }
            }
            if let compatible, let first = keys.first, let problem = compatible(first.value, value) {
                report(.keyframes, problem, at: parts[1], path: itemPath + "[1]")
                ok = false
            }
            keys.append(Keyframe(time: time, value: value, easing: easing))
        }
        return ok ? .keyframes(keys) : nil
    }

    func easing(_ node: SourceNode, path: String) -> Easing? {
        guard let name = string(node, path: path) else { return nil }
        if let easing = Easing(name: name) { return easing }
        let function = name.split(separator: "(").first.map(String.init) ?? name
        if name.contains("(") {
            report(.unknownEasing, "bad easing '\(name)'; the forms are \(Easing.parametricForms.joined(separator: ", ")) (cubicBezier x values in 0…1, steps n ≥ 1, spring values > 0)",
                   at: node, path: path, suggestion: nearestName(to: function, in: ["cubicBezier", "steps", "spring"]).flatMap { $0 == function ? nil : $0 })
        } else {
            report(.unknownEasing, "unknown easing '\(name)'", at: node, path: path, suggestion: nearestName(to: name, in: Easing.allNames))
        }
        return nil
    }
}
