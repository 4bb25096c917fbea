import Foundation

/// Plugin uses (`passes`, `effects`, `animate`, shader layers): names resolved against the
/// catalog, parameters checked against their declarations, defaults filled in.
extension SceneReader {
    func pluginUses(_ node: SourceNode, kind: ContributionDescriptor.Kind, path: String) -> [PluginUse] {
        guard case let .sequence(items, _) = node else {
            report(.typeMismatch, "expected a list like [{ name: { parameter: value } }], found \(node.foundDescription)", at: node, path: path)
            return []
        }
        var uses: [PluginUse] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            if case let .scalar(name, _, _) = item, !item.isNull {
                if let use = pluginUse(name: name, nameNode: item, parameters: nil, kind: kind, path: p) { uses.append(use) }
                continue
            }
            guard case let .mapping(entries, _) = item, entries.count == 1, let entry = entries.first else {
                report(.typeMismatch, "expected one plugin name with its parameters, like { vignette: { strength: 0.3 } }, found \(item.foundDescription)", at: item, path: p)
                continue
            }
            if let use = pluginUse(name: entry.key, nameNode: .scalar(entry.key, plain: true, entry.keyLocation),
                                   parameters: entry.value, kind: kind, path: p + "." + entry.key) {
                uses.append(use)
            }
        }
        return uses
    }

    func pluginUse(name: String, nameNode: SourceNode, parameters: SourceNode?, kind: ContributionDescriptor.Kind, path: String) -> PluginUse? {
        let what: String = switch kind {
        case .pass: "post pass"
        case .animation: "animation pass"
        case .layer: "shader"
        }
        switch catalog.resolve(name, kind: kind) {
        case .unknown where refusedShaders.contains(name) || refusedShaders.contains(name.replacingOccurrences(of: "shaders.", with: "")):
            return nil
        case let .unknown(nearest):
            let available = catalog.contributions.filter { $0.kind == kind }.map(\.qualifiedName)
            report(.unknownPlugin, "no installed plugin provides the \(what) '\(name)'" +
                   (available.isEmpty ? " (none is installed; `reel plugins` lists what is)" : " (available: \(available.joined(separator: ", ")))"),
                   at: nameNode, path: path, suggestion: nearest)
            return nil
        case let .ambiguous(names):
            report(.unknownPlugin, "'\(name)' is offered by several plugins; write one of \(names.joined(separator: ", "))", at: nameNode, path: path)
            return nil
        case let .found(descriptor):
            var values: [String: ParameterValue] = [:]
            var given: [String: SourceNode] = [:]
            if let parameters, !parameters.isNull {
                guard let f = fields(parameters, path: path, allowed: descriptor.parameters.map(\.name), required: []) else { return nil }
                for entry in f.entries { given[entry.key] = entry.value }
            }
            var ok = true
            for spec in descriptor.parameters {
                let node = given[spec.name] ?? Self.defaultNode(spec, at: nameNode.location)
                guard let value = parameterValue(node, spec: spec, path: path + "." + spec.name) else { ok = false; continue }
                values[spec.name] = value
            }
            guard ok else { return nil }
            // A word outside a choice's words, then the plugin's own checks (on well-typed
            // values only), all reported like the rest.
            let problems = Self.choiceProblems(descriptor, values) + catalog.problems(descriptor, values)
            for problem in problems {
                let node = given[problem.parameter]
                var location = node?.location ?? nameNode.location
                if let offset = problem.offset, case let .scalar(text, _, _)? = node, !text.contains("\n") {
                    location.column += offset + (node?.isQuoted == true ? 1 : 0)
                }
                report(Diagnostic(.pluginParameter, problem.message, at: location, path: path + "." + problem.parameter))
            }
            return problems.isEmpty ? PluginUse(name: descriptor.qualifiedName, parameters: values, location: nameNode.location) : nil
        }
    }

    /// The default as if the scene wrote it at the use, so that it is read (and checked
    /// against the parameter's bounds: a shader file's DEFAULT may lie outside its own MIN
    /// and MAX) exactly like a written value.
    static func defaultNode(_ spec: ParameterSpec, at location: SceneLocation) -> SourceNode {
        switch spec.defaultResolved {
        case let .vec2(v):
            return .sequence([.scalar(v.x.clean, plain: true, location), .scalar(v.y.clean, plain: true, location)], location)
        case let .string(text):
            return .scalar(text, plain: false, location)
        case let .color(color):
            return .scalar(color.description, plain: false, location)
        case .number, .bool:
            return .scalar(spec.defaultResolved.sceneText, plain: true, location)
        }
    }

    /// Words outside the declared choices of the parameters that have them.
    static func choiceProblems(_ descriptor: ContributionDescriptor, _ values: [String: ParameterValue]) -> [ParameterProblem] {
        descriptor.parameters.compactMap { spec in
            guard let choices = spec.choices, case let .string(word)? = values[spec.name], !choices.contains(word) else { return nil }
            return ParameterProblem(parameter: spec.name, message: "expected one of \(choices.joined(separator: ", ")), found \"\(word)\"")
        }
    }

    func parameterValue(_ node: SourceNode, spec: ParameterSpec, path: String) -> ParameterValue? {
        let low = spec.minimum ?? -Double.greatestFiniteMagnitude, high = spec.maximum ?? Double.greatestFiniteMagnitude
        // PluginRegistry refuses specs whose bounds cross; a catalog made some other way must
        // still not trap here.
        let range: ClosedRange<Double>? = (spec.minimum != nil || spec.maximum != nil) && low <= high ? low...high : nil
        switch spec.type {
        case .number, .time:
            return animatable(node, path: path) { n, p in spec.type == .time ? self.time(n, path: p) : self.double(n, path: p, in: range) }.map { .number($0) }
        case .integer:
            // Whole first, then the declared bounds (reported like a number's).
            return animatable(node, path: path) { n, p in self.int(n, path: p).flatMap { _ in self.double(n, path: p, in: range) } }
                .map { .number($0) }
        case .bool:
            return bool(node, path: path).map { .bool($0) }
        case .string:
            return string(node, path: path).map { .string($0) }
        case .color:
            return animatable(node, path: path) { self.color($0, path: $1) }.map { .color($0) }
        case .vec2:
            return animatable(node, path: path) { self.vec2($0, path: $1, allowScalar: true) }.map { .vec2($0) }
        }
    }
}
