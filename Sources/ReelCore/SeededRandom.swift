/// A deterministic random generator keyed by (scene seed, layer id, frame).
///
/// Rendering never touches a global random source: any randomness comes from here, so a
/// frame is the same on every machine and in every frame range. SplitMix64, seeded by a
/// 64-bit FNV-1a hash of the key.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64, layer: String, frame: Int, stream: UInt64 = 0) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for i in 0..<8 { mix(UInt8(truncatingIfNeeded: seed >> (8 * UInt64(i)))) }
        for byte in layer.utf8 { mix(byte) }
        mix(0xFF)
        for i in 0..<8 { mix(UInt8(truncatingIfNeeded: UInt64(bitPattern: Int64(frame)) >> (8 * UInt64(i)))) }
        for i in 0..<8 { mix(UInt8(truncatingIfNeeded: stream >> (8 * UInt64(i)))) }
        state = hash
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in 0..<1.
    public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992)
    }
}
