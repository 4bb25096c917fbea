/// Which chunk runs where, when to retry, when to copy a straggler, when to give up on a
/// worker or on the job. A pure state machine over a clock it is told: the coordinator
/// drives it with real time and HTTP results, the simulation benchmark with virtual time,
/// so `make bench` measures the policy the coordinator runs.
public struct ChunkScheduler: Sendable {
    public struct Policy: Sendable {
        /// Failed attempts a chunk may have before the job fails.
        public var retries = 3
        /// Backoff after a chunk's n-th failure: base × 2^(n-1), at most `backoffMax`,
        /// times a jitter in [0.5, 1.5) so retries from many chunks do not arrive together.
        public var backoffBase = 0.5
        public var backoffMax = 30.0
        /// Consecutive failures after which a worker is dropped.
        public var workerFailureLimit = 3
        /// A running chunk is a straggler once it has taken this many times its expected time
        /// (the median seconds per frame of finished chunks × its frames)…
        public var stragglerFactor = 2.0
        /// …and at least this long. It is then copied to an idle worker; the first copy to
        /// finish wins.
        public var stragglerMinSeconds = 1.0

        public init() {}
    }

    public struct Attempt: Sendable, Hashable {
        public var id: Int
        public var chunk: Int
        public var worker: Int
        public var started: Double
        /// A copy of a straggler, not a first run or retry.
        public var speculative: Bool
    }

    public enum Failure: Sendable, Hashable {
        /// The worker was busy (429): try again, nothing counts against anyone.
        case busy
        /// The attempt failed (error, timeout, corrupt bytes, connection lost).
        case failed(String)
        /// The worker cannot serve at all (refused our token, wrong version): drop it now.
        case workerUnusable(String)
    }

    public enum WorkerState: Sendable, Hashable { case active, dropped(String) }

    public let policy: Policy
    public let frames: [Int]
    public private(set) var workers: [WorkerState]
    public private(set) var slots: [Int]
    public private(set) var done: [Bool]
    /// Every failure of each chunk, "worker: reason".
    public private(set) var failures: [[String]]
    /// Set once the job cannot complete.
    public private(set) var fatal: String?
    public private(set) var running: [Int: Attempt] = [:]

    private var pending: [Int]
    private var notBefore: [Double]
    private var failedOn: [Set<Int>]
    private var consecutiveFailures: [Int]
    private var busy: [Int]
    /// Seconds per frame of each finished chunk, ascending.
    private var secondsPerFrame: [Double] = []
    private var nextID = 0
    private var random: SplitMix

    /// - Parameters:
    ///   - frames: each chunk's frame count, in the order chunks should start.
    ///   - slots: how many chunks each worker runs at once.
    ///   - done: chunks already finished (from the cache).
    public init(frames: [Int], slots: [Int], done: [Bool]? = nil, policy: Policy = Policy(), seed: UInt64 = 1) {
        self.policy = policy
        self.frames = frames
        self.slots = slots
        self.workers = Array(repeating: .active, count: slots.count)
        self.done = done ?? Array(repeating: false, count: frames.count)
        failures = Array(repeating: [], count: frames.count)
        pending = frames.indices.filter { !(done?[$0] ?? false) }
        notBefore = Array(repeating: 0, count: frames.count)
        failedOn = Array(repeating: [], count: frames.count)
        consecutiveFailures = Array(repeating: 0, count: slots.count)
        busy = Array(repeating: 0, count: slots.count)
        random = SplitMix(seed: seed)
    }

    public var isFinished: Bool { fatal != nil || done.allSatisfy { $0 } }
    public var chunksDone: Int { done.filter { $0 }.count }

    /// Starts what can start at `now`: pending chunks whose backoff has passed, then copies
    /// of stragglers when nothing is pending.
    public mutating func assign(now: Double) -> [Attempt] {
        guard fatal == nil else { return [] }
        var started: [Attempt] = []
        // One entry per free slot; taken from the end, so workers fill in order.
        var free: [Int] = []
        for worker in workers.indices.reversed() where workers[worker] == .active {
            for _ in 0..<max(0, slots[worker] - busy[worker]) { free.append(worker) }
        }
        guard !free.isEmpty else { return [] }
        var waiting: [Int] = []
        for chunk in pending {
            guard !free.isEmpty, notBefore[chunk] <= now else { waiting.append(chunk); continue }
            // Prefer a worker that has not failed this chunk before.
            var pick = free.count - 1
            if !failedOn[chunk].isEmpty, let other = free.lastIndex(where: { !failedOn[chunk].contains($0) }) { pick = other }
            let worker = free.remove(at: pick)
            started.append(start(chunk, on: worker, now: now, speculative: false))
        }
        pending = waiting
        // Stragglers: only when every chunk has started, so a copy never delays first runs.
        guard pending.isEmpty, !free.isEmpty, let perFrame = medianSecondsPerFrame else { return started }
        let copied = Set(running.values.filter(\.speculative).map(\.chunk))
        let stragglers = running.values
            .filter { !$0.speculative && !copied.contains($0.chunk) && isStraggler($0, now: now, perFrame: perFrame) }
            .sorted { ($0.started, $0.id) < ($1.started, $1.id) }  // ids break ties: `running` has no order
        for attempt in stragglers {
            guard let index = free.lastIndex(where: { $0 != attempt.worker }) else { break }
            let worker = free.remove(at: index)
            started.append(start(attempt.chunk, on: worker, now: now, speculative: true))
        }
        return started
    }

    private func isStraggler(_ attempt: Attempt, now: Double, perFrame: Double) -> Bool {
        let elapsed = now - attempt.started
        return elapsed >= policy.stragglerMinSeconds && elapsed > policy.stragglerFactor * perFrame * Double(frames[attempt.chunk])
    }

    private var medianSecondsPerFrame: Double? {
        guard !secondsPerFrame.isEmpty else { return nil }
        return secondsPerFrame[secondsPerFrame.count / 2]
    }

    private mutating func start(_ chunk: Int, on worker: Int, now: Double, speculative: Bool) -> Attempt {
        nextID += 1
        let attempt = Attempt(id: nextID, chunk: chunk, worker: worker, started: now, speculative: speculative)
        running[attempt.id] = attempt
        busy[worker] += 1
        return attempt
    }

    /// Records a finished attempt.
    /// - Returns: other attempts of the same chunk, which the caller should cancel.
    public mutating func succeeded(_ id: Int, now: Double) -> [Attempt] {
        guard let attempt = running.removeValue(forKey: id) else { return [] }
        busy[attempt.worker] -= 1
        consecutiveFailures[attempt.worker] = 0
        guard !done[attempt.chunk] else { return [] }
        done[attempt.chunk] = true
        // Kept sorted, so the median the straggler check asks for often is a lookup.
        let perFrame = (now - attempt.started) / Double(max(frames[attempt.chunk], 1))
        var low = 0, high = secondsPerFrame.count
        while low < high {
            let middle = (low + high) / 2
            if secondsPerFrame[middle] <= perFrame { low = middle + 1 } else { high = middle }
        }
        secondsPerFrame.insert(perFrame, at: low)
        pending.removeAll { $0 == attempt.chunk }
        let others = running.values.filter { $0.chunk == attempt.chunk }
        for other in others {
            running[other.id] = nil
            busy[other.worker] -= 1
        }
        return others
    }

    /// Records a failed attempt: the chunk goes back to the queue after a backoff (unless a
    /// copy of it is still running), the worker may be dropped, the job may fail.
    public mutating func failed(_ id: Int, now: Double, _ failure: Failure, workerName: String = "") {
        guard let attempt = running.removeValue(forKey: id) else { return }
        busy[attempt.worker] -= 1
        let chunk = attempt.chunk, worker = attempt.worker
        let name = workerName.isEmpty ? "worker \(worker + 1)" : workerName
        switch failure {
        case .busy:
            notBefore[chunk] = now + 0.25
        case let .failed(reason):
            failures[chunk].append("\(name): \(reason)")
            failedOn[chunk].insert(worker)
            consecutiveFailures[worker] += 1
            if consecutiveFailures[worker] >= policy.workerFailureLimit {
                drop(worker, "\(consecutiveFailures[worker]) failures in a row, the last: \(reason)")
            }
            let n = failures[chunk].count
            if n > policy.retries, !done[chunk] {
                fatal = "frames \(chunk) failed \(n) times"
            }
            notBefore[chunk] = now + min(policy.backoffMax, policy.backoffBase * Double(1 << min(n - 1, 20))) * (0.5 + random.unit())
        case let .workerUnusable(reason):
            failures[chunk].append("\(name): \(reason)")
            drop(worker, reason)
            notBefore[chunk] = now
        }
        guard !done[chunk], fatal == nil else { return }
        if !running.values.contains(where: { $0.chunk == chunk }), !pending.contains(chunk) {
            pending.append(chunk)
            pending.sort()
        }
        if !workers.contains(.active) {
            fatal = "every worker was dropped"
        }
    }

    /// Drops a worker: its running attempts are the caller's to cancel and report as failed.
    public mutating func drop(_ worker: Int, _ reason: String) {
        guard case .active = workers[worker] else { return }
        workers[worker] = .dropped(reason)
        if !workers.contains(.active), !isFinished { fatal = "every worker was dropped" }
    }

    /// When `assign` may next start something without any attempt ending: a backoff
    /// running out, or a running chunk turning into a straggler.
    public func nextWakeUp(after now: Double) -> Double? {
        var times = pending.map { notBefore[$0] }.filter { $0 > now }
        if pending.isEmpty, let perFrame = medianSecondsPerFrame {
            for attempt in running.values where !attempt.speculative {
                times.append(attempt.started + max(policy.stragglerMinSeconds, policy.stragglerFactor * perFrame * Double(frames[attempt.chunk])) + 1e-6)
            }
        }
        return times.filter { $0 > now }.min()
    }
}

/// A small seeded generator (SplitMix64), so the simulation and jitter are reproducible.
struct SplitMix: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
