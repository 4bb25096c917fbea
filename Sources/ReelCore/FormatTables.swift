/// The README's tables of the scene format, generated from the same declarations the decoder
/// reads through (`Scene.Keys`, `Layer.Keys`, `LayerKind`…), so the docs cannot drift from
/// the reader. A test compares the README's copy with `markdown` and re-writes it under
/// `REEL_RECORD_README=1`.
public enum FormatTables {
    /// The first and last lines of the README's generated block.
    public static let begin = "<!-- format tables: generated from the declarations (FormatTables); REEL_RECORD_README=1 swift test --filter FormatTables re-writes them -->"
    public static let end = "<!-- end of format tables -->"

    /// Every table, in the order the README shows them, between `begin` and `end`.
    public static func markdown() -> String {
        let sections: [String] = [
            table("top-level key", Scene.Keys.all),
            "`canvas`:\n\n" + table("key", Canvas.Keys.all),
            "Each layer has exactly one kind:\n\n" + kinds(),
            "Their own keys:\n\n" + kindKeys(),
            "and any of these properties:\n\n" + table("layer key", Layer.Keys.all),
            "A text layer also takes:\n\n" + table("text key", TextContent.Keys.all),
            "`font`:\n\n" + table("key", Font.Keys.all),
            "`stroke`, written as a mapping:\n\n" + table("key", Stroke.Keys.all),
            "`fill: { \(Paint.LinearKeys.name): … }` and `fill: { \(Paint.RadialKeys.name): … }`:\n\n"
                + table("key", Paint.LinearKeys.all + [Paint.RadialKeys.center, Paint.RadialKeys.radius]),
            "`trim`:\n\n" + table("key", Trim.Keys.all),
            "`mask`, written as a mapping:\n\n" + table("key", Mask.Keys.all),
            "`camera`:\n\n" + table("key", Camera.Keys.all),
            "A parameter under `params`, written as a mapping:\n\n" + table("key", ParameterDeclaration.Keys.all),
        ]
        return ([begin] + sections + [end]).joined(separator: "\n\n") + "\n"
    }

    /// One row a key: its name, what it means, its default and whether it takes keyframes.
    static func table(_ heading: String, _ keys: [any AnySceneProperty]) -> String {
        var lines = ["| \(heading) | what | default | keyframes |", "| --- | --- | --- | --- |"]
        for key in keys.map(\.description) {
            let value = key.required ? "required" : key.defaultText.map(literal) ?? ""
            lines.append("| `\(key.key)` | \(cell(key.doc)) | \(cell(value)) | \(key.animatable ? "yes" : "") |")
        }
        return lines.joined(separator: "\n")
    }

    /// One row a layer kind: how its value is written and its own keys.
    static func kinds() -> String {
        var lines = ["| kind | value | keys |", "| --- | --- | --- |"]
        for kind in LayerKind.all {
            let keys = kind.keys.map { key in
                var text = "`\(key.key)`"
                if key.required { text += " (required)" } else if let value = key.defaultText { text += " (\(value))" }
                return text
            }
            lines.append("| `\(kind.name)` | \(cell(kind.syntax)) | \(keys.joined(separator: ", ")) |")
        }
        return lines.joined(separator: "\n")
    }

    /// One row a key of a kind's mapping, under the kind's name.
    static func kindKeys() -> String {
        var lines = ["| kind | key | what | default | keyframes |", "| --- | --- | --- | --- | --- |"]
        for kind in LayerKind.all {
            for key in kind.keys {
                let value = key.required ? "required" : key.defaultText.map(literal) ?? ""
                lines.append("| `\(kind.name)` | `\(key.key)` | \(cell(key.doc)) | \(cell(value)) | \(key.animatable ? "yes" : "") |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A default as the README writes it: a value as code (`[0, 0]`, `5s`), words as words
    /// (the canvas centre).
    static func literal(_ text: String) -> String {
        text.contains(" ") && !text.hasPrefix("[") ? text : "`\(text)`"
    }

    /// Text made safe for a table cell: a bar would end the cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
