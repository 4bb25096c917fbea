import Foundation
import ReelCore
import Testing
@testable import ReelMedia

@Suite("Tar archives of PNG chunks")
struct TarArchiveTests {
    /// Sizes either side of the 512-byte block, and an empty file.
    static let files: [(name: String, bytes: [UInt8])] = [0, 1, 511, 512, 513, 1500].enumerated().map { index, size in
        (String(format: "%06d.png", index), (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
    }

    static func equal(_ a: [(name: String, bytes: [UInt8])], _ b: [(name: String, bytes: [UInt8])]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.bytes == $1.bytes }
    }

    /// `archive` with a header field of the entry at `entry` (a byte offset) replaced, and the
    /// checksum made right again, so that only the field itself is wrong.
    static func rewriting(_ archive: [UInt8], entry: Int = 0, at field: Range<Int>, with bytes: [UInt8]) -> [UInt8] {
        var archive = archive
        let padded = bytes + [UInt8](repeating: 0, count: max(0, field.count - bytes.count))
        archive.replaceSubrange(entry + field.lowerBound..<entry + field.upperBound, with: padded.prefix(field.count))
        archive.replaceSubrange(entry + 148..<entry + 156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = archive[entry..<entry + 512].reduce(0) { $0 + Int($1) }
        archive.replaceSubrange(entry + 148..<entry + 156, with: Array(String(format: "%06o", sum).utf8) + [0, 0x20])
        return archive
    }

    // MARK: - Round trip

    @Test func filesComeBackAsWritten() throws {
        let archive = TarArchive.write(Self.files)
        #expect(archive.count % 512 == 0)
        #expect(Self.equal(try TarArchive.read(archive), Self.files))
    }

    @Test func anEmptyArchiveHoldsNothing() throws {
        #expect(try TarArchive.read(TarArchive.write([])).isEmpty)
    }

    @Test func writingIsDeterministic() {
        #expect(TarArchive.write(Self.files) == TarArchive.write(Self.files))
    }

    @Test func recordPaddingAfterTheEndIsIgnored() throws {
        #expect(Self.equal(try TarArchive.read(TarArchive.write(Self.files) + [UInt8](repeating: 0, count: 4096)), Self.files))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tar"), "GNU tar is not installed"))
    func gnuTarReadsWhatIsWrittenAndWritesWhatIsRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-tar-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(TarArchive.write(Self.files)).write(to: URL(fileURLWithPath: folder + "/ours.tar"))
        try Self.run(["-xf", folder + "/ours.tar", "-C", folder + "/out"])
        let unpacked = try Self.files.map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/out/" + $0.name))) }
        #expect(unpacked == Self.files.map(\.bytes), "GNU tar unpacks our archive")

        try Self.run(["--format=ustar", "-cf", folder + "/theirs.tar", "-C", folder + "/out"] + Self.files.map(\.name))
        let theirs = try TarArchive.read([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/theirs.tar"))))
        #expect(Self.equal(theirs, Self.files), "we read GNU tar's ustar archive")
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar \(arguments.joined(separator: " "))")
    }

    // MARK: - Malformed archives

    /// Ways an archive from the network can be wrong; each must be a thrown `E-MEDIA-TAR`.
    enum Malformed: String, CaseIterable, Sendable {
        case empty, cutInAHeader, cutInData, cutInPadding, noEndMarker, halfAnEndMarker
        case badChecksum, garbage, notUstar
        case directory, symlink, hardLink, gnuLongName
        case slashInName, absoluteName, dotDot, dot, emptyName, nulInName, pathPrefix
        case sizePastTheEnd, sizeNotOctal, duplicateName

        var bytes: [UInt8] {
            let good = TarArchive.write(TarArchiveTests.files)
            // The first file is empty, so the second's header follows the first's; its one
            // byte of data is padded to a block, then come the third's header and 511 bytes.
            let second = 512
            switch self {
            case .empty: return []
            case .cutInAHeader: return Array(good.prefix(300))
            case .cutInData: return Array(good.prefix(4 * 512 + 100))
            case .cutInPadding: return Array(good.prefix(2 * 512 + 1 + 10))
            case .noEndMarker: return Array(good.dropLast(1024))
            case .halfAnEndMarker: return Array(good.dropLast(512))
            case .badChecksum:
                var bytes = good
                bytes[3] ^= 0x01
                return bytes
            case .garbage: return (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
            case .notUstar: return TarArchiveTests.rewriting(good, at: 257..<263, with: Array("xxxxx\0".utf8))
            case .directory: return TarArchiveTests.rewriting(good, at: 156..<157, with: [UInt8(ascii: "5")])
            case .symlink: return TarArchiveTests.rewriting(good, at: 156..<157, with: [UInt8(ascii: "2")])
            case .hardLink: return TarArchiveTests.rewriting(good, at: 156..<157, with: [UInt8(ascii: "1")])
            case .gnuLongName: return TarArchiveTests.rewriting(good, at: 156..<157, with: [UInt8(ascii: "L")])
            case .slashInName: return TarArchiveTests.rewriting(good, at: 0..<100, with: Array("frames/000000.png".utf8))
            case .absoluteName: return TarArchiveTests.rewriting(good, at: 0..<100, with: Array("/etc/passwd".utf8))
            case .dotDot: return TarArchiveTests.rewriting(good, at: 0..<100, with: Array("..".utf8))
            case .dot: return TarArchiveTests.rewriting(good, at: 0..<100, with: Array(".".utf8))
            case .emptyName: return TarArchiveTests.rewriting(good, at: 0..<100, with: [])
            case .nulInName: return TarArchiveTests.rewriting(good, at: 0..<100, with: Array("000000.png\0../../x".utf8))
            case .pathPrefix: return TarArchiveTests.rewriting(good, at: 345..<500, with: Array("frames".utf8))
            case .sizePastTheEnd: return TarArchiveTests.rewriting(good, entry: second, at: 124..<136, with: Array("77777777777\0".utf8))
            case .sizeNotOctal: return TarArchiveTests.rewriting(good, entry: second, at: 124..<136, with: Array("0000000009x\0".utf8))
            case .duplicateName: return TarArchive.write([TarArchiveTests.files[1], TarArchiveTests.files[1]])
            }
        }
    }

    @Test(arguments: Malformed.allCases)
    func malformedArchivesAreRefused(_ kind: Malformed) {
        let error = #expect(throws: ReelError.self) { try TarArchive.read(kind.bytes) }
        #expect(error?.code == .tarArchive)
    }

    @Test func tooManyEntriesAreRefused() {
        let error = #expect(throws: ReelError.self) { try TarArchive.read(TarArchive.write(Self.files), maxEntries: 5) }
        #expect(error?.message.contains("more than 5 files") == true)
        #expect((try? TarArchive.read(TarArchive.write(Self.files), maxEntries: 6))?.count == 6)
    }

    @Test func tooManyBytesAreRefused() {
        let total = Self.files.reduce(0) { $0 + $1.bytes.count }
        #expect(throws: ReelError.self) { try TarArchive.read(TarArchive.write(Self.files), maxBytes: total - 1) }
        #expect((try? TarArchive.read(TarArchive.write(Self.files), maxBytes: total))?.count == 6)
    }

    @Test func everyTruncationIsRefused() {
        let good = TarArchive.write(Array(Self.files.prefix(3)))
        let refused = (0..<good.count).allSatisfy { length in (try? TarArchive.read(Array(good.prefix(length)))) == nil }
        #expect(refused)
    }

    @Test func anyFlippedByteIsRefusedOrReadWithoutTrapping() {
        // Flipping a byte of a header breaks its checksum; one in file data goes unnoticed
        // (a PNG has its own checks). Either way the reader must return, never trap.
        let good = TarArchive.write(Array(Self.files.prefix(3)))
        var outcomes = (refused: 0, read: 0)
        for index in good.indices {
            var bytes = good
            bytes[index] ^= 0x80
            if (try? TarArchive.read(bytes)) == nil { outcomes.refused += 1 } else { outcomes.read += 1 }
        }
        #expect(outcomes.refused >= 3 * 512, "every header byte counts")
        #expect(outcomes.refused + outcomes.read == good.count)
    }
}
