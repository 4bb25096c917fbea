/// Cuts a frame range into chunks.
///
/// Big chunks first, smaller towards the end ("factoring"): each round hands every slot a
/// chunk of about half the remaining work divided by the slots, so early chunks waste little
/// on per-chunk overhead and the last ones are short enough that no worker finishes long
/// after the others. No chunk is so short that its overhead (the request, warm-up frames)
/// costs more than a tenth of it.
public struct ChunkPlanner: Sendable {
    /// Render slots across all workers.
    public var slots: Int
    /// Estimated seconds to render and encode one frame on a worker.
    public var secondsPerFrame: Double
    /// Fixed seconds each chunk costs besides its frames: the round trip, opening a context
    /// and encoder.
    public var overheadSeconds: Double
    /// Frames each chunk draws without output before its first (stateful shaders).
    public var warmUpFrames: Int
    /// No chunk longer than this many seconds (a request must not outlive proxies; Modal's
    /// holds one for 150 s).
    public var maxChunkSeconds: Double

    public init(slots: Int, secondsPerFrame: Double, overheadSeconds: Double = 0.5, warmUpFrames: Int = 0, maxChunkSeconds: Double = 120) {
        self.slots = max(1, slots)
        self.secondsPerFrame = max(secondsPerFrame, 1e-6)
        self.overheadSeconds = max(overheadSeconds, 0)
        self.warmUpFrames = max(warmUpFrames, 0)
        self.maxChunkSeconds = maxChunkSeconds
    }

    /// The fewest frames a chunk should have: its overhead at most a ninth of its frames' time.
    public var minimumFrames: Int {
        let overhead = overheadSeconds + Double(warmUpFrames) * secondsPerFrame
        return max(1, Int((9 * overhead / secondsPerFrame).rounded(.up)))
    }

    public var maximumFrames: Int { max(minimumFrames, Int(maxChunkSeconds / secondsPerFrame)) }

    /// The chunks, in the order they should start.
    public func plan(_ frames: ClosedRange<Int>) -> [ClosedRange<Int>] {
        var chunks: [ClosedRange<Int>] = []
        var next = frames.lowerBound
        while next <= frames.upperBound {
            let remaining = frames.upperBound - next + 1
            let size = min(maximumFrames, max(minimumFrames, (remaining + 2 * slots - 1) / (2 * slots)))
            for _ in 0..<slots where next <= frames.upperBound {
                let left = frames.upperBound - next + 1
                // A remainder smaller than a minimum chunk joins this one.
                let take = left - size < minimumFrames ? left : size
                chunks.append(next...(next + take - 1))
                next += take
            }
        }
        return chunks
    }

    /// Chunks of `size` frames (the last may be shorter): `--chunk-frames`.
    public static func fixed(_ frames: ClosedRange<Int>, size: Int) -> [ClosedRange<Int>] {
        stride(from: frames.lowerBound, through: frames.upperBound, by: max(1, size)).map { $0...min($0 + max(1, size) - 1, frames.upperBound) }
    }
}
