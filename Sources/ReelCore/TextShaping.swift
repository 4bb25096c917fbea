/// Lays text out as glyph outlines. The engine supplies one backed by fontconfig, HarfBuzz
/// and FreeType; the renderer only fills the outlines it returns.
public protocol TextShaper: Sendable {
    /// The glyphs of `text`, positioned in the layer's own coordinates (y down): lines
    /// stacked by line height, each aligned on x = 0 as `text.align` says, the block
    /// centred vertically on y = 0.
    /// - Throws: `E-TEXT-FONT` naming the family when no such font is installed.
    func shape(_ text: TextState) throws -> ShapedText
}

/// Text as positioned glyph outlines, in reading order.
public struct ShapedText: Sendable {
    public var glyphs: [ShapedGlyph]
    /// The font that was used, e.g. "DejaVu Sans Bold".
    public var fontName: String

    public init(glyphs: [ShapedGlyph], fontName: String) { (self.glyphs, self.fontName) = (glyphs, fontName) }

    /// Every glyph's outline in one path.
    public var outline: PathData { PathData(commands: glyphs.flatMap(\.outline.commands)) }
}

/// One glyph: its outline (already placed) and which character of the text it came from,
/// so per-glyph animation can reveal or move glyphs by character.
public struct ShapedGlyph: Sendable {
    public var outline: PathData
    /// Index of the first Unicode scalar of the glyph's cluster in the text.
    public var cluster: Int
    public var line: Int
    /// Where the glyph's origin sits on its baseline.
    public var origin: Vec2

    public init(outline: PathData, cluster: Int, line: Int, origin: Vec2) {
        (self.outline, self.cluster, self.line, self.origin) = (outline, cluster, line, origin)
    }
}

extension ReelError.Code {
    /// The font family of a text layer is not installed.
    public static let textFont = Self("E-TEXT-FONT")
}
