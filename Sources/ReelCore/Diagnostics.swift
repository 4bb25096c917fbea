/// One problem found in a scene file, with where it is and how to fix it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier (`E-SCENE-UNKNOWN-KEY`, …); tests match on it.
    public var code: ReelError.Code
    public var message: String
    public var location: SceneLocation?
    /// Where in the scene the problem is, e.g. `layers[2].stroke.width`; empty at the top.
    public var path: String
    /// A near-miss correction for a misspelt name, e.g. `circle`.
    public var suggestion: String?

    public init(_ code: ReelError.Code, _ message: String, at location: SceneLocation?, path: String,
                suggestion: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.suggestion = suggestion
    }

    /// `scene.yaml:12:7: layers[2].fill: expected a colour …; did you mean "circle"?`
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let suggestion { text += " (did you mean \"\(suggestion)\"?)" }
        return text
    }
}

extension ReelError.Code {
    /// The file is not valid YAML or JSON.
    public static let syntax = Self("E-SCENE-SYNTAX")
    /// A key the schema does not know; usually a typo.
    public static let unknownKey = Self("E-SCENE-UNKNOWN-KEY")
    /// A key given twice in one mapping.
    public static let duplicateKey = Self("E-SCENE-DUPLICATE-KEY")
    /// A required key is absent.
    public static let missingKey = Self("E-SCENE-MISSING-KEY")
    /// A value of the wrong type (a string where a number belongs, …).
    public static let typeMismatch = Self("E-SCENE-TYPE")
    /// A value of the right type outside its allowed range.
    public static let outOfRange = Self("E-SCENE-RANGE")
    /// An unsupported `reel:` format version.
    public static let unsupportedVersion = Self("E-SCENE-VERSION")
    /// A layer with no kind, or with two.
    public static let layerKind = Self("E-SCENE-LAYER-KIND")
    /// Two layers share an id.
    public static let duplicateID = Self("E-SCENE-DUPLICATE-ID")
    /// Keyframes out of order or malformed.
    public static let keyframes = Self("E-SCENE-KEYFRAMES")
    /// An unknown easing name.
    public static let unknownEasing = Self("E-SCENE-EASING")
    /// An asset file that does not exist.
    public static let assetMissing = Self("E-SCENE-ASSET-MISSING")
    /// A file the scene names that was not sent with it: a worker reads only files received
    /// by hash, never a path of its own machine.
    public static let fileNotSent = Self("E-SCENE-FILE-NOT-SENT")
    /// A layer names an asset the scene does not declare.
    public static let unknownAsset = Self("E-SCENE-UNKNOWN-ASSET")
    /// `{{name}}` or `--set name=…` names no declared parameter.
    public static let unknownParameter = Self("E-SCENE-UNKNOWN-PARAM")
    /// A parameter's default or `--set` value does not fit its type.
    public static let parameterType = Self("E-SCENE-PARAM-TYPE")
    /// A pass, effect, animation or shader that no installed plugin provides.
    public static let unknownPlugin = Self("E-SCENE-UNKNOWN-PLUGIN")
    /// A plugin parameter's value its plugin rejects beyond its type: an expression that does
    /// not parse, bad path data, a word outside the choices.
    public static let pluginParameter = Self("E-SCENE-PLUGIN-PARAM")
    /// A mask naming no sibling layer, or itself.
    public static let mask = Self("E-SCENE-MASK")
    /// Malformed SVG path data, or keyframed paths of different structure.
    public static let pathData = Self("E-SCENE-PATH")
    /// A guard against hostile files (size, nesting, keyframe count, canvas pixels, duration).
    public static let limitExceeded = Self("E-SCENE-LIMIT")
}

/// A scene file that could not be decoded: every problem found, not just the first.
public struct SceneError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    /// The codes of all diagnostics, in order; convenient for tests.
    public var codes: [ReelError.Code] { diagnostics.map(\.code) }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension SceneError: ReportableError {
    public var reportCode: ReelError.Code {
        diagnostics.count == 1 ? diagnostics[0].code : ReelError.Code("E-SCENE-INVALID")
    }

    public var reportSummary: String {
        if diagnostics.count == 1 { return diagnostics[0].description }
        let file = diagnostics.first?.location?.file ?? "the scene"
        return "\(file) has \(diagnostics.count) problems"
    }

    public var reportDetails: [String] {
        diagnostics.count == 1 ? [] : diagnostics.map { "  " + $0.description }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely
/// typo (at most a third of the word's length, and at least 1, edits away).
public func nearestName(to word: String, in candidates: [String]) -> String? {
    let limit = max(2, word.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let d = editDistance(word.lowercased(), candidate.lowercased())
        if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
    }
    if let best { return best.name }
    // A longer or shorter spelling of a name ("rectangle" for "rect").
    let lowered = word.lowercased()
    return candidates.first { candidate in
        let c = candidate.lowercased()
        return min(c.count, lowered.count) >= 3 && (lowered.hasPrefix(c) || c.hasPrefix(lowered))
    }
}

/// Levenshtein distance over Unicode characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
