import Testing
@testable import ReelCore

@Suite("JSON scene reader")
struct JSONSceneParserTests {
    func parse(_ text: String) throws(SceneError) -> SourceNode {
        var parser = JSONSceneParser(text, file: "t.json", maxDepth: 64)
        return try parser.parse()
    }

    @Test func readsValuesWithLocations() throws {
        let node = try parse("{\n  \"a\": [1, -2.5e3, true, null],\n  \"é\": \"x\\ny\\u00e9\\ud83d\\ude00\"\n}")
        guard case let .mapping(entries, _) = node else { Issue.record("a mapping"); return }
        #expect(entries.map(\.key) == ["a", "é"])
        #expect(entries[1].keyLocation.line == 3 && entries[1].keyLocation.column == 3)
        guard case let .sequence(items, location) = entries[0].value else { Issue.record("a list"); return }
        #expect(location.line == 2 && location.column == 8)
        #expect(items.map { $0.text ?? "" } == ["1", "-2.5e3", "true", "null"])
        #expect(entries[1].value.text == "x\nyé😀")
        #expect(entries[1].value.isQuoted)
    }

    @Test(arguments: [
        ("{\"a\": 01}", 1, 7), ("{\"a\": [1,]}", 1, 10), ("{\"a\" 1}", 1, 6), ("{\"a\": \"x}", 1, 7),
        ("{\"a\": tru}", 1, 7), ("{} {}", 1, 4), ("{\"a\": 1,\n \"a\": 2}", 2, 2),
    ])
    func errorsArePlaced(text: String, line: Int, column: Int) {
        let error = #expect(throws: SceneError.self) { try parse(text) }
        #expect(error?.diagnostics.first?.location?.line == line && error?.diagnostics.first?.location?.column == column,
                "\(error?.description ?? "")")
    }

    @Test func numbersFollowJSONsGrammar() {
        for good in ["0", "-0", "12", "1.5", "1e9", "-2.5E-3"] { #expect(JSONSceneParser.isNumber(good), "\(good)") }
        for bad in ["01", "1.", ".5", "+1", "1e", "--1", "0x10", "NaN"] { #expect(!JSONSceneParser.isNumber(bad), "\(bad)") }
    }

    @Test func oneLongLineStaysFast() throws {
        // Generated scenes sit on one line; columns must not cost a rescan per value.
        let items = (0..<200_000).map { "[\($0), \($0)]" }.joined(separator: ",")
        let clock = ContinuousClock()
        let elapsed = try clock.measure { _ = try parse("{\"keys\": [\(items)]}") }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }
}
