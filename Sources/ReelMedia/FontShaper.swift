import CText
import Foundation
import ReelCore
import Synchronization

/// Shapes text with HarfBuzz and reads glyph outlines with FreeType, in font units (no
/// hinting), so text scales and animates smoothly and renders as vector paths at any size.
/// Fonts are found by family, weight and slant through fontconfig.
///
/// Safe to share: FreeType and HarfBuzz objects are used under one lock.
public final class FontShaper: TextShaper, @unchecked Sendable {
    private let lock = Mutex<State>(State())

    private struct State {
        var library: FT_Library?
        var faces: [String: Face] = [:]
        var shaped: [TextState: ShapedText] = [:]
        /// Glyphs held by `shaped`: each carries its outline, so the cache is bounded by
        /// glyphs, not only by entries (a typewriter over long text shapes a new prefix a frame).
        var shapedGlyphs = 0
    }

    /// Most glyphs the shaping cache keeps.
    static let cachedGlyphLimit = 200_000

    /// One opened font: the FreeType face and a HarfBuzz font over it at units-per-em scale.
    private final class Face {
        let face: FT_Face
        let font: OpaquePointer
        let name: String
        let unitsPerEM: Double
        let ascender: Double
        let descender: Double

        init(face: FT_Face, name: String) {
            self.face = face
            self.name = name
            let hbFace = hb_ft_face_create_referenced(face)
            font = hb_font_create(hbFace)
            hb_face_destroy(hbFace)
            unitsPerEM = Double(face.pointee.units_per_EM)
            hb_font_set_scale(font, Int32(face.pointee.units_per_EM), Int32(face.pointee.units_per_EM))
            ascender = Double(face.pointee.ascender)
            descender = Double(face.pointee.descender)
        }

        deinit {
            hb_font_destroy(font)
            FT_Done_Face(face)
        }
    }

    public init() {}

    deinit {
        lock.withLock { state in
            state.faces.removeAll()
            if let library = state.library { FT_Done_FreeType(library) }
        }
    }

    public func shape(_ text: TextState) throws -> ShapedText {
        try lock.withLock { state in
            if let cached = state.shaped[text] { return cached }
            let face = try Self.face(for: text, state: &state)
            let result = Self.layout(text, face: face)
            if state.shaped.count > 512 || state.shapedGlyphs + result.glyphs.count > Self.cachedGlyphLimit {
                state.shaped.removeAll()
                state.shapedGlyphs = 0
            }
            state.shaped[text] = result
            state.shapedGlyphs += result.glyphs.count
            return result
        }
    }

    // MARK: - Finding fonts

    private static func face(for text: TextState, state: inout State) throws -> Face {
        let key = "\(text.fontFamily)|\(text.fontWeight)|\(text.italic)"
        if let face = state.faces[key] { return face }
        if state.library == nil {
            var library: FT_Library?
            guard FT_Init_FreeType(&library) == 0, let library else {
                throw ReelError(.textFont, "FreeType could not start")
            }
            state.library = library
        }
        let (path, index, family) = try match(family: text.fontFamily, weight: text.fontWeight, italic: text.italic)
        var face: FT_Face?
        let status = FT_New_Face(state.library, path, FT_Long(index), &face)
        guard status == 0, let face else {
            throw ReelError(.textFont, "cannot open font file \(path) for '\(text.fontFamily)' (FreeType error \(status))")
        }
        let style = face.pointee.style_name.map { String(cString: $0) } ?? ""
        let opened = Face(face: face, name: style.isEmpty || style == "Book" || style == "Regular" ? family : "\(family) \(style)")
        state.faces[key] = opened
        return opened
    }

    /// Checks that fontconfig has `family` (at the closest weight and slant), as drawing the
    /// text will need.
    /// - Throws: `E-TEXT-FONT` naming the family and some that are installed.
    public static func checkInstalled(family: String, weight: Int, italic: Bool) throws {
        _ = try match(family: family, weight: weight, italic: italic)
    }

    /// The file of the installed font closest to the request. A family fontconfig does not
    /// have is an error rather than a silent substitute.
    static func match(family: String, weight: Int, italic: Bool) throws -> (String, Int, String) {
        guard let config = FcInitLoadConfigAndFonts() else { throw ReelError(.textFont, "fontconfig could not load its configuration") }
        defer { FcConfigDestroy(config) }
        guard let pattern = FcPatternCreate() else { throw ReelError(.textFont, "fontconfig could not make a pattern") }
        defer { FcPatternDestroy(pattern) }
        FcPatternAddString(pattern, reel_fc_family(), family)
        // CSS weights 100…900 to fontconfig's scale.
        FcPatternAddInteger(pattern, reel_fc_weight(), Int32(FcWeightFromOpenType(Int32(weight))))
        FcPatternAddInteger(pattern, reel_fc_slant(), Int32(italic ? reel_fc_slant_italic() : reel_fc_slant_roman()))
        FcConfigSubstitute(config, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let found = FcFontMatch(config, pattern, &result) else {
            throw ReelError(.textFont, "no font is installed for family '\(family)'", detail: "install one (Debian: fonts-dejavu-core) or list them with fc-list")
        }
        defer { FcPatternDestroy(found) }
        var file: UnsafeMutablePointer<FcChar8>?
        var foundFamily: UnsafeMutablePointer<FcChar8>?
        var index: Int32 = 0
        guard FcPatternGetString(found, reel_fc_file(), 0, &file) == FcResultMatch, let file else {
            throw ReelError(.textFont, "fontconfig matched '\(family)' to a font without a file")
        }
        FcPatternGetInteger(found, reel_fc_index(), 0, &index)
        // fontconfig lists several names for a family; accept any of them.
        var families: [String] = []
        var i: Int32 = 0
        while FcPatternGetString(found, reel_fc_family(), i, &foundFamily) == FcResultMatch, let name = foundFamily {
            families.append(String(cString: name))
            i += 1
        }
        guard families.contains(where: { $0.caseInsensitiveCompare(family) == .orderedSame }) else {
            let installed = installedFamilies()
            throw ReelError(.textFont, "font family '\(family)' is not installed (fontconfig would substitute '\(families.first ?? "?")')",
                            detail: "install it, or use one of: \(installed.prefix(12).joined(separator: ", "))\(installed.count > 12 ? ", …" : "") (all: fc-list : family)")
        }
        return (String(cString: file), Int(index), families.first ?? family)
    }

    static func installedFamilies() -> [String] {
        guard let config = FcInitLoadConfigAndFonts(), let pattern = FcPatternCreate(),
              let objects = FcObjectSetCreate() else { return [] }
        defer {
            FcObjectSetDestroy(objects)
            FcPatternDestroy(pattern)
            FcConfigDestroy(config)
        }
        FcObjectSetAdd(objects, reel_fc_family())
        guard let list = FcFontList(config, pattern, objects) else { return [] }
        defer { FcFontSetDestroy(list) }
        var names = Set<String>()
        for i in 0..<Int(list.pointee.nfont) {
            var name: UnsafeMutablePointer<FcChar8>?
            if let font = list.pointee.fonts[i], FcPatternGetString(font, reel_fc_family(), 0, &name) == FcResultMatch, let name {
                names.insert(String(cString: name))
            }
        }
        return names.sorted()
    }

    // MARK: - Layout

    private static func layout(_ text: TextState, face: Face) -> ShapedText {
        let scale = text.fontSize / face.unitsPerEM
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lineAdvance = text.lineHeight * text.fontSize
        // Centre the block: the middle of all line boxes sits on y = 0, and each baseline is
        // placed so the font's ascender-to-descender span is centred in its box.
        let contentHeight = (face.ascender - face.descender) * scale
        let firstBaseline = -lineAdvance * Double(lines.count) / 2 + (lineAdvance - contentHeight) / 2 + face.ascender * scale
        var glyphs: [ShapedGlyph] = []
        var clusterBase = 0
        for (lineIndex, line) in lines.enumerated() {
            defer { clusterBase += line.unicodeScalars.count + 1 }
            guard !line.isEmpty, let buffer = hb_buffer_create() else { continue }
            defer { hb_buffer_destroy(buffer) }
            let scalars = Array(line.unicodeScalars.map { $0.value })
            hb_buffer_add_utf32(buffer, scalars, Int32(scalars.count), 0, Int32(scalars.count))
            hb_buffer_guess_segment_properties(buffer)
            hb_shape(face.font, buffer, nil, 0)
            var count: UInt32 = 0
            guard let infos = hb_buffer_get_glyph_infos(buffer, &count), let positions = hb_buffer_get_glyph_positions(buffer, &count) else { continue }
            // First pass: the line's width, for alignment.
            var width = 0.0
            for i in 0..<Int(count) { width += Double(positions[i].x_advance) * scale + text.letterSpacing }
            width -= count > 0 ? text.letterSpacing : 0
            var x: Double
            switch text.align {
            case .left: x = 0
            case .center: x = -width / 2
            case .right: x = -width
            }
            let baseline = firstBaseline + Double(lineIndex) * lineAdvance
            for i in 0..<Int(count) {
                let info = infos[i], position = positions[i]
                let origin = Vec2(x + Double(position.x_offset) * scale, baseline - Double(position.y_offset) * scale)
                let outline = Self.outline(glyph: info.codepoint, face: face.face, scale: scale, origin: origin)
                glyphs.append(ShapedGlyph(outline: outline, cluster: clusterBase + Int(info.cluster), line: lineIndex, origin: origin))
                x += Double(position.x_advance) * scale + text.letterSpacing
            }
        }
        return ShapedText(glyphs: glyphs, fontName: face.name)
    }

    /// FreeType's outline of `glyph` in font units, scaled and flipped into y-down pixels
    /// around `origin`.
    private static func outline(glyph: UInt32, face: FT_Face, scale: Double, origin: Vec2) -> PathData {
        guard FT_Load_Glyph(face, glyph, reel_ft_load_no_scale()) == 0, let slot = face.pointee.glyph else { return PathData(commands: []) }
        var outline = slot.pointee.outline
        let sink = OutlineSink(scale: scale, origin: origin)
        var funcs = FT_Outline_Funcs(
            move_to: { to, user in OutlineSink.from(user).move(to) },
            line_to: { to, user in OutlineSink.from(user).line(to) },
            conic_to: { control, to, user in OutlineSink.from(user).conic(control, to) },
            cubic_to: { c1, c2, to, user in OutlineSink.from(user).cubic(c1, c2, to) },
            shift: 0, delta: 0)
        let pointer = Unmanaged.passUnretained(sink).toOpaque()
        _ = withExtendedLifetime(sink) { FT_Outline_Decompose(&outline, &funcs, pointer) }
        sink.closeIfOpen()
        return PathData(commands: sink.commands)
    }
}

/// Receives FreeType's outline callbacks and builds path commands.
private final class OutlineSink {
    let scale: Double
    let origin: Vec2
    var commands: [PathData.Command] = []
    var current = Vec2.zero
    var open = false

    init(scale: Double, origin: Vec2) { (self.scale, self.origin) = (scale, origin) }

    static func from(_ user: UnsafeMutableRawPointer?) -> OutlineSink {
        // FreeType hands back the pointer it was given: always an OutlineSink.
        Unmanaged<OutlineSink>.fromOpaque(UnsafeRawPointer(user!)).takeUnretainedValue()
    }

    func point(_ v: UnsafePointer<FT_Vector>?) -> Vec2 {
        guard let v else { return current }
        return Vec2(origin.x + Double(v.pointee.x) * scale, origin.y - Double(v.pointee.y) * scale)
    }

    func closeIfOpen() {
        if open { commands.append(.close) }
        open = false
    }

    func move(_ to: UnsafePointer<FT_Vector>?) -> Int32 {
        closeIfOpen()
        current = point(to)
        commands.append(.move(current))
        open = true
        return 0
    }

    func line(_ to: UnsafePointer<FT_Vector>?) -> Int32 {
        current = point(to)
        commands.append(.line(current))
        return 0
    }

    func conic(_ control: UnsafePointer<FT_Vector>?, _ to: UnsafePointer<FT_Vector>?) -> Int32 {
        let q = point(control), end = point(to)
        commands.append(.cubic(current + (q - current) * (2.0 / 3), end + (q - end) * (2.0 / 3), end))
        current = end
        return 0
    }

    func cubic(_ c1: UnsafePointer<FT_Vector>?, _ c2: UnsafePointer<FT_Vector>?, _ to: UnsafePointer<FT_Vector>?) -> Int32 {
        let a = point(c1), b = point(c2), end = point(to)
        commands.append(.cubic(a, b, end))
        current = end
        return 0
    }
}
