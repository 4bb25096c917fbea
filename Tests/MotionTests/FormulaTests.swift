import Foundation
import Testing
@testable import Motion

@Suite("Per-copy expressions")
struct ExpressionTests {
    static let variables = ["i", "n", "t"]

    func value(_ text: String, i: Double = 3, n: Double = 10, t: Double = 0.5) throws -> Double {
        try Formula(text, variables: Self.variables).evaluate([i, n, t]) { x in x / 100 }
    }

    func error(_ text: String) -> Formula.SyntaxError? {
        do {
            _ = try Formula(text, variables: Self.variables)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("i * 15", 45.0), ("1 - i / n", 0.7), ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20), ("-2 ^ 2", -4), ("2 ^ 3 ^ 2", 512),
        ("10 % 4", 2), ("-1 % 3", 2), ("--i", 3), ("1.5e2 + .5", 150.5), ("pi", Double.pi),
        ("min(i, n, 1)", 1), ("max(i, 2)", 3), ("clamp(i, 0, 1)", 1), ("mix(0, 10, 0.25)", 2.5), ("fract(2.75)", 0.75),
        ("floor(-0.5) + ceil(0.2) + round(2.5)", 3), ("abs(-i) + sqrt(16) + sign(-2)", 6), ("pow(2, 10)", 1024),
        ("rand(i)", 0.03), ("  i  *  2  ", 6),
    ])
    func evaluates(_ text: String, _ expected: Double) throws {
        #expect(abs(try value(text) - expected) < 1e-12, "\(text)")
    }

    @Test func readsTheVariablesAndCallsTheFunctions() throws {
        let value = try value("sin(i + t) * 20", i: 1, t: 2)
        #expect(abs(value - sin(3) * 20) < 1e-12)
    }

    @Test(arguments: [
        ("i *", 3, "expected a number, a name or '(' but the expression ends"),
        ("i * * 2", 4, "expected a number, a name or '(', found '*'"),
        ("foo(1)", 0, "unknown function 'foo'"),
        ("j + 1", 0, "unknown name 'j'"),
        ("clamp(1, 2)", 0, "clamp takes 3 arguments, found 2"),
        ("(1 + 2", 6, "expected ')'"),
        ("1 2", 2, "unexpected '2'"),
        ("sin(1; 2)", 5, "expected ',' or ')' in the arguments of sin"),
        ("", 0, "expected a number, a name or '(' but the expression ends"),
        ("i # 2", 2, "unexpected '#'"),
    ])
    func rejectsWithAMessageAndWhere(_ text: String, _ offset: Int, _ message: String) {
        let error = error(text)
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
        #expect(error?.message.hasPrefix(message) == true, "\(text): \(String(describing: error))")
    }

    @Test func hostileInputIsRefusedNotCrashedOn() {
        #expect(error(String(repeating: "(", count: 10_000))?.message.contains("longer than") == true)
        #expect(error(String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200))?.message.contains("nests deeper") == true)
        #expect(error(String(repeating: "-", count: 900) + "1")?.message.contains("nests deeper") == true)
        #expect(error("1e999")?.message.contains("finite") == true)
    }

    @Test func divisionByZeroIsAValueNotATrap() throws {
        #expect(try value("1 / 0").isInfinite)
        #expect(try value("0 / 0").isNaN)
        #expect(try value("i % 0").isNaN)
    }
}
