import Foundation
import Testing
import ReelCore

/// The README's scene-format tables are the ones `FormatTables` makes from the declarations:
/// a key added, renamed or re-documented in code shows up in the README, or this fails.
@Suite("The README's format tables")
struct FormatTablesTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    @Test func theREADMEShowsTheTablesTheDeclarationsMake() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let begin = try #require(text.range(of: FormatTables.begin), "the README has no generated block")
        let end = try #require(text.range(of: FormatTables.end + "\n", range: begin.upperBound..<text.endIndex))
        let written = String(text[begin.lowerBound..<end.upperBound])
        if ProcessInfo.processInfo.environment["REEL_RECORD_README"] == "1" {
            try text.replacingCharacters(in: begin.lowerBound..<end.upperBound, with: FormatTables.markdown())
                .write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(written == FormatTables.markdown(), "run REEL_RECORD_README=1 swift test --filter FormatTables and commit the README")
    }

    @Test func everyDeclaredLayerKeyHasARow() {
        let tables = FormatTables.markdown()
        for key in (Layer.Keys.all + TextContent.Keys.all + Canvas.Keys.all + Scene.Keys.all).map(\.description) {
            #expect(tables.contains("| `\(key.key)` |"), "\(key.key)")
        }
        for kind in LayerKind.all { #expect(tables.contains("| `\(kind.name)` |"), "\(kind.name)") }
    }
}
