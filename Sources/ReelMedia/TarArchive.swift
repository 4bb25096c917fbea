import ReelCore

extension ReelError.Code {
    /// A tar archive is malformed, unsafe to unpack, or larger than allowed.
    public static let tarArchive = Self("E-MEDIA-TAR")
}

/// A minimal POSIX ustar archive of flat regular files: how a chunk of a PNG sequence
/// (`000120.png`, `000121.png`…) travels between machines as one blob.
///
/// Only what that needs is supported: regular files with names of up to 100 bytes and no
/// folders. The writer is deterministic (mode 0644, owner 0, time 0), so the same files
/// always give the same bytes. The reader takes bytes from the network and trusts none of
/// them: every header is checksummed and bounds-checked, and anything that is not a plain
/// file with a plain name is refused rather than skipped.
public enum TarArchive {
    /// The size of a header and the unit data is padded to.
    static let block = 512

    // Offsets and lengths of the ustar header fields used here (POSIX.1-1988).
    private static let nameField = 0..<100
    private static let modeField = 100..<108
    private static let uidField = 108..<116
    private static let gidField = 116..<124
    private static let sizeField = 124..<136
    private static let mtimeField = 136..<148
    private static let checksumField = 148..<156
    private static let typeOffset = 156
    private static let magicField = 257..<263
    private static let versionField = 263..<265
    private static let prefixField = 345..<500

    // MARK: - Writing

    /// An archive of `files` in the given order, ended by two zero blocks.
    ///
    /// Names are Reel's own (`000120.png`); one that could not be read back (empty, longer
    /// than 100 bytes, with `/` or NUL, `.` or `..`) or a file of 8 GiB or more is a
    /// programming error and traps.
    public static func write(_ files: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var archive: [UInt8] = []
        archive.reserveCapacity(files.reduce(2 * block) { $0 + block + padded($1.bytes.count) })
        for file in files {
            let name = Array(file.name.utf8)
            precondition(isPlainName(name) && name.count <= nameField.count, "tar entry name '\(file.name)' cannot be written")
            precondition(file.bytes.count < 1 << 33, "tar entry '\(file.name)' is too large for ustar")
            var header = [UInt8](repeating: 0, count: block)
            header.replaceSubrange(nameField.lowerBound..<nameField.lowerBound + name.count, with: name)
            put(octal: 0o644, in: modeField, of: &header)
            put(octal: 0, in: uidField, of: &header)
            put(octal: 0, in: gidField, of: &header)
            put(octal: file.bytes.count, in: sizeField, of: &header)
            put(octal: 0, in: mtimeField, of: &header)
            header[typeOffset] = UInt8(ascii: "0")
            header.replaceSubrange(magicField, with: Array("ustar\0".utf8))
            header.replaceSubrange(versionField, with: Array("00".utf8))
            // The checksum is summed with its own field as spaces, then stored as six octal
            // digits, NUL, space.
            header.replaceSubrange(checksumField, with: [UInt8](repeating: UInt8(ascii: " "), count: checksumField.count))
            let sum = header.reduce(0) { $0 + Int($1) }
            put(octal: sum, in: checksumField.lowerBound..<checksumField.upperBound - 1, of: &header)
            header[checksumField.upperBound - 1] = UInt8(ascii: " ")
            archive += header
            archive += file.bytes
            archive += [UInt8](repeating: 0, count: padded(file.bytes.count) - file.bytes.count)
        }
        archive += [UInt8](repeating: 0, count: 2 * block)
        return archive
    }

    /// `value` as zero-padded octal filling `field` but its last byte, which is NUL.
    private static func put(octal value: Int, in field: Range<Int>, of header: inout [UInt8]) {
        let digits = Array(String(value, radix: 8).utf8)
        let width = field.count - 1
        precondition(digits.count <= width, "\(value) does not fit a \(field.count)-byte tar field")
        let text = [UInt8](repeating: UInt8(ascii: "0"), count: width - digits.count) + digits + [0]
        header.replaceSubrange(field, with: text)
    }

    // MARK: - Reading

    /// The files in `bytes`, in archive order.
    ///
    /// Anything after the end-of-archive marker (two zero blocks; tar pads to whole records)
    /// is ignored.
    /// - Throws: `E-MEDIA-TAR` for an archive that is truncated (including a missing end
    ///   marker), has a header whose checksum or fields are wrong, holds anything but a
    ///   regular file, names a file with `/`, NUL, `.` or `..` (a path that could escape the
    ///   folder it is unpacked into), names one twice, gives a size past the end of the
    ///   bytes, or holds more than `maxEntries` files or `maxBytes` bytes of file data.
    public static func read(_ bytes: [UInt8], maxEntries: Int = 100_000, maxBytes: Int = 1 << 32) throws -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        var names: Set<String> = []
        var total = 0
        var offset = 0
        while true {
            guard bytes.count - offset >= block else {
                throw ReelError(.tarArchive, "the archive is truncated: it ends at byte \(bytes.count) without its end marker")
            }
            let header = bytes[offset..<offset + block]
            if header.allSatisfy({ $0 == 0 }) {
                guard bytes.count - offset >= 2 * block, bytes[offset + block..<offset + 2 * block].allSatisfy({ $0 == 0 }) else {
                    throw ReelError(.tarArchive, "the archive is truncated or damaged at byte \(offset): its end marker is incomplete")
                }
                return files
            }
            let entry = files.count
            guard entry < maxEntries else {
                throw ReelError(.tarArchive, "the archive holds more than \(maxEntries) files")
            }
            try checkChecksum(header, entry: entry, at: offset)
            let magic = Array(field(magicField, of: header))
            // POSIX ustar ("ustar\0" "00"), or GNU tar's older "ustar  \0", which has the same layout here.
            guard magic == Array("ustar\0".utf8) || magic == Array("ustar ".utf8) else {
                throw ReelError(.tarArchive, "entry \(entry) at byte \(offset) is not a ustar header")
            }
            let name = try entryName(header, entry: entry)
            let type = header[header.startIndex + typeOffset]
            guard type == UInt8(ascii: "0") || type == 0 else {
                throw ReelError(.tarArchive, "'\(name)' is not a regular file (tar type \(describe(type)))",
                                detail: "an archive of frames holds only files")
            }
            guard let size = octal(field(sizeField, of: header)) else {
                throw ReelError(.tarArchive, "'\(name)' has a malformed size field")
            }
            let start = offset + block
            guard size <= bytes.count - start else {
                throw ReelError(.tarArchive, "'\(name)' claims \(size) bytes, past the end of the archive")
            }
            guard padded(size) <= bytes.count - start else {
                throw ReelError(.tarArchive, "the archive is truncated in the padding after '\(name)'")
            }
            guard size <= maxBytes - total else {
                throw ReelError(.tarArchive, "the archive holds more than \(maxBytes) bytes of files")
            }
            guard names.insert(name).inserted else { throw ReelError(.tarArchive, "'\(name)' is in the archive twice") }
            total += size
            files.append((name, Array(bytes[start..<start + size])))
            offset = start + padded(size)
        }
    }

    private static func checkChecksum(_ header: ArraySlice<UInt8>, entry: Int, at offset: Int) throws {
        guard let stored = octal(field(checksumField, of: header)) else {
            throw ReelError(.tarArchive, "entry \(entry) at byte \(offset) has a malformed checksum field")
        }
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += checksumField.contains(index) ? Int(UInt8(ascii: " ")) : Int(byte)
        }
        guard sum == stored else {
            throw ReelError(.tarArchive, "entry \(entry) at byte \(offset) has a bad checksum (\(stored), computed \(sum))",
                            detail: "the archive is damaged")
        }
    }

    /// The entry's name, refused unless it is a plain file name: the prefix field is
    /// empty, and the name is valid UTF-8 without `/`, NUL or a trailing non-NUL byte.
    private static func entryName(_ header: ArraySlice<UInt8>, entry: Int) throws -> String {
        guard field(prefixField, of: header).allSatisfy({ $0 == 0 }) else {
            throw ReelError(.tarArchive, "entry \(entry) has a path prefix; only plain file names are allowed")
        }
        let raw = field(nameField, of: header)
        let length = raw.firstIndex(of: 0).map { $0 - raw.startIndex } ?? raw.count
        let bytes = Array(raw.prefix(length))
        let shown = String(decoding: bytes, as: UTF8.self)
        // Bytes after the terminating NUL would be a name with a NUL in it, read two ways.
        guard raw.dropFirst(length).allSatisfy({ $0 == 0 }) else {
            throw ReelError(.tarArchive, "entry \(entry) ('\(shown)') has a NUL inside its name")
        }
        guard isPlainName(bytes) else {
            throw ReelError(.tarArchive, "entry \(entry) has the unsafe name '\(shown)'",
                            detail: "names must be plain file names: not empty, no '/', not '.' or '..'")
        }
        guard Array(shown.utf8) == bytes else { throw ReelError(.tarArchive, "entry \(entry) has a name that is not UTF-8") }
        return shown
    }

    /// True for a name that unpacks to a file in the folder it is unpacked into.
    private static func isPlainName(_ name: [UInt8]) -> Bool {
        !name.isEmpty && !name.contains(UInt8(ascii: "/")) && !name.contains(0) && name != [0x2E] && name != [0x2E, 0x2E]
    }

    /// A numeric field: optional leading spaces, octal digits, then NUL or spaces to the
    /// end. Nil for anything else, including GNU's base-256 form, which no file here needs.
    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        var digits = bytes.drop { $0 == UInt8(ascii: " ") }
        let end = digits.firstIndex { $0 == 0 || $0 == UInt8(ascii: " ") } ?? digits.endIndex
        guard digits[end...].allSatisfy({ $0 == 0 || $0 == UInt8(ascii: " ") }) else { return nil }
        digits = digits[..<end]
        guard !digits.isEmpty, digits.count <= 12 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func field(_ range: Range<Int>, of header: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        header[header.startIndex + range.lowerBound..<header.startIndex + range.upperBound]
    }

    private static func padded(_ size: Int) -> Int { (size + block - 1) / block * block }

    private static func describe(_ type: UInt8) -> String {
        (0x21...0x7E).contains(type) ? "'\(Character(UnicodeScalar(type)))'" : "byte \(type)"
    }
}
