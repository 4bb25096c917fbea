/// Reading a key through its declaration (`SceneProperty`): the declaration says what an
/// absent key gives, how a written value is read and checked, and whether it takes keyframes.
extension SceneReader {
    /// The key's value: its default when absent, nil when written wrong (reported).
    func value<V>(_ property: SceneProperty<V>, in f: Fields, at path: String) -> V? {
        guard let node = f[property.key] else { return property.defaultValue }
        return property.parse(self, node, Self.join(path, property.key))
    }

    /// `layers[0]` + `fill` → `layers[0].fill`; at the top level, the key alone.
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// A key without a default: `.some(nil)` when absent (a required key's absence is
    /// reported by `fields`), nil when written wrong, `.some(value)` otherwise.
    func value<V>(_ property: SceneProperty<V?>, in f: Fields, at path: String) -> V?? {
        guard let node = f[property.key] else { return .some(nil) }
        return property.parse(self, node, Self.join(path, property.key))
    }

    /// The key as a constant or keyframes: its default (constant) when absent.
    func animated<V: Interpolatable>(_ property: SceneProperty<V>, in f: Fields, at path: String) -> Animatable<V>? {
        guard let node = f[property.key] else { return .constant(property.defaultValue) }
        return animatable(node, path: Self.join(path, property.key)) { property.parse(self, $0, $1) }
    }

    /// A key without a default as a constant or keyframes: `.some(nil)` when absent, nil when
    /// written wrong.
    func animated<V: Interpolatable>(_ property: SceneProperty<V?>, in f: Fields, at path: String) -> Animatable<V>?? {
        guard let node = f[property.key] else { return .some(nil) }
        return animatable(node, path: Self.join(path, property.key)) { property.parse(self, $0, $1) ?? nil }.map { .some($0) }
    }

    /// A required key as a constant or keyframes: nil when absent (reported by `fields`) or
    /// written wrong.
    func required<V: Interpolatable>(_ property: SceneProperty<V?>, in f: Fields, at path: String) -> Animatable<V>? {
        guard let node = f[property.key] else { return nil }
        return animatable(node, path: Self.join(path, property.key)) { property.parse(self, $0, $1) ?? nil }
    }

    /// A required key that takes no keyframes: nil when absent or written wrong.
    func requiredValue<V>(_ property: SceneProperty<V?>, in f: Fields, at path: String) -> V? {
        guard let node = f[property.key] else { return nil }
        return property.parse(self, node, Self.join(path, property.key)) ?? nil
    }

    /// A mapping with the declared keys: unknown keys and missing required ones are reported.
    func fields(_ node: SourceNode, path: String, keys: [any AnySceneProperty]) -> Fields? {
        let descriptions = keys.map(\.description)
        return fields(node, path: path, allowed: descriptions.map(\.key), required: descriptions.filter(\.required).map(\.key))
    }
}

extension SceneReader {
    /// A required key whose default only serves values built in code: nil when absent
    /// (reported by `fields`) or written wrong.
    func requiredValue<V>(_ property: SceneProperty<V>, in f: Fields, at path: String) -> V? {
        guard let node = f[property.key] else { return nil }
        return property.parse(self, node, Self.join(path, property.key))
    }
}

extension SceneReader {
    /// A required key with a model default, as a constant or keyframes: nil when absent
    /// (reported by `fields`) or written wrong.
    func required<V: Interpolatable>(_ property: SceneProperty<V>, in f: Fields, at path: String) -> Animatable<V>? {
        guard let node = f[property.key] else { return nil }
        return animatable(node, path: Self.join(path, property.key)) { property.parse(self, $0, $1) }
    }
}
