import Foundation
import Testing

/// Every bad or hostile input, through `reel validate` and `reel still`, under a 2 GiB
/// address-space limit and a 20 s clock: each ends in a clean, coded error (or a picture),
/// never a kill by the kernel, the limit or the clock.
@Suite struct ResourceBudgetTests {
    static let addressSpaceKiB = 2 * 1024 * 1024
    static let seconds = 20

    /// The bad-input corpus, every file.
    static let corpus: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Tests/ReelCLITests/Corpus")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { "Tests/ReelCLITests/Corpus/" + $0 }
    }()

    /// `reel` under the address-space limit, killed by `run` past the clock.
    func bounded(_ arguments: [String]) throws -> CommandResult {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("reel").path
        return try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -v \(Self.addressSpaceKiB) && exec \"$0\" \"$@\"", binary] + arguments,
                       limit: Self.seconds)
    }

    /// A clean end: 0 with the picture written, or 1 with a coded error and no crash report.
    func expectCleanEnd(_ result: CommandResult, picture: URL?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0 || result.status == 1, "\(what): status \(result.status): \(result.stderr.suffix(600))", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac") && !result.stderr.contains("Crash"),
                "\(what) crashed: \(result.stderr.prefix(600))", sourceLocation: sourceLocation)
        if result.status == 1 {
            #expect(result.stderr.hasPrefix("error[E-"), "\(what): \(result.stderr.prefix(300))", sourceLocation: sourceLocation)
            #expect(result.stderr.utf8.count < 64 * 1024, "\(what): a \(result.stderr.utf8.count)-byte message", sourceLocation: sourceLocation)
        } else if let picture {
            #expect(FileManager.default.contents(atPath: picture.path)?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true,
                    "\(what): exit 0 but no PNG", sourceLocation: sourceLocation)
        }
    }

    func validateAndStill(_ scene: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let validated = try bounded(["validate", scene])
        expectCleanEnd(validated, picture: nil, "validate \(what)", sourceLocation: sourceLocation)
        let picture = folder.appendingPathComponent("still.png")
        let still = try bounded(["still", scene, "-o", picture.path])
        expectCleanEnd(still, picture: picture, "still \(what)", sourceLocation: sourceLocation)
        // validate is the pre-flight: a scene it passes must draw.
        if validated.status == 0 {
            #expect(still.status == 0, "\(what) validates but does not draw: \(still.stderr.prefix(400))", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: corpus)
    func corpusFilesEndCleanlyWithinTheBudget(_ file: String) throws {
        try validateAndStill(repositoryRoot.appendingPathComponent(file).path, file)
    }

    /// Hostile scenes too large to commit, written here: a megabyte of text in one layer,
    /// 200 000 lines, and a 15.7 MB scene (under the 16 MiB file limit) of one text layer.
    @Test(arguments: ["text-1mb", "lines-200k", "text-15mb"])
    func generatedTextBombsEndCleanly(_ kind: String) throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body: String
        switch kind {
        case "text-1mb": body = String(repeating: "abcdefghij", count: 100_000)
        case "lines-200k": body = String(repeating: "x\\n", count: 200_000)
        default: body = String(repeating: "0123456789abcdef", count: 15_700_000 / 16)
        }
        let scene = folder.appendingPathComponent(kind + ".yaml")
        try Data("reel: 1\ncanvas: { size: [640, 360], fps: 30, duration: 1s }\nlayers:\n  - text: \"\(body)\"\n".utf8).write(to: scene)
        try validateAndStill(scene.path, kind)
        let refused = try reel(["validate", scene.path])
        #expect(refused.status == 1 && refused.stderr.contains("E-SCENE-LIMIT") && refused.stderr.contains("one text layer may have at most"),
                "\(refused.stderr.prefix(300))")
    }

    /// The budget is not so tight that real scenes fail under it.
    @Test func anOrdinarySceneDrawsWithinTheBudget() throws {
        try validateAndStill(repositoryRoot.appendingPathComponent("Scenes/showcase.yaml").path, "showcase")
    }
}
