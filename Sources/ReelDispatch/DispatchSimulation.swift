import Foundation

/// A dispatch job in virtual time: the real `ChunkScheduler` and the planner's default
/// chunking, driven by a discrete-event loop over simulated workers instead of HTTP. Nothing
/// renders and nothing sleeps, so a thousand workers and tens of thousands of frames take
/// milliseconds; `make bench` and the tests measure the policy the coordinator runs.
public struct DispatchSimulation: Sendable {
    /// The job and the fleet. Every property has a default: a 10-minute 60 fps video of a heavy
    /// 4K scene on GPU workers (the default workload `make bench` reports).
    public struct Workload: Sendable {
        /// Workers, one render slot each. The default is 100.
        public var workers = 100
        /// Frames in the job. The default is 36 000 (10 minutes at 60 fps).
        public var frames = 36_000
        /// Seconds to render and encode one frame on an average worker. The default is 0.25.
        public var secondsPerFrame = 0.25
        /// Seconds each chunk costs besides its frames (request, context, encoder). The default
        /// is 0.5.
        public var overheadSeconds = 0.5
        /// σ of the log of each worker's factor on its frames' time, fixed per worker
        /// (lognormal, mean 1). The default is 0.1.
        public var workerSpread = 0.1
        /// σ of the log of each attempt's own factor on its frames' time (lognormal, mean 1).
        /// The default is 0.15.
        public var chunkNoise = 0.15
        /// Chance an attempt straggles: it takes `stragglerSlowdown` (uniform) times longer.
        /// The default is 0.02, 3–10 times.
        public var stragglerProbability = 0.02
        public var stragglerSlowdown: ClosedRange<Double> = 3...10
        /// Chance an attempt fails, after a uniform fraction of the time it would have taken.
        /// The default is 0.05.
        public var failureProbability = 0.05
        /// Seeds the workers, the attempts and the scheduler's jitter. The default is 1.
        public var seed: UInt64 = 1

        public init() {}

        /// The fastest possible makespan: every frame's nominal time spread evenly over the
        /// workers, no overhead, no spread, no failures.
        public var idealSeconds: Double { Double(frames) * secondsPerFrame / Double(max(workers, 1)) }
    }

    /// What happened.
    public struct Result: Sendable {
        /// Virtual seconds from the first assignment to the last chunk done (or to the job
        /// failing).
        public var makespan: Double
        public var ideal: Double
        public var ratio: Double { makespan / ideal }
        public var chunks: Int
        /// Attempts started: first runs, retries and copies.
        public var attempts: Int
        /// Copies of stragglers started.
        public var copies: Int
        /// Attempts that failed.
        public var failures: Int
        /// Attempts cancelled because another copy of their chunk finished first.
        public var cancelled: Int
        /// Successful completions per chunk: all ones when the job finished.
        public var completions: [Int]
        /// Why the job failed, or nil.
        public var fatal: String?
        /// Every attempt and how it ended, in the order they ended (those still running when
        /// the job failed are left out): for looking at where a makespan went.
        public var log: [Ended] = []
    }

    /// An attempt and how it ended.
    public struct Ended: Sendable {
        public enum Outcome: Sendable, Hashable { case succeeded, failed, cancelled }
        public var attempt: ChunkScheduler.Attempt
        public var ended: Double
        public var outcome: Outcome
    }

    public var workload: Workload
    public var policy: ChunkScheduler.Policy

    public init(_ workload: Workload = Workload(), policy: ChunkScheduler.Policy = ChunkScheduler.Policy()) {
        self.workload = workload
        self.policy = policy
    }

    /// The chunks the planner cuts the job into, with its defaults for this fleet.
    public var chunks: [ClosedRange<Int>] {
        ChunkPlanner(slots: workload.workers, secondsPerFrame: workload.secondsPerFrame, overheadSeconds: workload.overheadSeconds)
            .plan(0...(workload.frames - 1))
    }

    /// Runs the job to the end: every chunk done, or the scheduler giving up.
    public func run() -> Result {
        let chunks = self.chunks
        let frames = chunks.map(\.count)
        var random = SplitMix(seed: workload.seed)
        let speed = (0..<workload.workers).map { _ in random.logNormal(sigma: workload.workerSpread) }
        var scheduler = ChunkScheduler(frames: frames, slots: Array(repeating: 1, count: workload.workers),
                                       policy: policy, seed: random.next())
        var events = EventQueue()
        var live = Set<Int>()
        var result = Result(makespan: 0, ideal: workload.idealSeconds, chunks: chunks.count, attempts: 0, copies: 0,
                            failures: 0, cancelled: 0, completions: Array(repeating: 0, count: chunks.count))
        var now = 0.0

        func start(_ attempts: [ChunkScheduler.Attempt]) {
            for attempt in attempts {
                result.attempts += 1
                if attempt.speculative { result.copies += 1 }
                var seconds = workload.overheadSeconds
                    + Double(frames[attempt.chunk]) * workload.secondsPerFrame * speed[attempt.worker] * random.logNormal(sigma: workload.chunkNoise)
                if random.unit() < workload.stragglerProbability {
                    seconds *= workload.stragglerSlowdown.lowerBound
                        + random.unit() * (workload.stragglerSlowdown.upperBound - workload.stragglerSlowdown.lowerBound)
                }
                let fails = random.unit() < workload.failureProbability
                if fails { seconds *= random.unit() }
                live.insert(attempt.id)
                events.push(Event(time: now + seconds, attempt: attempt.id, fails: fails))
            }
        }

        start(scheduler.assign(now: now))
        while !scheduler.isFinished {
            let wake = scheduler.nextWakeUp(after: now)
            guard let next = [events.first?.time, wake].compactMap({ $0 }).min() else {
                result.fatal = "stalled: nothing running and nothing to wait for"
                break
            }
            now = next
            // Everything that ends at this instant, then one assignment round.
            while let event = events.first, event.time <= now {
                events.pop()
                guard live.remove(event.attempt) != nil else { continue }  // cancelled earlier
                guard let attempt = scheduler.running[event.attempt] else { continue }
                if event.fails {
                    result.failures += 1
                    result.log.append(Ended(attempt: attempt, ended: now, outcome: .failed))
                    scheduler.failed(event.attempt, now: now, .failed("simulated failure"))
                } else {
                    result.completions[attempt.chunk] += 1
                    result.log.append(Ended(attempt: attempt, ended: now, outcome: .succeeded))
                    for other in scheduler.succeeded(event.attempt, now: now) {
                        live.remove(other.id)
                        result.cancelled += 1
                        result.log.append(Ended(attempt: other, ended: now, outcome: .cancelled))
                    }
                }
            }
            start(scheduler.assign(now: now))
        }
        result.makespan = now
        if result.fatal == nil { result.fatal = scheduler.fatal }
        return result
    }
}

// MARK: - Events

/// An attempt ending: it succeeds or fails at `time`.
private struct Event {
    var time: Double
    var attempt: Int
    var fails: Bool
}

/// A binary min-heap of events by time, ties by attempt id so runs are reproducible.
private struct EventQueue {
    private var heap: [Event] = []

    var first: Event? { heap.first }

    private static func before(_ a: Event, _ b: Event) -> Bool { a.time < b.time || (a.time == b.time && a.attempt < b.attempt) }

    mutating func push(_ event: Event) {
        heap.append(event)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard heap.count > 1 else { heap.removeAll(); return }
        heap[0] = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

extension SplitMix {
    /// exp(σ·Z − σ²/2) for a standard normal Z (Box–Muller): a factor with mean 1, so the
    /// nominal seconds per frame stays the fleet's average and the ideal stays comparable.
    mutating func logNormal(sigma: Double) -> Double {
        guard sigma > 0 else { return 1 }
        let u = max(unit(), .leastNonzeroMagnitude), v = unit()
        let z = (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        return exp(sigma * z - sigma * sigma / 2)
    }
}
