import Foundation

/// Gives meaning to a `SourceNode` tree, collecting every problem as a `Diagnostic`.
///
/// Each method returns nil after recording a diagnostic, so the caller carries on and the
/// user sees all problems at once. Paths in messages follow the scene's structure:
/// `layers[2].stroke.width`.
final class SceneReader {
    private(set) var diagnostics: [Diagnostic] = []
    let limits: SceneLimits
    /// Grows by the scene's shader files once `shaders:` is read.
    var catalog: PluginCatalog
    /// Shader names whose file was refused (and reported, at the file's line): a layer or
    /// pass that uses one is not reported a second time as an unknown shader.
    var refusedShaders: Set<String> = []
    let shaderReader: (any ShaderFileReader)?
    /// The scene file's folder, for resolving asset paths; nil for scenes from memory.
    let baseDirectory: String?
    let checkAssets: Bool
    /// Needed to read frame-valued times (`90f`) in the layers.
    var fps: Double = 30
    private var assets: [Asset] = []
    private var layerIDs: [String: String] = [:]
    /// Where each layer was written, by id.
    private var layerLocations: [String: SceneLocation] = [:]
    private var canvasSizeLocation: SceneLocation?
    /// Characters of text read so far, every text layer and keyframe together.
    private var sceneTextCharacters = 0
    /// Bytes `{{name}}` substitution has produced so far; bounded so that a long parameter
    /// named many times cannot multiply the file.
    private var substitutedBytes = 0
    private var substitutionStopped = false

    /// See `SceneDecoder.files`.
    let files: [String: String]?
    /// The scene's text by line, for hints that need what the parser dropped (a comment).
    var sourceLines: [Substring]?

    init(limits: SceneLimits, catalog: PluginCatalog, shaderReader: (any ShaderFileReader)?, baseDirectory: String?, checkAssets: Bool,
         files: [String: String]? = nil) {
        self.files = files
        self.limits = limits
        self.catalog = catalog
        self.shaderReader = shaderReader
        self.baseDirectory = baseDirectory
        self.checkAssets = checkAssets
    }

    func report(_ code: ReelError.Code, _ message: String, at node: SourceNode?, path: String, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: node?.location, path: path, suggestion: suggestion))
    }

    /// Records a problem located somewhere other than the scene file (a shader file).
    func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    // MARK: - The scene

    static let topKeys = ["reel", "canvas", "seed", "params", "assets", "shaders", "camera", "layers", "passes"]

    func scene(_ root: SourceNode, overrides: [String: String]) -> Scene? {
        guard let top = fields(root, path: "", allowed: Self.topKeys, required: ["reel", "canvas"]) else { return nil }
        if let version = top["reel"], let v = int(version, path: "reel"), v != 1 {
            report(.unsupportedVersion, "scene format \(v) is not supported; this Reel reads format 1", at: version, path: "reel")
        }
        let parameters = top["params"].map { self.parameters($0, overrides: overrides) } ?? self.parameters(nil, overrides: overrides)

        // Substitute {{name}} everywhere but in `params` itself, then read the rest.
        let values = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var f = top
        for index in f.entries.indices where f.entries[index].key != "params" {
            f.entries[index].value = substitute(f.entries[index].value, values: values, path: f.entries[index].key)
        }

        var seed: UInt64 = 0
        if let seedNode = f["seed"] {
            if case let .scalar(text, true, _) = seedNode, let v = UInt64(text) { seed = v } else {
                report(.typeMismatch, "expected a whole number of at least 0, found \(seedNode.foundDescription)", at: seedNode, path: "seed")
            }
        }
        let canvas = f["canvas"].flatMap { self.canvas($0, path: "canvas") }
        if let assetNode = f["assets"] { readAssets(assetNode) }
        let shaders = f["shaders"].map { self.readShaders($0) } ?? []
        let layers = f["layers"].map { self.layers($0, path: "layers") } ?? []
        let passes = f["passes"].map { self.pluginUses($0, kind: .pass, path: "passes") } ?? []
        let camera = optional(f["camera"]) { self.camera($0, path: "camera") }
        guard let canvas, let camera else { return nil }
        var scene = Scene(format: 1, canvas: canvas, seed: seed, parameters: parameters, assets: assets, layers: layers,
                          passes: passes, camera: camera)
        scene.shaders = shaders
        scene.layerLocations = layerLocations
        scene.canvasLocation = canvasSizeLocation
        return scene
    }

    func camera(_ node: SourceNode, path: String) -> Camera? {
        guard let f = fields(node, path: path, allowed: ["position", "zoom", "rotation"], required: []) else { return nil }
        let position = optional(f["position"]) { self.animatable($0, path: path + ".position") { self.vec2($0, path: $1, allowScalar: false) } }
        let zoom = f["zoom"].map { animatable($0, path: path + ".zoom") { self.double($0, path: $1, in: 0...1000, exclusiveLower: true) } } ?? .constant(1)
        let rotation = f["rotation"].map { animatable($0, path: path + ".rotation") { self.double($0, path: $1) } } ?? .constant(0)
        guard let position, let zoom, let rotation else { return nil }
        return Camera(position: position, zoom: zoom, rotation: rotation)
    }

    // MARK: - Parameters and templating

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

    private func parameter(_ name: String, _ node: SourceNode, path: String) -> ParameterDeclaration? {
        if case let .scalar(text, plain, _) = node, !node.isNull {
            // The type follows the default: 3 is a number, true a bool, anything else text.
            let type: ParameterType = plain && Double(text)?.isFinite == true ? .number : plain && (text == "true" || text == "false") ? .bool : .string
            return ParameterDeclaration(name: name, type: type, defaultValue: text, value: text)
        }
        guard let f = fields(node, path: path, allowed: ["type", "default", "doc", "min", "max"], required: ["type", "default"]) else { return nil }
        guard let typeNode = f["type"], let type = enumValue(typeNode, path: path + ".type", ParameterType.self),
              let defaultNode = f["default"] else { return nil }
        var declaration = ParameterDeclaration(name: name, type: type, defaultValue: "", value: "")
        if let doc = f["doc"] { declaration.doc = string(doc, path: path + ".doc") }
        if let min = f["min"] { declaration.minimum = double(min, path: path + ".min") }
        if let max = f["max"] { declaration.maximum = double(max, path: path + ".max") }
        var text: String
        switch defaultNode {
        case let .scalar(t, _, _): text = t
        case let .sequence(items, _) where type == .vec2 && items.count == 2:
            guard let v = vec2(defaultNode, path: path + ".default", allowScalar: false) else { return nil }
            text = "\(v.x.clean),\(v.y.clean)"
        default:
            report(.typeMismatch, "expected a default value, found \(defaultNode.foundDescription)", at: defaultNode, path: path + ".default")
            return nil
        }
        if let problem = declaration.problem(with: text) {
            report(.parameterType, "the default does not fit the type \(type.rawValue): \(problem)", at: defaultNode, path: path + ".default")
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

    /// Refuses text longer than the limits, per layer and for the scene: each glyph becomes an
    /// outline and vertices when drawn, so a megabyte of text would take gigabytes.
    private func checkTextLength(_ text: Animatable<String>, at node: SourceNode, path: String) {
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

    // MARK: - Canvas

    static let canvasKeys = ["size", "fps", "duration", "background", "samples"]

    func canvas(_ node: SourceNode, path: String) -> Canvas? {
        guard let f = fields(node, path: path, allowed: Self.canvasKeys, required: ["size"]) else { return nil }
        var canvas = Canvas()
        var ok = true
        if let fpsNode = f["fps"] {
            if let v = double(fpsNode, path: path + ".fps", in: 0...1000, exclusiveLower: true) {
                canvas.fps = v
                fps = v
            } else { ok = false }
        }
        if let sizeNode = f["size"] {
            canvasSizeLocation = sizeNode.location
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
                } else if seconds * canvas.fps > Double(limits.maxFrames) {
                    report(.limitExceeded, "\(SceneTime.seconds(seconds)) at \(canvas.fps.clean) fps is \(Int((seconds * canvas.fps).rounded())) frames; a scene may have at most \(limits.maxFrames) (24 h at 120 fps)",
                           at: durationNode, path: path + ".duration")
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
                if case .scalar(_, true, _) = samplesNode, Int(samplesNode.text ?? "") != nil {
                    report(.outOfRange, "expected 1, 2, 4, 8 or 16 samples, found \(samplesNode.foundDescription)", at: samplesNode, path: path + ".samples")
                }
                ok = false
            }
        }
        return ok ? canvas : nil
    }

    // MARK: - Assets

    func readAssets(_ node: SourceNode) {
        guard case let .mapping(entries, _) = node else {
            report(.typeMismatch, "expected a mapping of asset names to file paths, found \(node.foundDescription)", at: node, path: "assets")
            return
        }
        for entry in entries {
            let path = "assets." + entry.key
            guard let file = string(entry.value, path: path) else { continue }
            _ = registerAsset(name: entry.key, file: file, node: entry.value, path: path)
        }
    }

    func registerAsset(name: String, file: String, node: SourceNode, path: String) -> Asset? {
        guard !file.isEmpty else {
            report(.outOfRange, "an asset path cannot be empty", at: node, path: path)
            return nil
        }
        var resolved: String?
        if let baseDirectory {
            resolved = file.hasPrefix("/") ? file : URL(fileURLWithPath: baseDirectory).appendingPathComponent(file).standardizedFileURL.path
        }
        if let files {
            guard let resolved, let sent = files[resolved] else {
                report(.fileNotSent, "asset file '\(file)' was not sent with the scene; files travel by hash, never by path", at: node, path: path)
                return nil
            }
            let asset = Asset(name: name, path: file, resolvedPath: sent)
            assets.append(asset)
            return asset
        }
        if checkAssets, let resolved {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) || isDirectory.boolValue {
                report(.assetMissing, "asset file '\(file)' does not exist (looked for \(resolved)); asset paths are relative to the scene file", at: node, path: path)
            }
        }
        let asset = Asset(name: name, path: file, resolvedPath: resolved)
        assets.append(asset)
        return asset
    }

    /// An asset reference: a name from `assets`, or a file path (registered under itself).
    func assetReference(_ node: SourceNode, path: String) -> String? {
        guard let reference = string(node, path: path) else { return nil }
        if assets.contains(where: { $0.name == reference }) { return reference }
        if reference.contains("/") || reference.contains(".") {
            return registerAsset(name: reference, file: reference, node: node, path: path)?.name
        }
        report(.unknownAsset, "no asset named '\(reference)'; declare it under assets or give a file path", at: node, path: path,
               suggestion: nearestName(to: reference, in: assets.map(\.name)))
        return nil
    }

    // MARK: - Layers

    static let commonLayerKeys = ["id", "position", "anchor", "scale", "rotation", "skew", "opacity", "fill", "stroke",
                                  "trim", "blend", "in", "out", "visible", "mask", "effects", "animate"]
    static let textKeys = ["font", "align", "lineHeight", "letterSpacing"]

    func layers(_ node: SourceNode, path: String, idPrefix: String = "layer") -> [Layer] {
        guard case let .sequence(items, _) = node else {
            report(.typeMismatch, "expected a list of layers, found \(node.foundDescription)", at: node, path: path)
            return []
        }
        guard items.count <= limits.maxLayers, layerIDs.count + items.count <= limits.maxLayers else {
            report(.limitExceeded, "more than \(limits.maxLayers) layers", at: node, path: path)
            return []
        }
        var layers: [Layer] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let layer = layer(item, defaultID: "\(idPrefix)\(index)", path: itemPath) else { continue }
            if let previous = layerIDs[layer.id] {
                report(.duplicateID, "layer id '\(layer.id)' is already used by \(previous); ids must be unique in a scene", at: item, path: itemPath + ".id")
            }
            layerIDs[layer.id] = itemPath
            layerLocations[layer.id] = item.location
            layers.append(layer)
        }
        // Masks name siblings: check once the whole list is known.
        for (index, layer) in layers.enumerated() {
            guard let mask = layer.mask else { continue }
            let itemNode = items.indices.contains(index) ? items[index] : node
            if mask.layer == layer.id {
                report(.mask, "a layer cannot mask itself", at: itemNode, path: "\(path)[\(index)].mask")
            } else if !layers.contains(where: { $0.id == mask.layer }) {
                report(.mask, "mask layer '\(mask.layer)' is not in the same list; a mask must be a sibling layer", at: itemNode,
                       path: "\(path)[\(index)].mask", suggestion: nearestName(to: mask.layer, in: layers.map(\.id)))
            }
        }
        return layers
    }

    func layer(_ node: SourceNode, defaultID: String, path: String) -> Layer? {
        let kindKeys = LayerContent.kindNames
        let allowed = Self.commonLayerKeys + kindKeys + Self.textKeys
        guard let f = fields(node, path: path, allowed: allowed, required: [], reportUnknown: false) else { return nil }

        for entry in f.entries where !allowed.contains(entry.key) { reportUnknownKey(entry, path: path, allowed: allowed) }
        let kinds = f.entries.filter { kindKeys.contains($0.key) }
        guard kinds.count == 1 else {
            if kinds.isEmpty {
                let hasTypo = f.entries.contains { !allowed.contains($0.key) && nearestName(to: $0.key, in: kindKeys) != nil }
                if !hasTypo {
                    report(.layerKind, "the layer has no kind; give it one of: \(kindKeys.joined(separator: ", "))", at: node, path: path)
                }
            } else {
                report(.layerKind, "the layer has \(kinds.count) kinds (\(kinds.map(\.key).joined(separator: ", "))); a layer is exactly one kind", at: node, path: path)
            }
            return nil
        }
        let kind = kinds[0]
        if kind.key != "text" {
            for entry in f.entries where Self.textKeys.contains(entry.key) {
                report(.unknownKey, "'\(entry.key)' applies only to text layers", at: .scalar(entry.key, plain: true, entry.keyLocation), path: path)
            }
        }

        var id = defaultID
        if let idNode = f["id"], let text = string(idNode, path: path + ".id") {
            if text.isEmpty || text.contains(where: { $0.isWhitespace }) {
                report(.outOfRange, "a layer id must be non-empty and contain no spaces", at: idNode, path: path + ".id")
            }
            id = text
        }

        let content = self.content(kind, layer: f, id: id, path: path)
        let position = f["position"].map { animatable($0, path: path + ".position") { self.vec2($0, path: $1, allowScalar: false) } } ?? .constant(.zero)
        let anchor = f["anchor"].map { animatable($0, path: path + ".anchor") { self.vec2($0, path: $1, allowScalar: false) } } ?? .constant(.zero)
        let scale = f["scale"].map { animatable($0, path: path + ".scale") { self.vec2($0, path: $1, allowScalar: true) } } ?? .constant(.one)
        let rotation = f["rotation"].map { animatable($0, path: path + ".rotation") { self.double($0, path: $1) } } ?? .constant(0)
        let skew = f["skew"].map { animatable($0, path: path + ".skew") { self.vec2($0, path: $1, allowScalar: false, in: -89...89) } } ?? .constant(.zero)
        let opacity = f["opacity"].map { animatable($0, path: path + ".opacity") { self.double($0, path: $1, in: 0...1) } } ?? .constant(1)
        let stroke = f["stroke"].map { self.stroke($0, path: path + ".stroke") } ?? .some(nil)
        var hasStroke = false
        if case .some(.some) = stroke { hasStroke = true }
        // Shapes need some paint to be seen: white unless stroked. Lines draw only strokes;
        // pictures need no paint.
        let paintless = ["line", "image", "video", "group", "shader"].contains(kind.key)
        var fill: Animatable<Paint>?? = (hasStroke || paintless) ? .some(nil) : .some(.constant(.solid(.white)))
        if let fillNode = f["fill"] {
            if case let .scalar(text, _, _) = fillNode, text == "none" {
                fill = .some(nil)
            } else {
                fill = animatable(fillNode, path: path + ".fill", compatible: { a, b in
                    a.interpolates(with: b) ? nil : "cannot blend a \(a.kindName) into a \(b.kindName); keyframed gradients need the same kind and number of stops"
                }) { self.paint($0, path: $1) }.map { .some($0) }
            }
        }
        var finalStroke = stroke
        if kind.key == "line", f["stroke"] == nil {
            // A line is drawn by its stroke; without one it would be invisible.
            finalStroke = .some(Stroke(color: .constant(.white), width: .constant(2)))
        }
        let trim = f["trim"].map { self.trim($0, path: path + ".trim") } ?? .some(nil)
        let blend = f["blend"].map { enumValue($0, path: path + ".blend", BlendMode.self) } ?? .normal
        let inTime = f["in"].flatMap { time($0, path: path + ".in") }
        let outTime = f["out"].flatMap { time($0, path: path + ".out") }
        if let inTime, let outTime, outTime <= inTime, let outNode = f["out"] {
            report(.outOfRange, "the layer's out time (\(formatSeconds(outTime))s) must come after its in time (\(formatSeconds(inTime))s)", at: outNode, path: path + ".out")
        }
        var visible = true
        if let v = f["visible"] { visible = bool(v, path: path + ".visible") ?? true }
        let mask = f["mask"].map { self.mask($0, path: path + ".mask") } ?? .some(nil)
        let effects = f["effects"].map { pluginUses($0, kind: .pass, path: path + ".effects") } ?? []
        let animate = f["animate"].map { pluginUses($0, kind: .animation, path: path + ".animate") } ?? []

        guard let content, let position, let anchor, let scale, let rotation, let skew, let opacity, let finalStroke,
              let fill, let trim, let blend, let mask else { return nil }
        return Layer(id: id, content: content, position: position, anchor: anchor, scale: scale, rotation: rotation, skew: skew,
                     opacity: opacity, fill: fill, stroke: finalStroke, trim: trim, blend: blend, inTime: inTime, outTime: outTime,
                     visible: visible, mask: mask, effects: effects, animate: animate)
    }

    func content(_ kind: SourceNode.Entry, layer f: Fields, id: String, path: String) -> LayerContent? {
        let node = kind.value
        let p = path + "." + kind.key
        let nonNegative = 0...Double.greatestFiniteMagnitude
        switch kind.key {
        case "rect":
            guard let g = fields(node, path: p, allowed: ["size", "radius"], required: ["size"]) else { return nil }
            let size = g["size"].flatMap { animatable($0, path: p + ".size") { self.vec2($0, path: $1, allowScalar: true, in: nonNegative) } }
            let radius = g["radius"].map { animatable($0, path: p + ".radius") { self.double($0, path: $1, in: nonNegative) } } ?? .constant(0)
            guard let size, let radius else { return nil }
            return .rect(size: size, cornerRadius: radius)
        case "circle":
            guard let g = fields(node, path: p, allowed: ["radius"], required: ["radius"]) else { return nil }
            let radius = g["radius"].flatMap { animatable($0, path: p + ".radius") { self.double($0, path: $1, in: nonNegative) } }
            return radius.map { .ellipse(radii: $0.map { Vec2($0, $0) }) }
        case "ellipse":
            guard let g = fields(node, path: p, allowed: ["size"], required: ["size"]) else { return nil }
            let size = g["size"].flatMap { animatable($0, path: p + ".size") { self.vec2($0, path: $1, allowScalar: true, in: nonNegative) } }
            return size.map { .ellipse(radii: $0.map { $0 * 0.5 }) }
        case "polygon":
            guard let g = fields(node, path: p, allowed: ["sides", "radius"], required: ["sides", "radius"]) else { return nil }
            let sides = g["sides"].flatMap { int($0, path: p + ".sides", in: 3...1000) }
            let radius = g["radius"].flatMap { animatable($0, path: p + ".radius") { self.double($0, path: $1, in: nonNegative) } }
            guard let sides, let radius else { return nil }
            return .polygon(sides: sides, radius: radius)
        case "star":
            guard let g = fields(node, path: p, allowed: ["points", "radius", "innerRadius"], required: ["points", "radius"]) else { return nil }
            let points = g["points"].flatMap { int($0, path: p + ".points", in: 2...1000) }
            let outer = g["radius"].flatMap { animatable($0, path: p + ".radius") { self.double($0, path: $1, in: nonNegative) } }
            let inner = g["innerRadius"].map { animatable($0, path: p + ".innerRadius") { self.double($0, path: $1, in: nonNegative) } }
                ?? outer.map { $0.map { $0 * 0.5 } }
            guard let points, let outer, let inner else { return nil }
            return .star(points: points, outerRadius: outer, innerRadius: inner)
        case "line":
            guard let g = fields(node, path: p, allowed: ["from", "to"], required: ["from", "to"]) else { return nil }
            let from = g["from"].flatMap { animatable($0, path: p + ".from") { self.vec2($0, path: $1, allowScalar: false) } }
            let to = g["to"].flatMap { animatable($0, path: p + ".to") { self.vec2($0, path: $1, allowScalar: false) } }
            guard let from, let to else { return nil }
            return .line(from: from, to: to)
        case "path":
            var dNode = node
            var rule = FillRule.nonzero
            if case .mapping = node, !isKeyframes(node) {
                guard let g = fields(node, path: p, allowed: ["d", "fillRule"], required: ["d"]), let d = g["d"] else { return nil }
                dNode = d
                if let r = g["fillRule"] { rule = enumValue(r, path: p + ".fillRule", FillRule.self) ?? .nonzero }
            }
            let data = animatable(dNode, path: p, compatible: { a, b in
                a.structure == b.structure ? nil : "keyframed paths need the same commands in the same order (\(a.structure) vs \(b.structure))"
            }) { self.pathData($0, path: $1) }
            return data.map { .path($0, fillRule: rule) }
        case "text":
            let text = animatable(node, path: p) { self.string($0, path: $1) }
            if let text { checkTextLength(text, at: node, path: p) }
            var font = Font(family: "DejaVu Sans", size: .constant(48), weight: 400, italic: false)
            if let fontNode = f["font"], let g = fields(fontNode, path: path + ".font", allowed: ["family", "size", "weight", "style"], required: []) {
                if let family = g["family"].flatMap({ string($0, path: path + ".font.family") }) { font.family = family }
                if let size = g["size"].flatMap({ animatable($0, path: path + ".font.size") { self.double($0, path: $1, in: 0...10_000) } }) { font.size = size }
                if let weightNode = g["weight"] {
                    if case let .scalar(w, _, _) = weightNode, let named = Font.weightNames[w.lowercased()] {
                        font.weight = named
                    } else if case let .scalar(w, true, _) = weightNode, Int(w) == nil {
                        report(.outOfRange, "expected a weight from 100 to 900 or one of \(Font.weightNames.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key).joined(separator: ", ")), found \"\(w)\"",
                               at: weightNode, path: path + ".font.weight", suggestion: nearestName(to: w, in: Array(Font.weightNames.keys).sorted()))
                    } else if let w = int(weightNode, path: path + ".font.weight", in: 100...900) {
                        font.weight = w
                    }
                }
                if let style = g["style"], let s = string(style, path: path + ".font.style") {
                    if s == "italic" || s == "normal" { font.italic = s == "italic" } else {
                        report(.outOfRange, "expected normal or italic, found \"\(s)\"", at: style, path: path + ".font.style",
                               suggestion: nearestName(to: s, in: ["normal", "italic"]))
                    }
                }
            }
            let align = f["align"].map { enumValue($0, path: path + ".align", TextAlign.self) } ?? .center
            let lineHeight = f["lineHeight"].map { animatable($0, path: path + ".lineHeight") { self.double($0, path: $1, in: 0...100) } } ?? .constant(1.2)
            let spacing = f["letterSpacing"].map { animatable($0, path: path + ".letterSpacing") { self.double($0, path: $1) } } ?? .constant(0)
            guard let text, let align, let lineHeight, let spacing else { return nil }
            return .text(TextContent(text: text, font: font, align: align, lineHeight: lineHeight, letterSpacing: spacing))
        case "image", "video":
            let isVideo = kind.key == "video"
            var asset: String?
            var size: Animatable<Vec2>??
            var fit: Fit? = .contain
            var start = 0.0, speed = 1.0, loop = false
            if case .scalar = node {
                asset = assetReference(node, path: p)
                size = .some(nil)
            } else {
                let allowed = isVideo ? ["asset", "size", "fit", "start", "speed", "loop"] : ["asset", "size", "fit"]
                guard let g = fields(node, path: p, allowed: allowed, required: ["asset"]) else { return nil }
                asset = g["asset"].flatMap { assetReference($0, path: p + ".asset") }
                size = optional(g["size"]) { self.animatable($0, path: p + ".size") { self.vec2($0, path: $1, allowScalar: true, in: nonNegative) } }
                if let fitNode = g["fit"] { fit = enumValue(fitNode, path: p + ".fit", Fit.self) }
                if let s = g["start"] { start = time(s, path: p + ".start") ?? 0 }
                if let s = g["speed"] { speed = double(s, path: p + ".speed", in: 0...1000, exclusiveLower: true) ?? 1 }
                if let l = g["loop"] { loop = bool(l, path: p + ".loop") ?? false }
            }
            guard let asset, let size, let fit else { return nil }
            if isVideo {
                return .video(VideoContent(asset: asset, size: size, fit: fit, start: start, speed: speed, loop: loop))
            }
            return .image(ImageContent(asset: asset, size: size, fit: fit))
        case "group":
            var list = node
            if case .mapping = node {
                guard let g = fields(node, path: p, allowed: ["layers"], required: ["layers"]), let l = g["layers"] else { return nil }
                list = l
            }
            return .group(layers(list, path: p + (list.location == node.location ? "" : ".layers"), idPrefix: id + "."))
        case "shader":
            guard let g = fields(node, path: p, allowed: ["name", "size", "params"], required: ["name"]) else { return nil }
            guard let nameNode = g["name"], let name = string(nameNode, path: p + ".name") else { return nil }
            let use = pluginUse(name: name, nameNode: nameNode, parameters: g["params"], kind: .layer, path: p)
            let size = optional(g["size"]) { self.animatable($0, path: p + ".size") { self.vec2($0, path: $1, allowScalar: true, in: nonNegative) } }
            guard let use, let size else { return nil }
            return .shader(ShaderContent(shader: use, size: size))
        default:
            return nil
        }
    }

    // MARK: - Paint, stroke, trim, mask

    func paint(_ node: SourceNode, path: String) -> Paint? {
        if case .scalar = node { return color(node, path: path).map { .solid($0) } }
        guard case let .mapping(entries, _) = node, entries.count == 1, let entry = entries.first,
              entry.key == "linear" || entry.key == "radial" else {
            if case let .mapping(entries, _) = node, let key = entries.first?.key, entries.count == 1 {
                report(.unknownKey, "unknown paint '\(key)'; a paint is a colour, { linear: … } or { radial: … }",
                       at: node, path: path, suggestion: nearestName(to: key, in: ["linear", "radial"]))
            } else {
                report(.typeMismatch, "expected a colour, { linear: { from, to, stops } } or { radial: { center, radius, stops } }, found \(node.foundDescription)", at: node, path: path)
            }
            return nil
        }
        let p = path + "." + entry.key
        if entry.key == "linear" {
            guard let g = fields(entry.value, path: p, allowed: ["from", "to", "stops"], required: ["from", "to", "stops"]) else { return nil }
            let from = g["from"].flatMap { vec2($0, path: p + ".from", allowScalar: false) }
            let to = g["to"].flatMap { vec2($0, path: p + ".to", allowScalar: false) }
            let stops = g["stops"].flatMap { gradientStops($0, path: p + ".stops") }
            guard let from, let to, let stops else { return nil }
            return .linear(from: from, to: to, stops: stops)
        }
        guard let g = fields(entry.value, path: p, allowed: ["center", "radius", "stops"], required: ["radius", "stops"]) else { return nil }
        let center = g["center"].map { vec2($0, path: p + ".center", allowScalar: false) } ?? .zero
        let radius = g["radius"].flatMap { double($0, path: p + ".radius", in: 0...Double.greatestFiniteMagnitude, exclusiveLower: true) }
        let stops = g["stops"].flatMap { gradientStops($0, path: p + ".stops") }
        guard let center, let radius, let stops else { return nil }
        return .radial(center: center, radius: radius, stops: stops)
    }

    func gradientStops(_ node: SourceNode, path: String) -> [GradientStop]? {
        guard case let .sequence(items, _) = node, items.count >= 2 else {
            report(.typeMismatch, "expected at least two stops like [[0, \"#ffffff\"], [1, \"#000000\"]], found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        var stops: [GradientStop] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard case let .sequence(parts, _) = item, parts.count == 2 else {
                report(.typeMismatch, "expected a stop [offset, colour], found \(item.foundDescription)", at: item, path: p)
                return nil
            }
            guard let offset = double(parts[0], path: p + "[0]", in: 0...1), let c = color(parts[1], path: p + "[1]") else { return nil }
            if let last = stops.last, offset < last.offset {
                report(.outOfRange, "stop offsets must not decrease (\(offset.clean) comes after \(last.offset.clean))", at: parts[0], path: p + "[0]")
                return nil
            }
            stops.append(GradientStop(offset: offset, color: c))
        }
        return stops
    }

    /// `stroke: "#fff"` (1 px) or `stroke: { color, width, cap, join, miterLimit, dash, dashOffset }`.
    /// nil means an error was reported.
    func stroke(_ node: SourceNode, path: String) -> Stroke?? {
        if case .scalar = node {
            if node.text == "none" { return .some(nil) }
            return color(node, path: path).map { .some(Stroke(color: .constant($0))) }
        }
        guard let f = fields(node, path: path, allowed: ["color", "width", "cap", "join", "miterLimit", "dash", "dashOffset"], required: ["color"]) else { return nil }
        let nonNegative = 0...Double.greatestFiniteMagnitude
        let color = f["color"].flatMap { animatable($0, path: path + ".color") { self.color($0, path: $1) } }
        let width = f["width"].map { animatable($0, path: path + ".width") { self.double($0, path: $1, in: nonNegative) } } ?? .constant(1)
        let cap = f["cap"].map { enumValue($0, path: path + ".cap", LineCap.self) } ?? .butt
        let join = f["join"].map { enumValue($0, path: path + ".join", LineJoin.self) } ?? .miter
        let miter = f["miterLimit"].map { animatable($0, path: path + ".miterLimit") { self.double($0, path: $1, in: 1...1000) } } ?? .constant(4)
        let sameCount: (NumberList, NumberList) -> String? = { a, b in
            a.values.count == b.values.count ? nil : "keyframed dash patterns need the same number of entries"
        }
        let dash = optional(f["dash"]) { self.animatable($0, path: path + ".dash", compatible: sameCount) { self.dashPattern($0, path: $1) } }
        let dashOffset = f["dashOffset"].map { animatable($0, path: path + ".dashOffset") { self.double($0, path: $1) } } ?? .constant(0)
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
        guard let f = fields(node, path: path, allowed: ["start", "end", "offset"], required: []) else { return nil }
        let start = f["start"].map { animatable($0, path: path + ".start") { self.double($0, path: $1, in: 0...1) } } ?? .constant(0)
        let end = f["end"].map { animatable($0, path: path + ".end") { self.double($0, path: $1, in: 0...1) } } ?? .constant(1)
        let offset = f["offset"].map { animatable($0, path: path + ".offset") { self.double($0, path: $1) } } ?? .constant(0)
        guard let start, let end, let offset else { return nil }
        return .some(Trim(start: start, end: end, offset: offset))
    }

    func mask(_ node: SourceNode, path: String) -> Mask?? {
        if case .scalar = node {
            return string(node, path: path).map { .some(Mask(layer: $0, mode: .alpha, invert: false)) }
        }
        guard let f = fields(node, path: path, allowed: ["layer", "mode", "invert"], required: ["layer"]) else { return nil }
        let layer = f["layer"].flatMap { string($0, path: path + ".layer") }
        let mode = f["mode"].map { enumValue($0, path: path + ".mode", MaskMode.self) } ?? .alpha
        let invert = f["invert"].map { bool($0, path: path + ".invert") } ?? false
        guard let layer, let mode, let invert else { return nil }
        return .some(Mask(layer: layer, mode: mode, invert: invert))
    }

    func pathData(_ node: SourceNode, path: String) -> PathData? {
        guard let text = string(node, path: path) else { return nil }
        do {
            return try PathData(svg: text, maxCommands: limits.maxKeyframes)
        } catch {
            var location = node.location
            // Point at the offending character when the scalar sits on one line.
            if !text.contains("\n") { location.column += error.offset + (node.isQuoted ? 1 : 0) }
            diagnostics.append(Diagnostic(.pathData, "bad SVG path data: \(error.message) at character \(error.offset + 1)", at: location, path: path))
            return nil
        }
    }

    // MARK: - Plugin uses

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
                diagnostics.append(Diagnostic(.pluginParameter, problem.message, at: location, path: path + "." + problem.parameter))
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

    /// For optional keys: `.some(nil)` when absent, nil when present but invalid (already
    /// reported), `.some(value)` otherwise.
    func optional<T>(_ node: SourceNode?, _ read: (SourceNode) -> T?) -> T?? {
        guard let node else { return .some(nil) }
        return read(node).map { .some($0) }
    }

    // MARK: - Keyframes

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

    // MARK: - Values

    /// A mapping's entries by key, after reporting unknown and missing keys.
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
            for entry in entries where !allowed.contains(entry.key) { reportUnknownKey(entry, path: path, allowed: allowed) }
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            report(.missingKey, "missing required key '\(key)'", at: node, path: path)
        }
        return Fields(entries: entries)
    }

    func reportUnknownKey(_ entry: SourceNode.Entry, path: String, allowed: [String]) {
        let key = SourceNode.scalar(entry.key, plain: true, entry.keyLocation)
        if entry.key == "<<" {
            report(.unknownKey, "unknown key '<<': YAML merge keys ('<<: *name') are not supported, since Reel reads YAML 1.2, which has none. Anchor the whole value instead (fill: &brand \"#e94560\" … fill: *brand) or write the keys out",
                   at: key, path: path)
        } else {
            report(.unknownKey, "unknown key '\(entry.key)'", at: key, path: path, suggestion: nearestName(to: entry.key, in: allowed))
        }
    }

    func double(_ node: SourceNode, path: String, in range: ClosedRange<Double>? = nil, exclusiveLower: Bool = false) -> Double? {
        guard case let .scalar(text, true, _) = node, let value = Double(text) else {
            report(.typeMismatch, "expected a number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        guard value.isFinite else {
            report(.outOfRange, "expected a finite number, found \(text)", at: node, path: path)
            return nil
        }
        if let range, !range.contains(value) || (exclusiveLower && value == range.lowerBound) {
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : " and at most \(range.upperBound.clean)"
            let lower = range.lowerBound == -.greatestFiniteMagnitude ? "" : exclusiveLower ? "more than \(range.lowerBound.clean)" : "at least \(range.lowerBound.clean)"
            report(.outOfRange, "expected a number \(lower)\(upper), found \(text)", at: node, path: path)
            return nil
        }
        return value
    }

    func int(_ node: SourceNode, path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard case let .scalar(text, true, _) = node, let value = Int(text) else {
            report(.typeMismatch, "expected a whole number, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        if let range, !range.contains(value) {
            report(.outOfRange, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(value)", at: node, path: path)
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

    func enumValue<E: RawRepresentable & CaseIterable>(_ node: SourceNode, path: String, _: E.Type) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard case let .scalar(text, _, _) = node, let value = E(rawValue: text) else {
            var suggestion: String?
            if case let .scalar(text, _, _) = node { suggestion = nearestName(to: text, in: names) }
            report(.outOfRange, "expected one of \(names.joined(separator: ", ")), found \(node.foundDescription)", at: node, path: path, suggestion: suggestion)
            return nil
        }
        return value
    }

    /// `[x, y]`; with `allowScalar`, a single number `s` means `[s, s]`.
    func vec2(_ node: SourceNode, path: String, allowScalar: Bool, in range: ClosedRange<Double>? = nil) -> Vec2? {
        if allowScalar, case .scalar = node {
            return double(node, path: path, in: range).map { Vec2($0, $0) }
        }
        guard case let .sequence(items, _) = node, items.count == 2 else {
            report(.typeMismatch, "expected [x, y]\(allowScalar ? " or a number" : ""), found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let x = double(items[0], path: path + "[0]", in: range), y = double(items[1], path: path + "[1]", in: range)
        guard let x, let y else { return nil }
        return Vec2(x, y)
    }

    func color(_ node: SourceNode, path: String) -> Color? {
        guard case let .scalar(text, _, _) = node, let color = Color(parsing: text) else {
            if node.isNull, let comment = commentAfter(node) {
                report(.typeMismatch, "the value is empty because '#' starts a comment in YAML, so \(comment) is not read; quote the colour: \"\(comment)\"",
                       at: node, path: path)
                return nil
            }
            var suggestion: String?
            if case let .scalar(text, _, _) = node {
                let name = text.lowercased().prefix { $0.isLetter }
                if ["rgb", "rgba", "hsl", "hsla"].contains(name), text.contains("(") {
                    report(.typeMismatch, "\(text) is not a colour: rgb() takes three channels 0–255 or 0%–100%, hsl() a hue in degrees and two percentages, each with an optional alpha after '/' (0–1 or a percentage), e.g. rgb(233 69 96 / 50%)",
                           at: node, path: path)
                    return nil
                }
                suggestion = nearestName(to: text, in: Array(Color.named.keys).sorted())
            }
            report(.typeMismatch, "expected a colour: \"#e94560\", \"#e9456080\", rgb(233 69 96), rgb(233 69 96 / 50%), hsl(350 79% 59%) or one of the 148 CSS names such as white, tomato or rebeccapurple (`reel schema` lists them), found \(node.foundDescription)",
                   at: node, path: path, suggestion: suggestion)
            return nil
        }
        return color
    }

    /// For an empty value, the comment that follows it on its line (`#3355ff` in `fill: #3355ff`),
    /// when the line reads as a value written without quotes.
    func commentAfter(_ node: SourceNode) -> String? {
        let location = node.location
        guard let lines = sourceLines, location.line >= 1, location.line <= lines.count else { return nil }
        let line = lines[location.line - 1]
        // The comment starts at the first '#' after the key's colon, preceded by a space.
        guard let colon = line.firstIndex(of: ":"),
              let hash = line[colon...].range(of: " #")?.upperBound else { return nil }
        let word = line[line.index(before: hash)...].prefix { !$0.isWhitespace && $0 != "," && $0 != "}" && $0 != "]" }
        return word.count > 1 ? String(word) : nil
    }

    /// Seconds from `2s`, `500ms`, `90f` or a bare number.
    func time(_ node: SourceNode, path: String) -> Double? {
        guard case let .scalar(text, _, _) = node, let t = SceneTime(parsing: text) else {
            report(.typeMismatch, "expected a time like 2s, 500ms, 90f or 1.5, found \(node.foundDescription)", at: node, path: path)
            return nil
        }
        let seconds = t.seconds(fps: fps)
        guard seconds <= limits.maxDurationSeconds else {
            report(.limitExceeded, "\(text) is beyond the \(Int(limits.maxDurationSeconds)) s limit", at: node, path: path)
            return nil
        }
        return seconds
    }

    private func exactInt(_ v: Double) -> Int? {
        v == v.rounded() && abs(v) < 1e9 ? Int(v) : nil
    }
}

extension SourceNode {
    /// The scalar's text, or nil for mappings and lists.
    var text: String? {
        if case let .scalar(text, _, _) = self { return text }
        return nil
    }

    var isQuoted: Bool {
        if case let .scalar(_, plain, _) = self { return !plain }
        return false
    }
}

extension Double {
    /// `1` rather than `1.0` in messages (and `29.97` as is).
    public var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
