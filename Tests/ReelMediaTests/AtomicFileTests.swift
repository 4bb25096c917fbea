import Foundation
import Testing
import ReelCore
@testable import ReelMedia

@Suite("Atomic file writes")
struct AtomicFileTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

    @Test func writesAndReplaces() throws {
        let path = folder + "/a.bin"
        try AtomicFile.write(Data("first".utf8), to: path)
        try AtomicFile.write(Data("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try contents() == ["a.bin"], "no temporary files stay behind")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func aMissingFolderIsReportedBeforeAnyWork() throws {
        let error = #expect(throws: ReelError.self) { try AtomicFile.checkWritable(folder + "/nope/out.png") }
        #expect(error?.code == .fileUnwritable)
        #expect(error?.message.contains("does not exist") == true)
    }

    @Test func aFolderInTheWayIsReported() throws {
        try FileManager.default.createDirectory(atPath: folder + "/out.png", withIntermediateDirectories: false)
        let error = #expect(throws: ReelError.self) { try AtomicFile.checkWritable(folder + "/out.png") }
        #expect(error?.message.contains("a folder of that name exists") == true)
    }

    @Test func aFileInPlaceOfTheFolderIsReported() throws {
        try Data().write(to: URL(fileURLWithPath: folder + "/plain"))
        #expect(throws: ReelError.self) { try AtomicFile.checkWritable(folder + "/plain/out.png") }
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoDebris() throws {
        // /proc refuses new files even to root, so this fails on every machine.
        let error = #expect(throws: ReelError.self) { try AtomicFile.write(Data("x".utf8), to: "/proc/reel-test.png") }
        #expect(error?.code == .fileUnwritable)
        #expect(!FileManager.default.fileExists(atPath: "/proc/reel-test.png"))

        // A rename that fails (target is a non-empty folder) must leave the folder alone and
        // remove the temporary.
        try FileManager.default.createDirectory(atPath: folder + "/busy/inner", withIntermediateDirectories: true)
        #expect(throws: ReelError.self) { try AtomicFile.write(Data("x".utf8), to: folder + "/busy") }
        #expect(try contents() == ["busy"])
    }

    @Test(.enabled(if: getuid() != 0, "needs a non-root user: root may write into read-only folders (the /proc case covers root)"))
    func readOnlyFoldersAreReported() throws {
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        defer { chmod(locked, 0o755) }
        let error = #expect(throws: ReelError.self) { try AtomicFile.checkWritable(locked + "/out.png") }
        #expect(error?.message.contains("no permission") == true)
    }
}
