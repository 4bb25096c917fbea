import Foundation
import ReelFuzzing
import Testing

/// One committed fuzz input: a seed (`Tests/Fuzz/<target>/corpus`) or an input that once broke
/// something (`Tests/Fuzz/<target>/regressions`).
struct FuzzInput: Sendable, CustomTestStringConvertible {
    var target: String
    var path: String

    var testDescription: String { "\(target)/\(URL(fileURLWithPath: path).pathComponents.suffix(2).joined(separator: "/"))" }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func files(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// The repository's root, which the globs in a target's `seeds` file are relative to.
    static let repository = folder.deletingLastPathComponent().deletingLastPathComponent()

    /// Files the globs in `Tests/Fuzz/<target>/seeds` name (one a line, `#` comments).
    static func listedSeeds(_ target: String) -> [String] {
        let list = folder.appendingPathComponent(target).appendingPathComponent("seeds")
        guard let text = try? String(contentsOf: list, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .flatMap { pattern -> [String] in
                let full = repository.appendingPathComponent(pattern)
                let directory = full.deletingLastPathComponent()
                return files(in: directory).filter { fnmatch(full.path, $0, 0) == 0 }
            }
    }

    static let all: [FuzzInput] = FuzzTarget.all.flatMap { target in
        let base = folder.appendingPathComponent(target.name)
        return (files(in: base.appendingPathComponent("corpus")) + files(in: base.appendingPathComponent("regressions")) + listedSeeds(target.name))
            .map { FuzzInput(target: target.name, path: $0) }
    }
}

/// What `make fuzz` found stays fixed: every committed input goes through its target's entry
/// without sanitizers, in `make test`. An entry returns or throws a `ReelError`; a crash here
/// is the bug coming back (replay it with `reel-fuzz TARGET FILE`).
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    @Test func everyTargetHasSeedsAndADictionary() throws {
        for target in FuzzTarget.all {
            let base = FuzzInput.folder.appendingPathComponent(target.name)
            let seeds = FuzzInput.files(in: base.appendingPathComponent("corpus")) + FuzzInput.listedSeeds(target.name)
            #expect(seeds.count >= 5, "\(target.name) has \(seeds.count) seeds; is a glob in its seeds file stale?")
            #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("\(target.name).dict").path),
                    "\(target.name) has no dictionary")
        }
    }

    @Test func everyFolderIsATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: FuzzInput.folder.path)
        #expect(Set(folders) == Set(FuzzTarget.all.map(\.name)), "Tests/Fuzz holds one folder per target, named as the target")
    }

    @Test(arguments: FuzzInput.all)
    func inputIsAcceptedOrRefusedWithoutACrash(_ input: FuzzInput) throws {
        let target = try #require(FuzzTarget.named(input.target))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input.path)))
        do {
            try target.entry(bytes)
        } catch {
            // Refused with a Reel error: the answer a user gets for bad input.
            #expect(!error.code.rawValue.isEmpty)
        }
    }
}
