import ReelCore

/// `motion.typewriter`: reveals a text layer a glyph, a word or a line at a time.
///
/// Unit k (0-based) starts to appear at `start + k / speed` and is fully shown `fade / speed`
/// seconds later (at once when `fade` is 0). Hidden text keeps its place, so the layout does
/// not shift as it types. Glyph units are the text's characters (spaces count, so a typist
/// pauses on them; line breaks do not); words are runs of non-space characters; lines are
/// split at line breaks. Layers that are not text are left unchanged.
public struct Typewriter: AnimationPass {
    enum Unit: String, Choice { case glyph, word, line }

    static let by = Param.choice("by", default: Unit.glyph, doc: "the unit revealed at a time: \(Unit.list)")
    public static let speed = Param.number("speed", default: 15, in: 0..., doc: "units revealed per second")
    public static let start = Param.time("start", default: 0, doc: "when the first unit starts to appear")
    public static let fade = Param.number("fade", default: 0, in: 0..., doc: "units over which each one fades in (0 shows it at once)")

    public let declaration = ContributionDeclaration(
        "typewriter", summary: "reveals a text layer glyph by glyph, word by word or line by line",
        parameters: [by, speed, start, fade])

    public init() {}

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        guard case var .text(text) = layer.content else { return }
        let speed = context[Self.speed], fade = context[Self.fade]
        // How many units have started to show.
        let typed = speed > 0 ? (context.time - context[Self.start]) * speed : -1
        let units = Self.units(of: text.text, by: context[Self.by])
        for (k, range) in units.enumerated() {
            let progress = typed - Double(k)
            if progress <= 0 {
                // Everything from here on is still hidden: one adjustment, not one per unit,
                // since the renderer checks each glyph against every adjustment.
                text.glyphAdjustments.append(GlyphAdjustment(characters: range.lowerBound..<(units.last?.upperBound ?? range.upperBound), opacity: 0))
                break
            }
            let opacity = fade > 0 ? min(progress / fade, 1) : 1
            if opacity < 1 { text.glyphAdjustments.append(GlyphAdjustment(characters: range, opacity: opacity)) }
        }
        layer.content = .text(text)
    }

    /// The ranges of Unicode scalars that make up each unit of `text`, in order.
    static func units(of text: String, by unit: Unit) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        let isBreak = { (s: Unicode.Scalar) in s == "\n" || s == "\r" || s == "\u{2028}" }
        var ranges: [Range<Int>] = []
        switch unit {
        case .glyph:
            // A character of several scalars (an accent, an emoji sequence) is one unit.
            var index = 0
            for character in text {
                let n = character.unicodeScalars.count
                if !character.unicodeScalars.contains(where: isBreak) { ranges.append(index..<index + n) }
                index += n
            }
        case .word, .line:
            let separates = unit == .word ? { (s: Unicode.Scalar) in s.properties.isWhitespace } : isBreak
            var begin: Int?
            for (index, scalar) in scalars.enumerated() {
                if separates(scalar) {
                    if let b = begin { ranges.append(b..<index) }
                    begin = nil
                } else if begin == nil {
                    begin = index
                }
            }
            if let b = begin { ranges.append(b..<scalars.count) }
        }
        return ranges
    }
}
