/// Text layers: the text (keyframes switch it), and the keys a text layer has on the layer
/// itself (`TextContent.Keys`): its font, alignment and spacing.
extension SceneReader {
    func text(_ node: SourceNode, layer f: Fields, path: String) -> LayerContent? {
        typealias Keys = TextContent.Keys
        let p = Self.join(path, LayerKind.text.name)
        let text = animatable(node, path: p) { self.string($0, path: $1) }
        if let text { checkTextLength(text, at: node, path: p) }
        let font = f[Keys.font.key].map { self.font($0, path: Self.join(path, Keys.font.key)) } ?? Font()
        let align = value(Keys.align, in: f, at: path)
        let lineHeight = animated(Keys.lineHeight, in: f, at: path)
        let spacing = animated(Keys.letterSpacing, in: f, at: path)
        guard let text, let align, let lineHeight, let spacing else { return nil }
        return .text(TextContent(text: text, font: font, align: align, lineHeight: lineHeight, letterSpacing: spacing))
    }

    /// `font: { family, size, weight, style }`; a key written wrong is reported and the font
    /// read on with that key's default.
    func font(_ node: SourceNode, path: String) -> Font {
        typealias Keys = Font.Keys
        var font = Font()
        guard let g = fields(node, path: path, keys: Keys.all) else { return font }
        font.family = value(Keys.family, in: g, at: path) ?? font.family
        font.size = animated(Keys.size, in: g, at: path) ?? font.size
        font.weight = value(Keys.weight, in: g, at: path) ?? font.weight
        font.italic = value(Keys.style, in: g, at: path) ?? font.italic
        return font
    }

    /// 100…900, or a weight's name (`semibold`).
    func fontWeight(_ node: SourceNode, path: String) -> Int? {
        if case let .scalar(w, _, _) = node, let named = Font.weightNames[w.lowercased()] { return named }
        if case let .scalar(w, true, _) = node, Int(w) == nil {
            report(.outOfRange, "expected a weight from 100 to 900 or one of \(Font.weightNames.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key).joined(separator: ", ")), found \"\(w)\"",
                   at: node, path: path, suggestion: nearestName(to: w, in: Array(Font.weightNames.keys).sorted()))
            return nil
        }
        return int(node, path: path, in: 100...900)
    }

    /// `normal` or `italic`, as whether it is italic.
    func fontStyle(_ node: SourceNode, path: String) -> Bool? {
        guard let style = string(node, path: path) else { return nil }
        guard style == "italic" || style == "normal" else {
            report(.outOfRange, "expected normal or italic, found \"\(style)\"", at: node, path: path, suggestion: nearestName(to: style, in: ["normal", "italic"]))
            return nil
        }
        return style == "italic"
    }

    /// Refuses text longer than the limits, per layer and for the scene: each glyph becomes an
    /// outline and vertices when drawn, so a megabyte of text would take gigabytes.
    func checkTextLength(_ text: Animatable<String>, at node: SourceNode, path: String) {
        let values: [String]
        switch text {
        case let .constant(value): values = [value]
        case let .keyframes(keys): values = keys.map(\.value)
        }
        var layerTotal = 0
        for value in values {
            let count = value.unicodeScalars.count
            layerTotal += count
            if count > limits.maxTextCharacters {
                report(.limitExceeded, "the text has \(count) characters; one text layer may have at most \(limits.maxTextCharacters)",
                       at: node, path: path, suggestion: nil)
                return
            }
        }
        let before = sceneTextCharacters
        sceneTextCharacters += layerTotal
        if before <= limits.maxSceneTextCharacters && sceneTextCharacters > limits.maxSceneTextCharacters {
            report(.limitExceeded, "the scene's text layers hold more than \(limits.maxSceneTextCharacters) characters together; split the scene",
                   at: node, path: path)
        }
    }
}
