import Foundation
import Testing

/// One bad scene file and the error it must produce (Corpus/expected.tsv).
struct CorpusCase: Sendable, CustomTestStringConvertible {
    var file: String
    var code: String
    var line: Int
    var column: Int
    var message: String
    var count: Int

    var testDescription: String { file }

    static let folder = repositoryRoot.appendingPathComponent("Tests/ReelCLITests/Corpus")

    static let all: [CorpusCase] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("expected.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { row in
            let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5 else { return nil }
            let position = f[2].split(separator: ":").compactMap { Int($0) }
            guard position.count == 2, let count = Int(f[4]) else { return nil }
            return CorpusCase(file: f[0], code: f[1], line: position[0], column: position[1], message: f[3], count: count)
        }
    }()
}

@Suite("Bad-input corpus")
struct CorpusTests {
    @Test func theCorpusIsLargeAndComplete() throws {
        #expect(CorpusCase.all.count >= 40)
        let files = try FileManager.default.contentsOfDirectory(atPath: CorpusCase.folder.path).filter { $0 != "expected.tsv" }
        #expect(Set(files) == Set(CorpusCase.all.map(\.file)), "every corpus file has an expectation and every expectation a file")
    }

    @Test(arguments: CorpusCase.all)
    func badInputIsExplained(_ item: CorpusCase) throws {
        let path = "Tests/ReelCLITests/Corpus/" + item.file
        let result = try reel(["validate", "--json", path])
        #expect(result.status == 1, "exit status; stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Backtrace") && !result.stderr.contains("Fatal error"), "crashed: \(result.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let diagnostics = try #require(reports.first?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == item.count)
        let first = try #require(diagnostics.first)
        #expect(first["code"] as? String == item.code)
        #expect(first["line"] as? Int == item.line && first["column"] as? Int == item.column,
                "at \(first["line"] ?? "?"):\(first["column"] ?? "?")")
        #expect((first["message"] as? String)?.contains(item.message) == true, "message: \(first["message"] ?? "")")
        #expect(first["file"] as? String == path)

        // The human form carries the same facts on one line per problem.
        let plain = try reel(["validate", path])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("\(path):\(item.line):\(item.column):"), "stderr: \(plain.stderr)")
    }
}
