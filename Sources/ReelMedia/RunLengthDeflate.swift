import CDeflate

/// DEFLATE for rendered frames at the fastest level (PNG level 1): a zlib stream whose only
/// matches repeat the previous pixel or the pixel above, Huffman-coded per block with tables
/// built from that block's own counts.
///
/// Why Reel has its own: rendered graphics are long runs of one colour. zlib's and
/// libdeflate's fastest levels find those runs with a hash table, hashing every byte even
/// inside a run, which on 1080p motion graphics made them no faster than FFmpeg's encoder;
/// comparing each position with the two places a repeat of rendered pixels comes from costs
/// two 8-byte compares and finds nearly every run they find, so frames compress several
/// times faster to a similar or smaller size (`make bench` prints both). The approach is
/// fpnge's (Google's fast PNG encoder); any inflater reads the result, and the tests decode
/// every level with libpng and an independent decoder.
///
/// Not thread-safe: one per encoding thread (`PNGEncoder` owns one).
final class RunLengthDeflate {
    /// Tokens of the block being gathered: a literal byte, or `match | length << 16 | distance`.
    private let tokens: UnsafeMutablePointer<UInt32>
    private static let tokenCapacity = 1 << 15
    private static let match: UInt32 = 1 << 31
    /// A block ends after this much input or this many tokens, whichever comes first, so its
    /// Huffman tables follow the picture's local colours.
    private static let blockInput = 1 << 18
    private var literalCounts = [UInt32](repeating: 0, count: 286)
    private var distanceCounts = [UInt32](repeating: 0, count: 30)
    /// The two distances matches use in the current frame, and their symbols.
    private var left = (distance: 0, code: 0), up = (distance: 0, code: 0)

    init() {
        tokens = .allocate(capacity: Self.tokenCapacity)
    }

    deinit { tokens.deallocate() }

    /// The most bytes `compress` can write for `count` bytes of input: a block costs no
    /// more than storing it, so the bound is the input, its stored-block headers and the
    /// zlib wrapper.
    static func bound(_ count: Int) -> Int { count + 5 * (count / 16_384 + 2) + 64 }

    /// Compresses `count` bytes of PNG scanlines (rows of `rowBytes` bytes, filter byte
    /// included, `bpp` bytes a pixel) into `output` as a zlib stream; returns its size.
    /// `capacity` must be at least `bound(count)`.
    func compress(_ input: UnsafePointer<UInt8>, count: Int, rowBytes: Int, bpp: Int,
                  into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        precondition(capacity >= Self.bound(count), "RunLengthDeflate needs bound(count) bytes of output")
        var writer = BitWriter(output)
        writer.bytes(0x78, 0x01)  // zlib: 32 KiB window, deflate, fastest
        // Repeats come from two places: the previous pixel and the same byte a row up.
        let left = bpp, up = rowBytes <= 32_768 ? rowBytes : 0
        self.left = (left, Self.distanceCode(left))
        self.up = (up, up > 0 ? Self.distanceCode(up) : 0)
        var position = 0, blockStart = 0, tokenCount = 0
        Self.lengthSymbol.withUnsafeBufferPointer { lengthSymbols in
            literalCounts.withUnsafeMutableBufferPointer { literals in
                distanceCounts.withUnsafeMutableBufferPointer { distances in
                    let leftCode = self.left.code, upCode = self.up.code
                    while position < count {
                        let remaining = count - position, longest = min(258, remaining)
                        var length = 0, distance = 0
                        if position >= left, longest >= 3 {
                            length = Self.commonPrefix(input + position, input + position - left, longest)
                            distance = left
                        }
                        if length < longest, up > 0, position >= up, longest >= 3 {
                            let above = Self.commonPrefix(input + position, input + position - up, longest)
                            if above > length { (length, distance) = (above, up) }
                        }
                        if length >= 3 {
                            tokens[tokenCount] = Self.match | UInt32(length) << 16 | UInt32(distance)
                            literals[257 + Int(lengthSymbols[length])] &+= 1
                            distances[distance == left ? leftCode : upCode] &+= 1
                            position += length
                        } else {
                            let byte = input[position]
                            tokens[tokenCount] = UInt32(byte)
                            literals[Int(byte)] &+= 1
                            position += 1
                        }
                        tokenCount += 1
                        if tokenCount == Self.tokenCapacity || position - blockStart >= Self.blockInput || position == count {
                            writeBlock(&writer, input + blockStart, inputCount: position - blockStart, tokenCount: tokenCount,
                                       literals: literals, distances: distances, final: position == count)
                            blockStart = position
                            tokenCount = 0
                            literals.update(repeating: 0)
                            distances.update(repeating: 0)
                        }
                    }
                    if count == 0 {
                        writeBlock(&writer, input, inputCount: 0, tokenCount: 0, literals: literals, distances: distances, final: true)
                    }
                }
            }
        }
        writer.alignToByte()
        let adler = libdeflate_adler32(1, input, count)
        writer.bytes(UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF))
        writer.bytes(UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF))
        return writer.count
    }

    /// How many of the first `limit` bytes at `a` and `b` agree; `b` may overlap `a`.
    @inline(__always)
    private static func commonPrefix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ limit: Int) -> Int {
        var n = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while n + 8 <= limit {
            let difference = ra.loadUnaligned(fromByteOffset: n, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: n, as: UInt64.self)
            if difference != 0 { return n + difference.trailingZeroBitCount >> 3 }
            n += 8
        }
        while n < limit, a[n] == b[n] { n += 1 }
        return n
    }

    // MARK: - Blocks

    /// Writes the gathered tokens as one block: Huffman-coded with tables of its own, or
    /// stored when that is smaller (noise), so no block grows past its input.
    private func writeBlock(_ writer: inout BitWriter, _ input: UnsafePointer<UInt8>, inputCount: Int, tokenCount: Int,
                            literals: UnsafeMutableBufferPointer<UInt32>, distances: UnsafeMutableBufferPointer<UInt32>, final: Bool) {
        literals[256] = 1  // the end-of-block symbol
        var literalLengths = [UInt8](repeating: 0, count: 286), distanceLengths = [UInt8](repeating: 0, count: 30)
        Huffman.lengths(literals, limit: 15, into: &literalLengths)
        Huffman.lengths(distances, limit: 15, into: &distanceLengths)
        // A block without matches still declares a distance code; a complete one of two
        // symbols suits every inflater (zlib accepts an empty one, stricter ones do not).
        if distanceLengths.allSatisfy({ $0 == 0 }) {
            distanceLengths[0] = 1
            distanceLengths[1] = 1
        }
        var literalCount = 286
        while literalCount > 257, literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1, distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        let header = CodeLengthHeader(literalLengths[..<literalCount] + distanceLengths[..<distanceCount])

        var bits = 3 + header.bits
        for symbol in 0..<286 where literals[symbol] > 0 {
            bits += Int(literals[symbol]) * (Int(literalLengths[symbol]) + (symbol > 256 ? Int(Self.lengthExtra[symbol - 257]) : 0))
        }
        for symbol in 0..<30 where distances[symbol] > 0 {
            bits += Int(distances[symbol]) * (Int(distanceLengths[symbol]) + Int(Self.distanceExtra[symbol]))
        }
        let storedBits = 8 * (inputCount + 5 * max(1, (inputCount + 65_534) / 65_535)) + 7
        if bits >= storedBits {
            writeStored(&writer, input, count: inputCount, final: final)
            return
        }
        writer.put(final ? 1 : 0, 1)
        writer.put(2, 2)  // dynamic Huffman
        writer.put(UInt32(literalCount - 257), 5)
        writer.put(UInt32(distanceCount - 1), 5)
        header.write(&writer)
        let literalCodes = Huffman.codes(literalLengths), distanceCodes = Huffman.codes(distanceLengths)
        // Each match length's code and extra bits as one field, and each of the two
        // distances' likewise, so a match is two writes.
        var lengthFields = [UInt32](repeating: 0, count: 259), lengthWidths = [UInt8](repeating: 0, count: 259)
        for length in 3...258 {
            let symbol = Int(Self.lengthSymbol[length]), bits = literalLengths[257 + symbol]
            lengthFields[length] = UInt32(literalCodes[257 + symbol]) | UInt32(length - Int(Self.lengthBase[symbol])) << UInt32(bits)
            lengthWidths[length] = bits + Self.lengthExtra[symbol]
        }
        func field(_ distance: (distance: Int, code: Int)) -> (UInt32, Int) {
            guard distance.distance > 0 else { return (0, 0) }
            let bits = distanceLengths[distance.code]
            return (UInt32(distanceCodes[distance.code]) | UInt32(distance.distance - Int(Self.distanceBase[distance.code])) << UInt32(bits),
                    Int(bits) + Int(Self.distanceExtra[distance.code]))
        }
        let leftField = field(left), upField = field(up), leftDistance = UInt32(left.distance)
        literalCodes.withUnsafeBufferPointer { literalCode in
            literalLengths.withUnsafeBufferPointer { literalLength in
                lengthFields.withUnsafeBufferPointer { lengthField in
                    lengthWidths.withUnsafeBufferPointer { lengthWidth in
                        for index in 0..<tokenCount {
                            let token = tokens[index]
                            if token & Self.match == 0 {
                                writer.put(UInt32(literalCode[Int(token)]), Int(literalLength[Int(token)]))
                                continue
                            }
                            let length = Int(token >> 16 & 0x1FF)
                            writer.put(lengthField[length], Int(lengthWidth[length]))
                            let distance = token & 0xFFFF == leftDistance ? leftField : upField
                            writer.put(distance.0, distance.1)
                        }
                        writer.put(UInt32(literalCode[256]), Int(literalLength[256]))
                    }
                }
            }
        }
    }

    /// Writes `count` bytes as stored blocks of at most 65 535 bytes.
    private func writeStored(_ writer: inout BitWriter, _ input: UnsafePointer<UInt8>, count: Int, final: Bool) {
        var offset = 0
        repeat {
            let size = min(65_535, count - offset)
            let last = final && offset + size == count
            writer.put(last ? 1 : 0, 1)
            writer.put(0, 2)  // stored
            writer.alignToByte()
            writer.bytes(UInt8(size & 0xFF), UInt8(size >> 8))
            writer.bytes(UInt8(~size & 0xFF), UInt8(~size >> 8 & 0xFF))
            writer.copy(input + offset, count: size)
            offset += size
        } while offset < count
    }

    // MARK: - DEFLATE's tables (RFC 1951, 3.2.5)

    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                         4097, 6145, 8193, 12_289, 16_385, 24_577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// The length symbol (less 257) of each match length 3…258.
    static let lengthSymbol: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 259)
        for symbol in 0..<29 {
            let end = symbol < 28 ? Int(lengthBase[symbol + 1]) : 259
            for length in Int(lengthBase[symbol])..<end { table[length] = UInt8(symbol) }
        }
        table[258] = 28
        return table
    }()

    /// The distance symbol of a distance 1…32768.
    static func distanceCode(_ distance: Int) -> Int {
        var code = 29
        while Int(distanceBase[code]) > distance { code -= 1 }
        return code
    }
}

/// A DEFLATE bit stream (least significant bit first) written into memory sized beforehand.
struct BitWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private var next: UnsafeMutablePointer<UInt8>
    private var buffer: UInt64 = 0
    private var filled = 0

    init(_ output: UnsafeMutablePointer<UInt8>) {
        start = output
        next = output
    }

    /// Bytes written so far (after `alignToByte`, all of them).
    var count: Int { next - start }

    /// Appends the low `width` bits of `value` (at most 32).
    @inline(__always)
    mutating func put(_ value: UInt32, _ width: Int) {
        buffer |= UInt64(value) &<< UInt64(filled)
        filled &+= width
        if filled >= 32 {
            UnsafeMutableRawPointer(next).storeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian, as: UInt32.self)
            next += 4
            buffer >>= 32
            filled -= 32
        }
    }

    /// Pads with zero bits to a byte boundary and writes out what is pending.
    mutating func alignToByte() {
        while filled > 0 {
            next.pointee = UInt8(truncatingIfNeeded: buffer)
            next += 1
            buffer >>= 8
            filled = max(0, filled - 8)
        }
        buffer = 0
    }

    /// Appends whole bytes; the stream must be at a byte boundary.
    mutating func bytes(_ a: UInt8, _ b: UInt8) {
        precondition(filled == 0, "bytes written off a byte boundary")
        next[0] = a
        next[1] = b
        next += 2
    }

    /// Appends `count` bytes from `source`; the stream must be at a byte boundary.
    mutating func copy(_ source: UnsafePointer<UInt8>, count: Int) {
        precondition(filled == 0, "bytes written off a byte boundary")
        next.update(from: source, count: count)
        next += count
    }
}

/// Canonical, length-limited Huffman codes as DEFLATE writes them.
enum Huffman {
    /// Code lengths (at most `limit` bits) for symbols of the given counts, zero for unused
    /// symbols. Optimal lengths come from Moffat and Katajainen's in-place method; those over
    /// the limit are brought within it as JPEG's Annex K.3 does, which keeps the code complete.
    static func lengths(_ counts: UnsafeMutableBufferPointer<UInt32>, limit: Int, into lengths: inout [UInt8]) {
        for i in lengths.indices { lengths[i] = 0 }
        var used: [(count: UInt32, symbol: Int)] = []
        used.reserveCapacity(counts.count)
        for symbol in 0..<counts.count where counts[symbol] > 0 { used.append((counts[symbol], symbol)) }
        if used.isEmpty { return }
        if used.count == 1 {
            // A complete code needs two: the one symbol and a neighbour of it.
            lengths[used[0].symbol] = 1
            lengths[used[0].symbol == 0 ? 1 : 0] = 1
            return
        }
        used.sort { $0.count != $1.count ? $0.count < $1.count : $0.symbol < $1.symbol }
        let n = used.count
        var a = used.map { Int($0.count) }
        // Moffat–Katajainen: a[i] becomes the code length of the i-th rarest symbol.
        a[0] += a[1]
        var root = 0, leaf = 2
        for next in 1..<(n - 1) {
            if leaf >= n || a[root] < a[leaf] {
                a[next] = a[root]; a[root] = next; root += 1
            } else {
                a[next] = a[leaf]; leaf += 1
            }
            if leaf >= n || (root < next && a[root] < a[leaf]) {
                a[next] += a[root]; a[root] = next; root += 1
            } else {
                a[next] += a[leaf]; leaf += 1
            }
        }
        a[n - 2] = 0
        if n > 2 { for next in stride(from: n - 3, through: 0, by: -1) { a[next] = a[a[next]] + 1 } }
        var available = 1, usedAtDepth = 0, depth = 0
        root = n - 2
        var next = n - 1
        while available > 0 {
            while root >= 0, a[root] == depth { usedAtDepth += 1; root -= 1 }
            while available > usedAtDepth { a[next] = depth; next -= 1; available -= 1 }
            available = 2 * usedAtDepth
            depth += 1
            usedAtDepth = 0
        }
        // Counts of codes per length, then lengths over the limit folded back in.
        let longest = a.max() ?? 0
        var perLength = [Int](repeating: 0, count: max(longest, limit) + 1)
        for length in a { perLength[length] += 1 }
        var length = longest
        while length > limit {
            while perLength[length] > 0 {
                var shorter = length - 2
                while perLength[shorter] == 0 { shorter -= 1 }
                perLength[length] -= 2
                perLength[length - 1] += 1
                perLength[shorter + 1] += 2
                perLength[shorter] -= 1
            }
            length -= 1
        }
        // The commonest symbols get the shortest codes.
        var symbol = n - 1
        for bits in 1...limit {
            for _ in 0..<perLength[bits] {
                lengths[used[symbol].symbol] = UInt8(bits)
                symbol -= 1
            }
        }
    }

    /// Canonical codes for `lengths`, bit-reversed for a least-significant-bit-first stream.
    static func codes(_ lengths: [UInt8]) -> [UInt16] {
        var perLength = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { perLength[Int(length)] += 1 }
        // RFC 1951, 3.2.2: codes of each length follow those of the length before.
        var code = 0
        var start = [Int](repeating: 0, count: 16)
        for bits in 1..<16 {
            start[bits] = code
            code = (code + perLength[bits]) << 1
        }
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            var value = start[Int(length)], reversed = 0
            start[Int(length)] += 1
            for _ in 0..<Int(length) {
                reversed = reversed << 1 | value & 1
                value >>= 1
            }
            codes[symbol] = UInt16(reversed)
        }
        return codes
    }
}

/// A dynamic block's code lengths, run-length coded with DEFLATE's code-length alphabet
/// (16: repeat the previous 3–6 times, 17: 3–10 zeros, 18: 11–138 zeros).
struct CodeLengthHeader {
    private var symbols: [(symbol: UInt8, extra: UInt8)] = []
    private var lengths = [UInt8](repeating: 0, count: 19)
    private var codes = [UInt16](repeating: 0, count: 19)
    private var count = 19
    /// Bits the header takes after the block's first 3: counts, the code-length code, the lengths.
    private(set) var bits = 0
    static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    static let extraBits: [Int] = [2, 3, 7]

    init<Lengths: Collection>(_ all: Lengths) where Lengths.Element == UInt8 {
        let values = Array(all)
        var i = 0
        while i < values.count {
            let value = values[i]
            var run = 1
            while i + run < values.count, values[i + run] == value { run += 1 }
            if value == 0, run >= 3 {
                let take = min(run, 138)
                symbols.append(take >= 11 ? (18, UInt8(take - 11)) : (17, UInt8(take - 3)))
                i += take
                continue
            }
            symbols.append((value, 0))
            i += 1
            if value != 0, run >= 4 {
                var left = run - 1
                while left >= 3 {
                    let take = min(left, 6)
                    symbols.append((16, UInt8(take - 3)))
                    left -= take
                    i += take
                }
            }
        }
        var counts = [UInt32](repeating: 0, count: 19)
        for entry in symbols { counts[Int(entry.symbol)] += 1 }
        counts.withUnsafeMutableBufferPointer { Huffman.lengths($0, limit: 7, into: &lengths) }
        codes = Huffman.codes(lengths)
        while count > 4, lengths[Self.order[count - 1]] == 0 { count -= 1 }
        bits = 14 + 3 * count
        for entry in symbols {
            bits += Int(lengths[Int(entry.symbol)]) + (entry.symbol >= 16 ? Self.extraBits[Int(entry.symbol) - 16] : 0)
        }
    }

    /// Writes HCLEN, the code-length code and the lengths (HLIT and HDIST come before).
    func write(_ writer: inout BitWriter) {
        writer.put(UInt32(count - 4), 4)
        for i in 0..<count { writer.put(UInt32(lengths[Self.order[i]]), 3) }
        for entry in symbols {
            let symbol = Int(entry.symbol)
            writer.put(UInt32(codes[symbol]), Int(lengths[symbol]))
            if symbol >= 16 { writer.put(UInt32(entry.extra), Self.extraBits[symbol - 16]) }
        }
    }
}
