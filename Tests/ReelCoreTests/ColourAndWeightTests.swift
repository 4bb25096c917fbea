import Testing
@testable import ReelCore

/// Colours as CSS writes them, and font weights by name.
@Suite("Colours and weights")
struct ColourAndWeightTests {
    func bytes(_ text: String) -> [Int]? {
        guard let c = Color(parsing: text) else { return nil }
        return [c.red, c.green, c.blue, c.alpha].map { Int(($0 * 255).rounded()) }
    }

    @Test func cssFunctionsParse() {
        #expect(bytes("rgb(233 69 96)") == [233, 69, 96, 255])
        #expect(bytes("rgb(233, 69, 96)") == [233, 69, 96, 255])
        #expect(bytes("rgba(233, 69, 96, 0.5)") == [233, 69, 96, 128])
        #expect(bytes("rgb(100% 0% 50% / 25%)") == [255, 0, 128, 64])
        #expect(bytes("hsl(120 100% 50%)") == [0, 255, 0, 255])
        #expect(bytes("hsl(0deg, 100%, 50%)") == [255, 0, 0, 255])
        #expect(bytes("hsla(240, 100%, 50%, 0.5)") == [0, 0, 255, 128])
        #expect(bytes("hsl(-120 100% 25%)") == [0, 0, 128, 255], "hues wrap")
        for bad in ["rgb(300 0 0)", "rgb(1 2)", "rgb(a b c)", "hsl(10 50 50)", "rgb(1 2 3 / 2)", "rgb(1, 2, 3"] {
            #expect(Color(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func everyCSSNameIsKnown() {
        #expect(Color.named.count == 149, "148 CSS names and transparent")
        #expect(bytes("rebeccapurple") == [0x66, 0x33, 0x99, 255])
        #expect(bytes("Tomato") == [255, 99, 71, 255], "names are case-insensitive")
        #expect(bytes("transparent")?[3] == 0)
    }

    @Test func weightsByName() throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [64, 64] }
        layers:
          - { id: a, text: x, font: { weight: semibold } }
          - { id: b, text: x, font: { weight: Black } }
          - { id: c, text: x, font: { weight: 350 } }
        """)
        let weights = scene.layers.map { layer -> Int in
            if case let .text(text) = layer.content { return text.font.weight }
            return 0
        }
        #expect(weights == [600, 900, 350])
        do {
            _ = try SceneDecoder().decode("reel: 1\ncanvas: { size: [64, 64] }\nlayers:\n  - { text: x, font: { weight: semibod } }")
            Issue.record("an unknown weight name must be refused")
        } catch {
            #expect(error.diagnostics.first?.suggestion == "semibold")
            #expect(error.diagnostics.first?.message.contains("thin") == true, "the names are listed")
        }
    }
}
