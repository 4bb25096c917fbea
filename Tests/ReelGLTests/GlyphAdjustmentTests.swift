import ReelCore
import ReelTestSupport
import Testing
@testable import ReelGL

/// The per-glyph hook animation passes use: a typewriter hides characters, a wave moves them.
@Suite("Per-glyph adjustments")
struct GlyphAdjustmentTests {
    func render(_ adjustments: [GlyphAdjustment]) throws -> RGBAImage {
        let text = TextState(text: "IIIIII", fontFamily: "DejaVu Sans", fontSize: 40, align: .left, glyphAdjustments: adjustments)
        let layer = LayerState(id: "t", content: .text(text), transform: .translation(Vec2(10, 30)), fill: .solid(.white))
        let state = FrameState(frame: 0, time: 0, width: 160, height: 60, background: .black, samples: 4, layers: [layer])
        return try withGL { context in
            let renderer = try FrameRenderer(context: context, text: sharedShaper)
            defer { renderer.release() }
            return try renderer.render(state)
        }
    }

    /// Columns that hold any ink.
    func inkedColumns(_ image: RGBAImage) -> [Int] {
        (0..<image.width).filter { x in (0..<image.height).contains { y in image[x, y].0 > 128 } }
    }

    @Test func hiddenCharactersAreNotDrawn() throws {
        let all = inkedColumns(try render([]))
        let firstTwo = inkedColumns(try render([GlyphAdjustment(characters: 2..<6, opacity: 0)]))
        #expect(!all.isEmpty && !firstTwo.isEmpty)
        #expect((firstTwo.max() ?? 0) < (all.max() ?? 0) - 30, "only the first two I's remain: \(firstTwo.max() ?? 0) vs \(all.max() ?? 0)")
    }

    @Test func offsetsMoveOnlyTheirGlyphs() throws {
        let plain = try render([])
        let raised = try render([GlyphAdjustment(characters: 0..<1, offset: Vec2(0, -20))])
        // The first I now reaches higher than any glyph of the plain text.
        func top(_ image: RGBAImage) -> Int {
            (0..<image.height).first { y in (0..<image.width).contains { image[$0, y].0 > 128 } } ?? 0
        }
        #expect(top(raised) < top(plain) - 10)
        #expect(inkedColumns(raised).max() == inkedColumns(plain).max(), "the other glyphs stay put")
    }

    @Test func halfTransparentGlyphsBlend() throws {
        let image = try render([GlyphAdjustment(characters: 0..<6, opacity: 0.5)])
        let brightest = (0..<image.width).flatMap { x in (0..<image.height).map { image[x, $0].0 } }.max() ?? 0
        #expect(abs(Int(brightest) - 128) <= 2)
    }
}
