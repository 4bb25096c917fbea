import Foundation
import Testing
import ReelCore
@testable import ReelMedia

@Suite("Text shaping (HarfBuzz, FreeType, fontconfig)")
struct FontShaperTests {
    let shaper = FontShaper()

    func text(_ s: String, family: String = "DejaVu Sans", size: Double = 100, align: TextAlign = .left,
              spacing: Double = 0, weight: Int = 400, italic: Bool = false) -> TextState {
        TextState(text: s, fontFamily: family, fontSize: size, fontWeight: weight, italic: italic, align: align, lineHeight: 1.2, letterSpacing: spacing)
    }

    @Test func kerningPullsPairsTogether() throws {
        let pair = try shaper.shape(text("AV")), a = try shaper.shape(text("A")), v = try shaper.shape(text("V"))
        // V follows A closer than A's own advance would put it.
        let advanceOfA = try shaper.shape(text("AA")).glyphs[1].origin.x - (a.glyphs.first?.origin.x ?? 0)
        #expect(pair.glyphs.count == 2 && v.glyphs.count == 1)
        #expect(pair.glyphs[1].origin.x < advanceOfA - 1, "AV: \(pair.glyphs[1].origin.x) vs \(advanceOfA)")
    }

    @Test func ligaturesJoinGlyphs() throws {
        let shaped = try shaper.shape(text("ffi", family: "DejaVu Serif"))
        let plain = try shaper.shape(text("f f i", family: "DejaVu Serif"))
        #expect(shaped.glyphs.count < 3, "DejaVu Serif has an ffi/fi ligature: \(shaped.glyphs.count) glyphs")
        #expect(plain.glyphs.count == 5)
    }

    @Test func rightToLeftRunsAreReversed() throws {
        let shaped = try shaper.shape(text("שלום"))
        #expect(shaped.glyphs.map(\.cluster) == [3, 2, 1, 0], "visual order runs right to left")
        let xs = shaped.glyphs.map(\.origin.x)
        #expect(xs == xs.sorted())
    }

    @Test func combiningMarksSitOnTheirBase() throws {
        // "é" would compose into one precomposed glyph; q has no precomposed accented form.
        #expect(try shaper.shape(text("e\u{301}")).glyphs.count == 1, "composed to é")
        let shaped = try shaper.shape(text("q\u{301}"))
        #expect(shaped.glyphs.count == 2)
        let base = shaped.glyphs[0].origin.x, mark = shaped.glyphs[1].origin.x
        #expect(abs(mark - base) < 60, "the accent is placed over the e, not after it (\(base), \(mark))")
        #expect(!shaped.glyphs[1].outline.commands.isEmpty)
    }

    @Test func alignmentAndLetterSpacing() throws {
        let left = try shaper.shape(text("Reel", align: .left))
        let right = try shaper.shape(text("Reel", align: .right))
        let centre = try shaper.shape(text("Reel", align: .center))
        #expect(left.glyphs.first?.origin.x == 0)
        let width = (left.glyphs.last?.origin.x ?? 0) - (left.glyphs.first?.origin.x ?? 0)
        #expect(abs((right.glyphs.last?.origin.x ?? 0) - (left.glyphs.last?.origin.x ?? 0) + (left.glyphs.last?.origin.x ?? 0) - width) > 0)
        #expect((centre.glyphs.first?.origin.x ?? 0) < 0 && (centre.glyphs.last?.origin.x ?? 0) > 0)
        let spaced = try shaper.shape(text("Reel", spacing: 10))
        #expect(abs((spaced.glyphs[3].origin.x - spaced.glyphs[0].origin.x) - (left.glyphs[3].origin.x - left.glyphs[0].origin.x) - 30) < 1e-6)
    }

    @Test func linesStackByLineHeight() throws {
        let shaped = try shaper.shape(text("A\nB\nC"))
        let ys = shaped.glyphs.map(\.origin.y)
        #expect(shaped.glyphs.map(\.line) == [0, 1, 2])
        #expect(abs((ys[1] - ys[0]) - 120) < 1e-6 && abs((ys[2] - ys[1]) - 120) < 1e-6, "1.2 × 100 px")
        #expect(abs(ys[1] - 0) < 60, "the block is centred on y = 0")
    }

    @Test func weightsAndStylesPickDifferentFaces() throws {
        let regular = try shaper.shape(text("R")), bold = try shaper.shape(text("R", weight: 700)), italic = try shaper.shape(text("R", italic: true))
        #expect(regular.fontName != bold.fontName && regular.fontName != italic.fontName, "\(regular.fontName), \(bold.fontName), \(italic.fontName)")
    }

    @Test func aMissingFamilyIsAnError() throws {
        let error = #expect(throws: ReelError.self) { try shaper.shape(text("x", family: "No Such Font Family")) }
        #expect(error?.code == .textFont)
        #expect(error?.message.contains("'No Such Font Family' is not installed") == true, "\(error?.message ?? "")")
        #expect(error?.detail?.contains("DejaVu Sans") == true)
    }
}
