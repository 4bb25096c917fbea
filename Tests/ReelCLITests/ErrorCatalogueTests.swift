import Foundation
import Testing

/// The README's error table is the catalogue users look codes up in: every code Reel can
/// print is in it, and it lists none that Reel no longer has.
@Suite struct ErrorCatalogueTests {
    static var codePattern: Regex<Substring> { /\bE-[A-Z][A-Z0-9-]*[A-Z0-9]\b/ }

    /// Codes named anywhere in the Swift sources of Reel and its first-party plugins.
    static func codesInSources() throws -> [String: String] {
        var found: [String: String] = [:]
        for folder in ["Sources", "Plugins"] {
            let root = repositoryRoot.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: codePattern) {
                    let code = String(match.output)
                    if found[code] == nil { found[code] = file.lastPathComponent }
                }
            }
        }
        return found
    }

    /// Codes in the first column of the README's error table.
    static func codesInREADME() throws -> Set<String> {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var codes: Set<String> = []
        for line in readme.split(separator: "\n") where line.hasPrefix("| `E-") {
            let firstColumn = line.dropFirst(2).prefix { $0 != "|" }
            for match in firstColumn.matches(of: codePattern) { codes.insert(String(match.output)) }
        }
        return codes
    }

    @Test func everyCodeInTheSourcesIsInTheREADME() throws {
        let sources = try Self.codesInSources(), readme = try Self.codesInREADME()
        #expect(sources.count > 40, "the scan found too few codes; has the pattern or layout changed?")
        let missing = sources.keys.filter { !readme.contains($0) }.sorted().map { "\($0) (\(sources[$0] ?? "?"))" }
        #expect(missing.isEmpty, "codes missing from the README's error table: \(missing.joined(separator: ", "))")
    }

    @Test func everyCodeInTheREADMEIsStillUsed() throws {
        let sources = try Self.codesInSources(), readme = try Self.codesInREADME()
        let stale = readme.filter { sources[$0] == nil }.sorted()
        #expect(stale.isEmpty, "the README lists codes no source uses: \(stale.joined(separator: ", "))")
    }
}
