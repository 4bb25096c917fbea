/// Which chunk runs where, when to retry, when to copy a straggler, when to give up on a
/// worker or on the job. A pure state machine over a clock it is told: the coordinator
/// drives it with real time and HTTP results, the simulation benchmark with virtual time,
/// so `make bench` measures the policy the coordinator runs.
public struct ChunkScheduler: Sendable {
    public struct Policy: Sendable {
        /// Failed attempts a chunk may have before the job fails. 4: a chunk that fails every
        /// time still stops the job after five tries, and at 5 % transient failures (copies
        /// count too) a 900-chunk job fails by bad luck about once in 3 000 runs, not once in
        /// 150 as with 3.
        public var retries = 4
        /// Backoff after a chunk's n-th failure: base × 2^(n-1), at most `backoffMax`,
        /// times a jitter in [0.5, 1.5) so retries from many chunks do not arrive together.
        public var backoffBase = 0.5
        public var backoffMax = 30.0
        /// Consecutive failures after which a worker is dropped.
        public var workerFailureLimit = 3
        /// A running chunk is a straggler once every attempt of it has taken this many times
        /// its expected time (the median seconds per frame of finished chunks × its frames)…
        /// 1.5, as Spark's speculation: a normal chunk gets that late about one time in a
        /// hundred at the simulation's spread, and a copy it did not need is cancelled as soon
        /// as it finishes.
        public var stragglerFactor = 1.5
        /// …and at least this long. It is then copied to a free worker; the first attempt to
        /// finish wins and the others are cancelled.
        public var stragglerMinSeconds = 1.0
        /// Once nothing is pending, the factor drops to this: a copy then only uses a worker
        /// that would otherwise wait for the job to end, and the last chunks decide the
        /// makespan (1.16 times the ideal at a hundred simulated workers, 1.18 without, for
        /// about 80 more copies of short chunks: under 1 % more worker time).
        public var idleStragglerFactor = 0.75
        /// Copies of one chunk at most; a copy that straggles too gets another. With one, a
        /// thousand simulated workers took 2.9 times the ideal instead of 2.1.
        public var maxCopies = 2
        /// Whether a straggler's copy starts before pending chunks. A straggler holds its
        /// worker until it ends or a copy finishes, and the job cannot end without its chunk:
        /// with 2 % of attempts 3–10× slow, copying only once nothing is pending (`false`)
        /// took the simulation's median makespan at a hundred workers from 1.16 to 1.47 times
        /// the ideal.
        public var copyBeforePending = true

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
    /// Attempts running per chunk.
    private var attemptsOf: [Int]
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
        attemptsOf = Array(repeating: 0, count: frames.count)
        random = SplitMix(seed: seed)
    }

    public var isFinished: Bool { fatal != nil || done.allSatisfy { $0 } }
    public var chunksDone: Int { done.filter { $0 }.count }

    /// Starts what can start at `now`: copies of stragglers, pending chunks whose backoff has
    /// passed, then (nothing pending any more) copies of chunks late by the idle factor.
    public mutating func assign(now: Double) -> [Attempt] {
        guard fatal == nil else { return [] }
        var started: [Attempt] = []
        // One entry per free slot; taken from the end, so workers fill in order.
        var free: [Int] = []
        for worker in workers.indices.reversed() where workers[worker] == .active {
            for _ in 0..<max(0, slots[worker] - busy[worker]) { free.append(worker) }
        }
        guard !free.isEmpty else { return [] }
        if policy.copyBeforePending, !pending.isEmpty {
            copyStragglers(now: now, factor: policy.stragglerFactor, free: &free, started: &started)
        }
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
        if pending.isEmpty { copyStragglers(now: now, factor: stragglerFactor, free: &free, started: &started) }
        return started
    }

    /// The straggler factor now: lower once nothing is pending.
    private var stragglerFactor: Double {
        pending.isEmpty ? min(policy.stragglerFactor, policy.idleStragglerFactor) : policy.stragglerFactor
    }

    /// Copies each chunk whose every attempt is late, oldest first, to a free worker not
    /// already running it.
    private mutating func copyStragglers(now: Double, factor: Double, free: inout [Int], started: inout [Attempt]) {
        guard !free.isEmpty, let perFrame = medianSecondsPerFrame else { return }
        // Usually nothing is late: look closer only at what is.
        var late: [Int: [Attempt]] = [:]
        for attempt in running.values where attemptsOf[attempt.chunk] <= policy.maxCopies
            && now >= lateAt(attempt, perFrame: perFrame, factor: factor) {
            late[attempt.chunk, default: []].append(attempt)
        }
        let stragglers = late.values
            .filter { $0.count == attemptsOf[$0[0].chunk] }
            .compactMap { $0.min(by: Self.earlier) }
            .sorted(by: Self.earlier)
        for original in stragglers {
            let on = Set(late[original.chunk, default: []].map(\.worker))
            guard let index = free.lastIndex(where: { !on.contains($0) }) else { continue }
            started.append(start(original.chunk, on: free.remove(at: index), now: now, speculative: true))
            if free.isEmpty { break }
        }
    }

    /// Started first; ids break ties, since `running` has no order.
    private static func earlier(_ a: Attempt, _ b: Attempt) -> Bool { (a.started, a.id) < (b.started, b.id) }

    /// When an attempt becomes late.
    private func lateAt(_ attempt: Attempt, perFrame: Double, factor: Double) -> Double {
        attempt.started + max(policy.stragglerMinSeconds, factor * perFrame * Double(frames[attempt.chunk]))
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
        attemptsOf[chunk] += 1
        return attempt
    }

    /// Records a finished attempt.
    /// - Returns: other attempts of the same chunk, which the caller should cancel.
    public mutating func succeeded(_ id: Int, now: Double) -> [Attempt] {
        guard let attempt = running.removeValue(forKey: id) else { return [] }
        busy[attempt.worker] -= 1
        attemptsOf[attempt.chunk] -= 1
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
        let others = attemptsOf[attempt.chunk] == 0 ? [] : running.values.filter { $0.chunk == attempt.chunk }
        for other in others {
            running[other.id] = nil
            busy[other.worker] -= 1
        }
        attemptsOf[attempt.chunk] = 0
        return others
    }

    /// Records a failed attempt: the chunk goes back to the queue after a backoff (unless a
    /// copy of it is still running), the worker may be dropped, the job may fail.
    public mutating func failed(_ id: Int, now: Double, _ failure: Failure, workerName: String = "") {
        guard let attempt = running.removeValue(forKey: id) else { return }
        busy[attempt.worker] -= 1
        attemptsOf[attempt.chunk] -= 1
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
        if attemptsOf[chunk] == 0, !pending.contains(chunk) {
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
    /// running out, or a running chunk turning into a straggler. Nil while no slot is free
    /// (only an attempt ending frees one, and `assign` is due after each).
    public func nextWakeUp(after now: Double) -> Double? {
        guard workers.indices.contains(where: { workers[$0] == .active && busy[$0] < slots[$0] }) else { return nil }
        var times = pending.map { notBefore[$0] }
        if pending.isEmpty || policy.copyBeforePending, let perFrame = medianSecondsPerFrame {
            // A chunk is late once its last attempt is.
            var lastOf: [Int: Double] = [:]
            for attempt in running.values where attemptsOf[attempt.chunk] <= policy.maxCopies {
                let at = lateAt(attempt, perFrame: perFrame, factor: stragglerFactor)
                if attemptsOf[attempt.chunk] == 1 { times.append(at) } else { lastOf[attempt.chunk] = max(lastOf[attempt.chunk] ?? at, at) }
            }
            times += lastOf.values
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
