import ReelCore
import Testing

/// A bad parameter of any Motion pass is a scene error at its value: file, line, column,
/// the path to it, and a stable code.
@Suite("Motion parameter errors")
struct ParameterErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var use: String
        /// The bad value as written, to find its column.
        var value: String
        var code: ReelError.Code
        var path: String
        var message: String
        /// Characters from the value's start to the offending one.
        var offset = 0
        var testDescription: String { use }
    }

    static let cases: [Case] = [
        Case(use: "{ wiggle: { amplitude: fast } }", value: "fast", code: .typeMismatch, path: "wiggle.amplitude", message: "expected"),
        Case(use: "{ wiggle: { octaves: 9 } }", value: "9", code: .outOfRange, path: "wiggle.octaves", message: "at most 8"),
        Case(use: "{ follow-path: { path: \"M 0 0 L 10 x\" } }", value: "\"M 0 0 L 10 x\"", code: .pluginParameter,
             path: "follow-path.path", message: "bad SVG path data: expected a number at character 12", offset: 12),
        Case(use: "{ stagger: { order: sideways } }", value: "sideways", code: .pluginParameter, path: "stagger.order",
             message: "expected one of forward, reverse, center-out, random, found \"sideways\""),
        Case(use: "{ repeat: { rotation: \"i * * 2\" } }", value: "\"i * * 2\"", code: .pluginParameter, path: "repeat.rotation",
             message: "bad expression: expected a number, a name or '(', found '*'", offset: 5),
        Case(use: "{ repeat: { opacity: \"1 - j\" } }", value: "\"1 - j\"", code: .pluginParameter, path: "repeat.opacity",
             message: "bad expression: unknown name 'j'", offset: 5),
        Case(use: "{ repeat: { mode: path } }", value: "repeat", code: .pluginParameter, path: "repeat.path", message: "mode path needs path data"),
        Case(use: "{ repeat: { mode: spiral } }", value: "spiral", code: .pluginParameter, path: "repeat.mode", message: "expected one of grid, radial, path"),
        Case(use: "{ repeat: { count: 5000 } }", value: "5000", code: .outOfRange, path: "repeat.count", message: "at most 1000"),
        Case(use: "{ typewriter: { by: letter } }", value: "letter", code: .pluginParameter, path: "typewriter.by", message: "expected one of glyph, word, line"),
        Case(use: "{ typewriter: { speed: -1 } }", value: "-1", code: .outOfRange, path: "typewriter.speed", message: "at least 0"),
        Case(use: "{ particles: { fade: 2 } }", value: "2", code: .outOfRange, path: "particles.fade", message: "at most 1"),
        Case(use: "{ particles: { lifetime: 0 } }", value: "0", code: .outOfRange, path: "particles.lifetime", message: "at least 0.001"),
        Case(use: "{ particles: { gravity: [1, 2, 3] } }", value: "[1, 2, 3]", code: .typeMismatch, path: "particles.gravity", message: "expected"),
    ]

    @Test(arguments: cases)
    func isALocatedSceneError(_ c: Case) throws {
        let line = "    animate: [\(c.use)]"
        let diagnostics = Fixture.errors("""
          - id: x
            circle: { radius: 4 }
        \(line)
        """)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostic.code == c.code, "\(diagnostic)")
        #expect(diagnostic.path == "layers[0].animate[0].\(c.path)", "\(diagnostic)")
        #expect(diagnostic.message.contains(c.message), "\(diagnostic)")
        let column = try #require(line.range(of: c.value)).lowerBound.utf16Offset(in: line) + 1 + c.offset
        #expect(diagnostic.location?.file != nil && diagnostic.location?.line == 7 && diagnostic.location?.column == column, "\(diagnostic)")
    }

    @Test func allDefaultsAreValid() throws {
        for name in ["wiggle", "follow-path", "stagger", "repeat", "typewriter", "particles"] {
            _ = try Fixture.scene("""
              - { id: x, circle: { radius: 4 }, animate: [\(name)] }
            """)
        }
    }
}
