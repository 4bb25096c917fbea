import Foundation
import ReelCore

/// Reads ISF (Interactive Shader Format) fragment shaders: a JSON header in the leading
/// comment (`INPUTS`, `PASSES`, `IMPORTED`) over GLSL that uses ISF's built-ins, translated
/// here to GLSL ES 3.00. See https://isf.video for the format.
enum ISF {
    static let inputTypes = ["event", "bool", "long", "float", "point2D", "color", "image", "audio", "audioFFT"]

    /// True when `source` starts with a comment holding a JSON object: how ISF files begin.
    static func looksLikeISF(_ source: String) -> Bool {
        let trimmed = source.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("/*") else { return false }
        return trimmed.dropFirst(2).drop { $0.isWhitespace }.first == "{"
    }

    static func parse(_ file: ShaderFile) throws -> ShaderSpec {
        let source = file.source
        guard let open = source.range(of: "/*"), let close = source.range(of: "*/", range: open.upperBound..<source.endIndex) else {
            throw ShaderFileError(.shaderFile, "an ISF file starts with a /* … */ comment holding its JSON header", line: 1,
                                  suggestion: "begin the file with /* { \"ISFVSN\": \"2\", \"INPUTS\": [] } */")
        }
        let headerLine = line(of: open.lowerBound, in: source)
        let json = String(source[open.upperBound..<close.lowerBound])
        func lineOf(_ needle: String) -> Int {
            guard let range = json.range(of: needle) else { return headerLine }
            return headerLine + json[..<range.lowerBound].filter { $0 == "\n" }.count
        }
        let header: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
                throw ShaderFileError(.shaderFile, "the ISF header must be a JSON object", line: headerLine)
            }
            header = object
        } catch let error as ShaderFileError {
            throw error
        } catch {
            let (line, column) = jsonErrorPosition(error, in: json)
            throw ShaderFileError(.shaderFile, "the ISF header is not valid JSON: \(jsonErrorSummary(error))",
                                  line: headerLine + max(line - 1, 0), column: column)
        }

        var inputs: [ShaderInput] = []
        var warnings: [String] = []
        var isFilter = false
        let rawInputs = header["INPUTS"] ?? []
        guard let inputList = rawInputs as? [Any] else {
            throw ShaderFileError(.shaderFile, "INPUTS must be a list of input objects", line: lineOf("\"INPUTS\""))
        }
        for raw in inputList {
            guard let input = raw as? [String: Any], let name = input["NAME"] as? String else {
                throw ShaderFileError(.shaderFile, "every input needs a NAME (a string)", line: lineOf("\"INPUTS\""))
            }
            let line = lineOf("\"\(name)\"")
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil, !name.hasPrefix("gl_") else {
                throw ShaderFileError(.shaderFile, "input name '\(name)' is not a GLSL identifier", line: line)
            }
            guard let type = input["TYPE"] as? String else {
                throw ShaderFileError(.shaderFile, "input '\(name)' has no TYPE", line: line)
            }
            // Audio: a render has no live audio, so the input reads silence (an empty picture),
            // as in a host with nothing playing; a scene may set it to a picture asset.
            if type == "audio" || type == "audioFFT" {
                warnings.append("\(file.resolvedPath):\(line): input '\(name)': \(type) input: a render has no live audio, so it "
                                + "reads silence (an empty picture) unless the scene names a picture asset for it")
                inputs.append(ShaderInput(name: name, kind: .image, parameter: .text(Param.string(
                    name, default: "", doc: "(ISF \(type): silence in a render, or the name of a scene asset)")), line: line))
                continue
            }
            guard let kind = ShaderInput.Kind(rawValue: type) else {
                let why = "unknown input type '\(type)'"
                throw ShaderFileError(.shaderFile, "input '\(name)': \(why); ISF input types are \(inputTypes.joined(separator: ", "))",
                                      line: lineOf("\"\(type)\""), suggestion: nearestName(to: type, in: inputTypes))
            }
            if kind == .image && name == "inputImage" {
                isFilter = true
                inputs.append(ShaderInput(name: name, kind: kind, parameter: nil, line: line))
                continue
            }
            let parameter = try parameter(name, kind, input, line: line, file: file, warnings: &warnings)
            // The decoder checks values against min...max, which cannot be formed the wrong way round.
            if let minimum = parameter.spec.minimum, let maximum = parameter.spec.maximum, !(minimum <= maximum) {
                throw ShaderFileError(.shaderFile, "input '\(name)': MIN \(format(minimum)) is more than MAX \(format(maximum))", line: line)
            }
            inputs.append(ShaderInput(name: name, kind: kind, parameter: parameter, line: line))
        }

        var passes: [ShaderPassSpec] = []
        if let rawPasses = header["PASSES"] {
            guard let list = rawPasses as? [Any] else {
                throw ShaderFileError(.shaderFile, "PASSES must be a list of pass objects", line: lineOf("\"PASSES\""))
            }
            for raw in list {
                guard let pass = raw as? [String: Any] else {
                    throw ShaderFileError(.shaderFile, "each pass must be an object", line: lineOf("\"PASSES\""))
                }
                let target = pass["TARGET"] as? String
                if let target, target.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) == nil {
                    throw ShaderFileError(.shaderFile, "pass target '\(target)' is not a GLSL identifier", line: lineOf("\"\(target)\""))
                }
                passes.append(ShaderPassSpec(target: target, persistent: truthy(pass["PERSISTENT"]), float: truthy(pass["FLOAT"]),
                                             width: sizeText(pass["WIDTH"]), height: sizeText(pass["HEIGHT"])))
            }
        }
        // ISF v1 lists persistent buffers apart from the passes: names, or names to sizes.
        if let persistent = header["PERSISTENT_BUFFERS"] {
            var sizes: [String: [String: Any]] = [:]
            if let names = persistent as? [Any] {
                for case let name as String in names { sizes[name] = [:] }
            } else if let dictionary = persistent as? [String: Any] {
                for (name, value) in dictionary { sizes[name] = value as? [String: Any] ?? [:] }
            } else if let name = persistent as? String {
                sizes[name] = [:]
            }
            for index in passes.indices {
                guard let target = passes[index].target, let size = sizes[target] else { continue }
                passes[index].persistent = true
                passes[index].float = passes[index].float || truthy(size["FLOAT"])
                passes[index].width = passes[index].width ?? sizeText(size["WIDTH"])
                passes[index].height = passes[index].height ?? sizeText(size["HEIGHT"])
            }
        }
        if passes.isEmpty { passes = [ShaderPassSpec(target: nil, persistent: false, float: false)] }
        // Check size expressions now, with stand-in values, so a typo is reported with the file.
        let numbers = Dictionary(inputs.filter { $0.kind == .float || $0.kind == .long }.map { ($0.name, 1.0) }, uniquingKeysWith: { a, _ in a })
        for pass in passes {
            for expression in [pass.width, pass.height].compactMap({ $0 }) {
                do {
                    _ = try SizeExpression.evaluate(expression, variables: numbers.merging(["WIDTH": 640, "HEIGHT": 360]) { a, _ in a })
                } catch let SizeExpression.Failure.invalid(why) {
                    throw ShaderFileError(.shaderFile, "pass size \"\(expression)\": \(why)", line: lineOf(expression))
                }
            }
        }

        var imported: [(String, String)] = []
        if let dictionary = header["IMPORTED"] as? [String: Any] {
            for (name, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                guard let path = (value as? [String: Any])?["PATH"] as? String else {
                    throw ShaderFileError(.shaderFile, "imported image '\(name)' needs a PATH", line: lineOf("\"\(name)\""))
                }
                imported.append((name, path))
            }
        } else if let list = header["IMPORTED"] as? [[String: Any]] {
            for entry in list {
                guard let name = entry["NAME"] as? String, let path = entry["PATH"] as? String else {
                    throw ShaderFileError(.shaderFile, "each imported image needs a NAME and a PATH", line: lineOf("\"IMPORTED\""))
                }
                imported.append((name, path))
            }
        }

        var warmUp: Int?
        if let frames = header["REEL_WARMUP"] {
            guard let n = frames as? Int, n >= 0 else {
                throw ShaderFileError(.shaderFile, "REEL_WARMUP must be a whole number of frames", line: lineOf("\"REEL_WARMUP\""))
            }
            warmUp = n
        }
        // The header becomes blank lines, so the GLSL keeps its line numbers.
        let body = String(source[..<open.lowerBound]) + blanked(String(source[open.lowerBound..<close.upperBound]))
            + String(source[close.upperBound...])
        guard body.range(of: #"void[ \t]+main[ \t]*\("#, options: .regularExpression) != nil else {
            throw ShaderFileError(.shaderFile, "no main() function: an ISF shader defines void main()", line: headerLine)
        }
        let targets = passes.compactMap(\.target)
        return ShaderSpec(file: file, dialect: .isf, isFilter: isFilter, description: header["DESCRIPTION"] as? String ?? "",
                          inputs: inputs, passes: passes, imported: imported, warmUpFrames: warmUp, code: body,
                          vertexCode: file.vertexSource, samplers: targets + imported.map(\.0), warnings: warnings)
    }

    /// The program for an ISF file. Its body goes under `#line 1 1` (so driver messages carry
    /// the file's own line numbers, source string 1), with ISF's uniforms and macros before it
    /// and a `main` after it that sets `isf_FragNormCoord` and runs the file's own `main`.
    ///
    /// On a desktop context the file compiles as desktop GLSL, `#version 430 compatibility`,
    /// as the hosts ISF files are written for compile them (VDMX, the ISF Editor): built-ins
    /// may be redefined, globals initialised from uniforms, ints and floats mixed,
    /// `gl_FragColor`, `texture2D` and `varying` are the language's own, and `GL_ES` is not
    /// defined, so `#ifdef GL_ES` precision guards stay off. A `.vs` companion is its vertex
    /// shader: `isf_vertShaderInit()` places ISF's quad and sets `isf_FragNormCoord`, then
    /// the file's code sets its own varyings. On OpenGL ES the body is translated to GLSL ES
    /// 3.00 as far as simple renaming goes, and a `.vs` cannot be used.
    static func translate(_ spec: ShaderSpec, desktop: Bool) -> (vertex: String?, fragment: String) {
        var declarations: [String] = [
            "uniform float TIME;", "uniform float TIMEDELTA;", "uniform vec2 RENDERSIZE;", "uniform int PASSINDEX;",
            "uniform int FRAMEINDEX;", "uniform vec4 DATE;",
        ]
        for input in spec.inputs {
            switch input.kind {
            case .float: declarations.append("uniform float \(input.name);")
            case .bool, .event: declarations.append("uniform bool \(input.name);")
            case .long: declarations.append("uniform int \(input.name);")
            case .point2D: declarations.append("uniform vec2 \(input.name);")
            case .color: declarations.append("uniform vec4 \(input.name);")
            case .image: declarations.append("uniform sampler2D \(input.name);")
            }
        }
        for sampler in spec.samplers where !spec.inputs.contains(where: { $0.name == sampler }) {
            declarations.append("uniform sampler2D \(sampler);")
        }
        // The spec's per-image uniforms: the size in pixels, the rectangle it covers (pixels)
        // and whether it is stored upside down (never: Reel hands images over GL's way up).
        for image in spec.imageNames {
            declarations += ["uniform vec4 _\(image)_imgRect;", "uniform vec2 _\(image)_imgSize;", "uniform bool _\(image)_flip;"]
        }
        // ISF v1 names, as the spec converts them.
        let aliases = """
            #define vv_FragNormCoord isf_FragNormCoord
            #define vv_vertShaderInit isf_vertShaderInit
            #define IMG_NORM_PIXEL(i, c) texture(i, c)
            #define IMG_PIXEL(i, c) texture(i, (c) / vec2(textureSize(i, 0)))
            #define IMG_THIS_NORM_PIXEL(i) texture(i, isf_FragNormCoord)
            #define IMG_THIS_PIXEL(i) texture(i, isf_FragNormCoord)
            #define IMG_SIZE(i) vec2(textureSize(i, 0))
            """
        let uniforms = declarations.joined(separator: "\n")
        var code = spec.code.replacingOccurrences(of: #"(?m)^[ \t]*#version[^\n]*"#, with: "", options: .regularExpression)
        code = code.replacingOccurrences(of: #"\bvoid([ \t]+)main([ \t]*)\("#, with: "void$1isf_main$2(", options: .regularExpression)

        guard desktop else {
            for (pattern, replacement) in [(#"\bgl_FragColor\b"#, "isf_FragColor"), (#"\btexture2D\b"#, "texture"),
                                           (#"\btexture2DProj\b"#, "textureProj")] {
                code = code.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            }
            return (nil, """
                #version 300 es
                precision highp float;
                precision highp int;
                out vec4 isf_FragColor;
                vec2 isf_FragNormCoord;
                \(aliases)
                \(uniforms)
                void isf_main();
                #line 1 1
                \(code)
                void main() {
                    isf_FragNormCoord = gl_FragCoord.xy / RENDERSIZE;
                    isf_FragColor = vec4(0.0);
                    isf_main();
                }
                """)
        }
        // Macros call texture2D, not texture: a file may define its own texture().
        let desktopAliases = aliases.replacingOccurrences(of: "texture(i,", with: "texture2D(i,")
        guard let vertexCode = spec.vertexCode else {
            return (nil, """
                #version 430 compatibility
                vec2 isf_FragNormCoord;
                \(desktopAliases)
                \(uniforms)
                void isf_main();
                #line 1 1
                \(code)
                void main() {
                    isf_FragNormCoord = gl_FragCoord.xy / RENDERSIZE;
                    gl_FragColor = vec4(0.0);
                    isf_main();
                }
                """)
        }
        let vertexBody = vertexCode.replacingOccurrences(of: #"(?m)^[ \t]*#version[^\n]*"#, with: "", options: .regularExpression)
        let vertex = """
            #version 430 compatibility
            out vec2 isf_FragNormCoord;
            \(desktopAliases)
            \(uniforms)
            // ISF's quad, two triangles over the target; (0, 0) is the bottom-left.
            void isf_vertShaderInit() {
                const vec2 corners[6] = vec2[6](vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
                                                vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0));
                vec2 corner = corners[gl_VertexID % 6];
                gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
                isf_FragNormCoord = corner;
            }
            #line 1 2
            \(vertexBody)
            """
        let fragment = """
            #version 430 compatibility
            in vec2 isf_FragNormCoord;
            \(desktopAliases)
            \(uniforms)
            void isf_main();
            #line 1 1
            \(code)
            void main() {
                gl_FragColor = vec4(0.0);
                isf_main();
            }
            """
        return (vertex, fragment)
    }

    // MARK: - Inputs as parameters

    /// The input's declaration, built from its header entry: DEFAULT, MIN, MAX, LABEL.
    /// A DEFAULT outside the input's own MIN…MAX is clamped into it, with a warning naming the
    /// file, line and input: other hosts draw such files, and the scene never set the value.
    private static func parameter(_ name: String, _ kind: ShaderInput.Kind, _ input: [String: Any], line: Int,
                                  file: ShaderFile, warnings: inout [String]) throws -> ShaderParameter {
        func clamped(_ value: Double, _ minimum: Double?, _ maximum: Double?) -> Double {
            guard let minimum, let maximum, minimum <= maximum, value < minimum || value > maximum else { return value }
            let result = min(max(value, minimum), maximum)
            warnings.append("\(file.resolvedPath):\(line): input '\(name)': DEFAULT \(format(value)) is outside its own "
                            + "MIN \(format(minimum)) … MAX \(format(maximum)); using \(format(result))")
            return result
        }
        let label = (input["LABEL"] as? String).map { "\($0) " } ?? ""
        func number(_ key: String) -> Double? { (input[key] as? NSNumber)?.doubleValue }
        func vector(_ key: String, _ count: Int) throws -> [Double]? {
            guard let raw = input[key] else { return nil }
            guard let list = raw as? [Any], list.count >= count,
                  let values = Optional(list.prefix(count).compactMap { ($0 as? NSNumber)?.doubleValue }), values.count == count else {
                throw ShaderFileError(.shaderFile, "input '\(name)': \(key) must be a list of \(count) numbers", line: line)
            }
            return values
        }
        switch kind {
        case .float:
            let value = clamped(number("DEFAULT") ?? 0, number("MIN"), number("MAX"))
            return .number(Param.number(name, default: value, minimum: number("MIN"), maximum: number("MAX"), doc: label + "(ISF float)"))
        case .bool, .event:
            let on = truthy(input["DEFAULT"])
            return .bool(Param.bool(name, default: on, doc: label + (kind == .event ? "(ISF event: true for a frame fires it)" : "(ISF bool)")))
        case .long:
            let values = (input["VALUES"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? []
            let labels = (input["LABELS"] as? [String]) ?? []
            var doc = label + "(ISF long)"
            if !values.isEmpty, labels.count == values.count {
                doc += ": " + zip(values, labels).map { "\($0) \($1)" }.joined(separator: ", ")
            }
            let given = clamped(number("DEFAULT") ?? Double(values.first ?? 0), values.min().map(Double.init) ?? number("MIN"),
                                values.max().map(Double.init) ?? number("MAX"))
            guard let value = Int(exactly: given.rounded(.towardZero)) else {
                throw ShaderFileError(.shaderFile, "input '\(name)': DEFAULT \(format(given)) is too large for a long", line: line)
            }
            return .integer(Param.integer(name, default: value, minimum: values.min().map(Double.init) ?? number("MIN"),
                                          maximum: values.max().map(Double.init) ?? number("MAX"), doc: doc))
        case .point2D:
            let value = try vector("DEFAULT", 2) ?? [0, 0]
            return .vec2(Param.vec2(name, default: Vec2(value[0], value[1]), doc: label + "(ISF point2D, pixels from the bottom-left)"))
        case .color:
            let value = try vector("DEFAULT", 4) ?? [0, 0, 0, 1]
            let exact = Color(red: value[0], green: value[1], blue: value[2], alpha: value[3])
            // 8 bits a channel, as a scene writes colours, so the default draws like the same
            // colour written in the scene (and reads back as the text `reel plugins` prints).
            let color = Color(parsing: exact.description) ?? exact
            return .color(Param.color(name, default: color, doc: label + "(ISF color)"))
        case .image:
            return .text(Param.string(name, default: "", doc: label + "(ISF image: the name of a scene asset)"))
        }
    }

    // MARK: - Helpers

    static func truthy(_ value: Any?) -> Bool {
        switch value {
        case let b as Bool: return b
        case let n as NSNumber: return n.doubleValue != 0
        case let s as String: return ["true", "1", "yes"].contains(s.lowercased())
        default: return false
        }
    }

    private static func sizeText(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func line(of index: String.Index, in text: String) -> Int {
        text[..<index].filter { $0 == "\n" }.count + 1
    }

    /// `text` with every character but line breaks turned into a space.
    static func blanked(_ text: String) -> String {
        String(text.map { $0 == "\n" ? "\n" : " " })
    }

    /// Where Foundation's JSON error points in `json`: it says "around line L, column C" or
    /// "around character N" (a UTF-8 offset) depending on the platform; (1, 1) otherwise.
    private static func jsonErrorPosition(_ error: any Error, in json: String) -> (Int, Int) {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        if let match = text.range(of: #"line (\d+), column (\d+)"#, options: .regularExpression) {
            let numbers = text[match].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count == 2 { return (numbers[0], numbers[1]) }
        }
        if let match = text.range(of: #"character (\d+)"#, options: .regularExpression),
           let offset = Int(text[match].split(separator: " ")[1]) {
            let prefix = Array(json.utf8.prefix(offset))
            let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            return (line, column)
        }
        return (1, 1)
    }

    private static func jsonErrorSummary(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
