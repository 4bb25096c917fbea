import Foundation

/// `params` and `{{name}}` substitution: parameters are read first, then every other value
/// has its references replaced before it is read.
extension SceneReader {
    func parameters(_ node: SourceNode?, overrides: [String: String]) -> [ParameterDeclaration] {
        var declarations: [ParameterDeclaration] = []
        if let node, case let .mapping(entries, _) = node {
            for entry in entries {
                let path = "params." + entry.key
                if !Self.isIdentifier(entry.key) {
                    report(.typeMismatch, "a parameter name must be letters, digits and _ (starting with a letter)", at: .scalar(entry.key, plain: true, entry.keyLocation), path: path)
                    continue
                }
                if let declaration = parameter(entry.key, entry.value, path: path) { declarations.append(declaration) }
            }
        } else if let node, !node.isNull {
            report(.typeMismatch, "expected a mapping of parameter names to defaults, found \(node.foundDescription)", at: node, path: "params")
        }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let index = declarations.firstIndex(where: { $0.name == name }) else {
                report(.unknownParameter, "--set \(name): the scene declares no parameter '\(name)'" +
                       (declarations.isEmpty ? "" : " (it has \(declarations.map(\.name).joined(separator: ", ")))"),
                       at: nil, path: "", suggestion: nearestName(to: name, in: declarations.map(\.name)))
                continue
            }
            if let problem = declarations[index].problem(with: value) {
                report(.parameterType, "--set \(name)=\(value): \(problem) (the parameter is a \(declarations[index].type.rawValue))", at: nil, path: "")
                continue
            }
            declarations[index].value = value
        }
        return declarations
    }

    func parameter(_ name: String, _ node: SourceNode, path: String) -> ParameterDeclaration? {
        if case let .scalar(text, plain, _) = node, !node.isNull {
            // The type follows the default: 3 is a number, true a bool, anything else text.
            let type: ParameterType = plain && Double(text)?.isFinite == true ? .number : plain && (text == "true" || text == "false") ? .bool : .string
            return ParameterDeclaration(name: name, type: type, defaultValue: text, value: text)
        }
        typealias Keys = ParameterDeclaration.Keys
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        guard let type = requiredValue(Keys.type, in: f, at: path), let defaultNode = f[Keys.default.key] else { return nil }
        var declaration = ParameterDeclaration(name: name, type: type, defaultValue: "", value: "")
        // A bad doc or bound is reported; the declaration is read on without it.
        declaration.doc = value(Keys.doc, in: f, at: path) ?? nil
        declaration.minimum = value(Keys.min, in: f, at: path) ?? nil
        declaration.maximum = value(Keys.max, in: f, at: path) ?? nil
        var text: String
        switch defaultNode {
        case let .scalar(t, _, _): text = t
        case let .sequence(items, _) where type == .vec2 && items.count == 2:
            guard let v = vec2(defaultNode, path: Self.join(path, Keys.default.key), allowScalar: false) else { return nil }
            text = "\(v.x.clean),\(v.y.clean)"
        default:
            report(.typeMismatch, "expected a default value, found \(defaultNode.foundDescription)", at: defaultNode, path: Self.join(path, Keys.default.key))
            return nil
        }
        if let problem = declaration.problem(with: text) {
            report(.parameterType, "the default does not fit the type \(type.rawValue): \(problem)", at: defaultNode, path: Self.join(path, Keys.default.key))
            return nil
        }
        declaration.defaultValue = text
        declaration.value = text
        return declaration
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, CharacterSet.letters.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
    }

    /// Replaces `{{name}}` in every scalar. A scalar that is exactly one reference to a
    /// number, bool or vector parameter stays a plain value, so it reads as that type.
    func substitute(_ node: SourceNode, values: [String: ParameterDeclaration], path: String) -> SourceNode {
        switch node {
        case let .scalar(text, plain, location):
            guard text.contains("{{"), !substitutionStopped else { return node }
            var output = ""
            var rest = Substring(text)
            var wholeType: ParameterType?
            while let open = rest.range(of: "{{") {
                output += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    output += rest[open.lowerBound...]
                    rest = ""
                    break
                }
                let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if let declaration = values[name] {
                    output += declaration.value
                    if open.lowerBound == text.startIndex && close.upperBound == text.endIndex { wholeType = declaration.type }
                } else {
                    report(.unknownParameter, "'{{\(name)}}' names no parameter; declare it under params", at: node, path: path,
                           suggestion: nearestName(to: name, in: Array(values.keys).sorted()))
                }
                rest = rest[close.upperBound...]
            }
            output += rest
            substitutedBytes += output.utf8.count
            let budget = limits.maxFileBytes * 4
            if substitutedBytes > budget {
                report(.limitExceeded, "{{name}} substitutions expand the scene past \(budget) bytes; the limit keeps a long parameter named many times from multiplying the file",
                       at: node, path: path)
                substitutionStopped = true
                return node
            }
            if let wholeType, wholeType == .vec2 {
                let parts = output.split(separator: ",").map { SourceNode.scalar($0.trimmingCharacters(in: .whitespaces), plain: true, location) }
                return .sequence(parts, location)
            }
            let staysPlain = wholeType.map { [.number, .integer, .bool].contains($0) } ?? plain
            return .scalar(output, plain: staysPlain, location)
        case let .mapping(entries, location):
            return .mapping(entries.map { entry in
                var e = entry
                e.value = substitute(entry.value, values: values, path: path + "." + entry.key)
                return e
            }, location)
        case let .sequence(items, location):
            return .sequence(items.enumerated().map { substitute($1, values: values, path: "\(path)[\($0)]") }, location)
        }
    }
}
