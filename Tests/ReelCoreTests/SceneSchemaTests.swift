import Testing
@testable import ReelCore

/// `reel schema` is generated from the format's declarations: every key it lists carries a
/// description for editors, and every declared key is in it.
@Suite("The scene schema")
struct SceneSchemaTests {
    /// Every `properties` mapping anywhere in `value`, with the path that leads to it.
    func propertyLists(_ value: JSONValue, path: String = "#") -> [(String, [(String, JSONValue)])] {
        switch value {
        case let .array(items):
            return items.enumerated().flatMap { propertyLists($1, path: "\(path)/\($0)") }
        case let .object(pairs):
            var found: [(String, [(String, JSONValue)])] = []
            for (key, child) in pairs {
                if key == "properties", case let .object(properties) = child { found.append((path, properties)) }
                found += propertyLists(child, path: "\(path)/\(key)")
            }
            return found
        default:
            return []
        }
    }

    func description(_ value: JSONValue) -> String? {
        guard case let .object(pairs) = value, case let .string(text)? = pairs.first(where: { $0.0 == "description" })?.1 else { return nil }
        return text
    }

    @Test func everyPropertyHasADescription() {
        let catalog = PluginCatalog([ContributionDescriptor(plugin: "postfx", name: "vignette", kind: .pass, summary: "darkens the edges",
                                                            parameters: [Param.number("strength", default: 0.5, in: 0...1, doc: "How dark").spec])])
        var undescribed: [String] = []
        for (path, properties) in propertyLists(SceneSchema.document(catalog: catalog)) {
            for (key, value) in properties where (description(value) ?? "").isEmpty { undescribed.append("\(path)/\(key)") }
        }
        #expect(undescribed.isEmpty, "\(undescribed)")
    }

    @Test func everyDeclaredKeyIsInTheSchema() {
        let schema = SceneSchema.document().serialized()
        let keys = (Scene.Keys.all + Canvas.Keys.all + Camera.Keys.all + Layer.Keys.all + TextContent.Keys.all + Font.Keys.all + Stroke.Keys.all
            + Trim.Keys.all + Mask.Keys.all + Paint.LinearKeys.all + Paint.RadialKeys.all).map(\.description)
            + LayerKind.all.flatMap(\.keys)
        for key in keys {
            #expect(schema.contains("\"\(key.key)\":{") && schema.contains(key.fullDoc.jsonEscaped), "\(key.key)")
        }
        for kind in LayerKind.all { #expect(schema.contains("\"\(kind.name)\":"), "\(kind.name)") }
    }

    @Test func aDescriptionStatesTheDefault() {
        #expect(Layer.Keys.opacity.description.fullDoc.hasSuffix("The default is 1."))
        #expect(Canvas.Keys.background.description.fullDoc.hasSuffix("The default is black."))
        #expect(Layer.Keys.inTime.description.fullDoc.hasSuffix("The default is the start."))
    }
}

extension String {
    /// As JSONValue writes it inside a string.
    var jsonEscaped: String {
        let quoted = JSONValue.string(self).serialized()
        return String(quoted.dropFirst().dropLast())
    }
}
