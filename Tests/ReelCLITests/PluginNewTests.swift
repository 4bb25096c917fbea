import Foundation
import Testing

/// `reel plugin new` end to end: the package it writes builds against this checkout, its
/// `reel-<name>` lists the plugin and renders a scene with it, and its own test passes.
/// Runs in CI (`make test`); the build of the new package takes a minute or two.
@Suite("reel plugin new", .serialized)
struct PluginNewTests {
    @Test(.timeLimit(.minutes(20)))
    func theNewPackageBuildsListsAndRendersItsPlugin() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let package = folder.appendingPathComponent("glint")
        let made = try reel(["plugin", "new", "glint", "--output", package.path, "--reel", repositoryRoot.path])
        #expect(made.status == 0, "\(made.stderr)")
        for file in ["Package.swift", "Sources/GlintPlugin/GlintPlugin.swift", "Sources/reel-glint/main.swift",
                     "Tests/GlintPluginTests/GlintPluginTests.swift", "Scenes/example.yaml", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: package.appendingPathComponent(file).path), "\(file)")
        }
        let swift = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SWIFT_EXEC_FOR_TESTS"] ?? "/opt/swift/usr/bin/swift")
        let swiftBinary = FileManager.default.isExecutableFile(atPath: swift.path) ? swift : URL(fileURLWithPath: "/usr/bin/env")
        let prefix = swiftBinary.lastPathComponent == "env" ? ["swift"] : []
        let tested = try run(swiftBinary, prefix + ["test"], in: package, limit: 1100)
        #expect(tested.status == 0, "swift test in the new package failed:\n\(tested.stdout.suffix(3000))\n\(tested.stderr.suffix(3000))")
        guard tested.status == 0 else { return }

        let binary = package.appendingPathComponent(".build/debug/reel-glint")
        let listed = try run(binary, ["plugins"], in: package)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("glint.pulse") && listed.stdout.contains("glint.tint"), "\(listed.stdout)")
        #expect(listed.stdout.contains("postfx.bloom"), "Reel's own plugins are there too")

        let picture = folder.appendingPathComponent("example.png")
        let rendered = try run(binary, ["still", "Scenes/example.yaml", "--at", "1s", "-o", picture.path], in: package)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(!rendered.stderr.contains("skipped"), "the plugin's passes were drawn: \(rendered.stderr)")
        let probe = try ProbedPNG(picture, points: [(320, 180)])
        #expect(probe.width == 640 && probe.height == 360)

        // Plain reel does not know the plugin, and says so with the file and line.
        let plain = try reel(["validate", package.appendingPathComponent("Scenes/example.yaml").path])
        #expect(plain.status != 0 && plain.stderr.contains("glint.pulse"), "\(plain.stderr)")
    }

    @Test func badNamesAndExistingFoldersAreRefused() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = try reel(["plugin", "new", "Glint", "--output", folder.appendingPathComponent("x").path, "--reel", repositoryRoot.path])
        #expect(bad.status != 0 && bad.stderr.contains("E-CLI-ARGUMENT"))
        try Data("x".utf8).write(to: folder.appendingPathComponent("taken"))
        let taken = try reel(["plugin", "new", "glint", "--output", folder.path, "--reel", repositoryRoot.path])
        #expect(taken.status != 0 && taken.stderr.contains("not empty"))
        let notReel = try reel(["plugin", "new", "glint", "--output", folder.appendingPathComponent("y").path, "--reel", folder.path])
        #expect(notReel.status != 0 && notReel.stderr.contains("not a Reel checkout"))
    }
}
