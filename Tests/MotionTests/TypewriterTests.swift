import ReelCore
import Testing

@Suite("motion.typewriter")
struct TypewriterTests {
    static func text(_ text: String, _ parameters: String, frame: Int) throws -> TextState {
        let scene = try Fixture.scene("""
          - id: t
            text: "\(text)"
            font: { family: DejaVu Sans, size: 20 }
            animate: [{ typewriter: { \(parameters) } }]
        """, fps: 10)
        guard case let .text(state) = try Fixture.layer("t", in: scene, frame: frame).content else {
            Issue.record("not text")
            return TextState(text: "", fontFamily: "", fontSize: 1)
        }
        return state
    }

    /// Each scalar's opacity after all adjustments, as the renderer combines them.
    static func opacities(_ state: TextState) -> [Double] {
        (0..<state.text.unicodeScalars.count).map { index in
            state.glyphAdjustments.filter { $0.characters.contains(index) }.reduce(1) { $0 * $1.opacity }
        }
    }

    @Test func revealsGlyphsAtTheirTimes() throws {
        // 10 units a second at 10 fps: frame 3 is 0.3 s, three units begun.
        #expect(Self.opacities(try Self.text("ab cd", "speed: 10", frame: 0)) == [0, 0, 0, 0, 0])
        #expect(Self.opacities(try Self.text("ab cd", "speed: 10", frame: 3)) == [1, 1, 1, 0, 0])
        #expect(try Self.text("ab cd", "speed: 10", frame: 9).glyphAdjustments.isEmpty, "all shown: nothing to adjust")
    }

    @Test func startDelaysTheFirstUnit() throws {
        #expect(Self.opacities(try Self.text("abc", "speed: 10, start: 0.5s", frame: 6)) == [1, 0, 0])
    }

    @Test func fadeSpreadsEachUnitsEntrance() throws {
        // 0.5 s at 10 per second: 5 units typed; each takes 4 units to appear.
        let opacities = Self.opacities(try Self.text("abcdefg", "speed: 10, fade: 4", frame: 5))
        let expected = [1, 1, 0.75, 0.5, 0.25, 0, 0]
        #expect(zip(opacities, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(opacities)")
    }

    @Test func byWordAndByLine() throws {
        #expect(Self.opacities(try Self.text("ab cd  ef", "by: word, speed: 10", frame: 2)) == [1, 1, 1, 1, 1, 1, 1, 0, 0])
        #expect(Self.opacities(try Self.text("one\\ntwo", "by: line, speed: 10", frame: 1)) == [1, 1, 1, 1, 0, 0, 0])
    }

    @Test func aCharacterOfSeveralScalarsIsOneUnit() throws {
        // "é" written as e + a combining accent: two scalars, one glyph unit.
        #expect(Self.opacities(try Self.text("e\\u0301x", "speed: 10", frame: 1)) == [1, 1, 0])
    }

    @Test func lineBreaksAreNotUnits() throws {
        #expect(Self.opacities(try Self.text("a\\nb", "speed: 10", frame: 2)) == [1, 1, 1])
    }

    @Test func otherLayersAreUnchanged() throws {
        let scene = try Fixture.scene("""
          - { id: r, rect: { size: 4 }, animate: [typewriter] }
        """)
        #expect(try Fixture.layer("r", in: scene, frame: 0).content.kindName == "rect")
    }
}
