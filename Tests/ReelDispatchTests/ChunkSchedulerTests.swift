import Testing
@testable import ReelDispatch

@Suite("ChunkScheduler")
struct ChunkSchedulerTests {
    typealias Policy = ChunkScheduler.Policy

    static func policy(retries: Int = 3, backoffBase: Double = 0.5, workerFailureLimit: Int = 3) -> Policy {
        var policy = Policy()
        policy.retries = retries
        policy.backoffBase = backoffBase
        policy.workerFailureLimit = workerFailureLimit
        return policy
    }

    // MARK: - Assigning

    @Test func assignsOnlyToFreeSlots() {
        var scheduler = ChunkScheduler(frames: Array(repeating: 10, count: 5), slots: [1, 2])
        let first = scheduler.assign(now: 0)
        #expect(first.map(\.chunk) == [0, 1, 2])
        #expect(first.filter { $0.worker == 0 }.count == 1)
        #expect(first.filter { $0.worker == 1 }.count == 2)
        #expect(scheduler.assign(now: 1).isEmpty)

        let finished = first[1]
        #expect(scheduler.succeeded(finished.id, now: 5).isEmpty)
        let next = scheduler.assign(now: 5)
        #expect(next.map(\.chunk) == [3])
        #expect(next.map(\.worker) == [finished.worker])
    }

    @Test func skipsChunksAlreadyDone() {
        var scheduler = ChunkScheduler(frames: [10, 10, 10], slots: [3], done: [true, false, true])
        #expect(scheduler.assign(now: 0).map(\.chunk) == [1])
    }

    @Test func finishesWhenEveryChunkSucceeded() {
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [2])
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[0].id, now: 1)
        #expect(!scheduler.isFinished)
        _ = scheduler.succeeded(attempts[1].id, now: 2)
        #expect(scheduler.isFinished)
        #expect(scheduler.fatal == nil)
        #expect(scheduler.chunksDone == 2)
    }

    // MARK: - Retrying

    @Test func retriesAFailedChunkOnlyAfterItsBackoff() throws {
        var scheduler = ChunkScheduler(frames: [10], slots: [1, 1], policy: Self.policy(backoffBase: 2))
        let first = try #require(scheduler.assign(now: 0).first)
        scheduler.failed(first.id, now: 3, .failed("timeout"))

        // The first backoff is the base times a jitter in [0.5, 1.5).
        let due = try #require(scheduler.nextWakeUp(after: 3))
        #expect(due >= 3 + 1 && due < 3 + 3)
        #expect(scheduler.assign(now: 3).isEmpty)
        #expect(scheduler.assign(now: due - 0.01).isEmpty)
        let retry = try #require(scheduler.assign(now: due).first)
        #expect(retry.chunk == 0)
        #expect(!retry.speculative)

        // The second backoff doubles.
        scheduler.failed(retry.id, now: due + 1, .failed("timeout"))
        let second = try #require(scheduler.nextWakeUp(after: due + 1))
        #expect(second >= due + 1 + 2 && second < due + 1 + 6)
    }

    @Test func backoffIsCappedByItsMaximum() throws {
        var policy = Self.policy(retries: 20, backoffBase: 10, workerFailureLimit: 100)
        policy.backoffMax = 15
        var scheduler = ChunkScheduler(frames: [10], slots: [1], policy: policy)
        var now = 0.0
        for _ in 0..<6 {
            let attempt = try #require(scheduler.assign(now: now).first)
            scheduler.failed(attempt.id, now: now, .failed("error"))
            let due = try #require(scheduler.nextWakeUp(after: now))
            #expect(due - now < 15 * 1.5)
            now = due
        }
    }

    @Test func prefersAnotherWorkerForARetriedChunk() throws {
        var scheduler = ChunkScheduler(frames: [10], slots: [1, 1])
        let first = try #require(scheduler.assign(now: 0).first)
        #expect(first.worker == 0)
        scheduler.failed(first.id, now: 1, .failed("connection lost"))
        let retry = try #require(scheduler.assign(now: 10).first)
        #expect(retry.worker == 1)
    }

    @Test func retriesOnTheSameWorkerWhenNoOtherIsFree() throws {
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1])
        let attempts = scheduler.assign(now: 0)
        scheduler.failed(attempts[0].id, now: 1, .failed("connection lost"))
        let retry = try #require(scheduler.assign(now: 10).first)
        #expect(retry.chunk == 0)
        #expect(retry.worker == attempts[0].worker)
    }

    // MARK: - Giving up

    @Test func dropsAWorkerAfterTheConsecutiveFailureLimit() throws {
        var scheduler = ChunkScheduler(frames: Array(repeating: 10, count: 6), slots: [1, 1],
                                       policy: Self.policy(retries: 10, backoffBase: 0, workerFailureLimit: 3))
        var now = 0.0
        var failuresOnFirst = 0
        var onSecond: [ChunkScheduler.Attempt] = []
        // Worker 1 stays busy on its first chunk; worker 0 fails whatever it gets.
        while failuresOnFirst < 3 {
            let started = scheduler.assign(now: now)
            onSecond += started.filter { $0.worker == 1 }
            for attempt in started where attempt.worker == 0 {
                #expect(scheduler.workers[0] == .active)
                scheduler.failed(attempt.id, now: now, .failed("out of memory"))
                failuresOnFirst += 1
            }
            now += 1
        }
        guard case .dropped = scheduler.workers[0] else {
            Issue.record("worker 0 should be dropped")
            return
        }
        #expect(scheduler.workers[1] == .active)
        #expect(scheduler.fatal == nil)
        #expect(scheduler.assign(now: now + 100).isEmpty)
        _ = scheduler.succeeded(try #require(onSecond.first).id, now: now + 100)
        #expect(scheduler.assign(now: now + 100).map(\.worker) == [1])
    }

    @Test func aSuccessResetsTheConsecutiveFailures() throws {
        var scheduler = ChunkScheduler(frames: Array(repeating: 10, count: 6), slots: [1],
                                       policy: Self.policy(retries: 10, backoffBase: 0, workerFailureLimit: 2))
        for (k, fails) in [true, false, true, false, true].enumerated() {
            let attempt = try #require(scheduler.assign(now: Double(k)).first)
            if fails { scheduler.failed(attempt.id, now: Double(k), .failed("error")) } else { _ = scheduler.succeeded(attempt.id, now: Double(k)) }
        }
        #expect(scheduler.workers == [.active])
        #expect(scheduler.fatal == nil)
    }

    @Test func failsTheJobWhenAChunkExceedsItsRetries() throws {
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1, 1, 1, 1], policy: Self.policy(retries: 2, backoffBase: 0))
        var now = 0.0
        for failure in 1...3 {
            #expect(scheduler.fatal == nil)
            let attempt = try #require(scheduler.assign(now: now).first { $0.chunk == 0 })
            scheduler.failed(attempt.id, now: now, .failed("bad frame \(failure)"))
            now += 1
        }
        #expect(scheduler.fatal != nil)
        #expect(scheduler.isFinished)
        #expect(scheduler.failures[0].count == 3)
        #expect(scheduler.assign(now: now).isEmpty)
    }

    @Test func failsTheJobWhenEveryWorkerIsDropped() throws {
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1])
        let attempts = scheduler.assign(now: 0)
        scheduler.failed(attempts[0].id, now: 1, .workerUnusable("401: token refused"))
        #expect(scheduler.fatal == nil)
        scheduler.failed(attempts[1].id, now: 1, .workerUnusable("401: token refused"))
        #expect(scheduler.fatal == "every worker was dropped")
        #expect(scheduler.isFinished)
    }

    @Test func failsTheJobWhenEveryWorkerFailedTooOften() throws {
        var scheduler = ChunkScheduler(frames: [10], slots: [1], policy: Self.policy(retries: 10, backoffBase: 0, workerFailureLimit: 2))
        for k in 0..<2 {
            let attempt = try #require(scheduler.assign(now: Double(k)).first)
            scheduler.failed(attempt.id, now: Double(k), .failed("crash"))
        }
        #expect(scheduler.fatal == "every worker was dropped")
    }

    @Test func busyCountsAgainstNobody() throws {
        var scheduler = ChunkScheduler(frames: [10], slots: [1], policy: Self.policy(retries: 1, workerFailureLimit: 1))
        var now = 0.0
        for _ in 0..<10 {
            let attempt = try #require(scheduler.assign(now: now).first)
            scheduler.failed(attempt.id, now: now, .busy)
            #expect(scheduler.assign(now: now).isEmpty)  // a short pause before asking again
            now = try #require(scheduler.nextWakeUp(after: now))
        }
        #expect(scheduler.fatal == nil)
        #expect(scheduler.workers == [.active])
        #expect(scheduler.failures[0].isEmpty)
        let last = try #require(scheduler.assign(now: now).first)
        _ = scheduler.succeeded(last.id, now: now + 1)
        #expect(scheduler.isFinished && scheduler.fatal == nil)
    }

    // MARK: - Stragglers

    static func stragglerPolicy(copyBeforePending: Bool = true) -> Policy {
        var policy = Self.policy(backoffBase: 100)
        policy.backoffMax = 1000
        policy.stragglerFactor = 2
        policy.idleStragglerFactor = 2
        policy.stragglerMinSeconds = 1
        policy.copyBeforePending = copyBeforePending
        return policy
    }

    /// Three one-slot workers, three 10-frame chunks: chunk 1 finishes in 10 s (1 s a frame),
    /// chunk 2 fails and waits out a long backoff, chunk 0 runs on and on.
    static func straggling(_ policy: Policy = stragglerPolicy()) -> (ChunkScheduler, original: ChunkScheduler.Attempt) {
        var scheduler = ChunkScheduler(frames: [10, 10, 10], slots: [1, 1, 1], policy: policy)
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[1].id, now: 10)
        scheduler.failed(attempts[2].id, now: 11, .failed("error"))
        return (scheduler, attempts[0])
    }

    @Test func aChunkIsNotAStragglerBeforeItsTime() throws {
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1], policy: Self.stragglerPolicy())
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[1].id, now: 10)
        #expect(scheduler.assign(now: 19.9).isEmpty)
        #expect(scheduler.nextWakeUp(after: 10) == 20)
        #expect(scheduler.assign(now: 20).map(\.speculative) == [true])
    }

    @Test func withCopyBeforePendingOffAStragglerIsCopiedOnlyOnceNothingIsPending() throws {
        var (scheduler, original) = Self.straggling(Self.stragglerPolicy(copyBeforePending: false))
        // At 30 s chunk 0 has run three times its expected 10 s and two workers are idle, but
        // chunk 2 is still pending (in its backoff): no copy yet.
        #expect(scheduler.assign(now: 30).isEmpty)
        let due = try #require(scheduler.nextWakeUp(after: 30))
        #expect(due > 60)
        let started = scheduler.assign(now: due)
        #expect(started.count == 2)
        #expect(started[0].chunk == 2 && !started[0].speculative)
        #expect(started[1].chunk == 0 && started[1].speculative)
        #expect(started[1].worker != original.worker)
    }

    @Test func byDefaultAStragglerIsCopiedBeforePendingChunks() throws {
        #expect(Policy().copyBeforePending)
        var (scheduler, original) = Self.straggling()
        // Chunk 2 waits out its backoff; chunk 0 is late at 20 s and copied at once.
        #expect(scheduler.nextWakeUp(after: 11) == 20)
        let copy = try #require(scheduler.assign(now: 20).first)
        #expect(copy.chunk == 0 && copy.speculative && copy.worker != original.worker)

        // One worker frees while chunk 0 is late and chunk 4 is due: the copy goes first.
        var busy = ChunkScheduler(frames: [10, 10, 20, 10, 10], slots: [1, 1, 1], policy: Self.stragglerPolicy())
        let first = busy.assign(now: 0)  // chunks 0, 1 and 2 run; 3 and 4 wait
        _ = busy.succeeded(first[1].id, now: 10)
        #expect(busy.assign(now: 10).map(\.chunk) == [3])  // chunk 0 is not late before 20 s
        _ = busy.succeeded(first[2].id, now: 21)  // 1.05 s a frame: chunk 0 is late from 21 s
        let next = busy.assign(now: 22)
        #expect(next.map(\.chunk) == [0])
        #expect(next.map(\.speculative) == [true])
    }

    @Test func nothingWakesTheSchedulerWhileNoSlotIsFree() throws {
        var scheduler = ChunkScheduler(frames: [10, 10, 10], slots: [1, 1], policy: Self.stragglerPolicy())
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[1].id, now: 10)
        _ = scheduler.assign(now: 10)  // chunk 2 takes the free worker
        // Chunk 0 turns late at 20 s, but a copy needs a free slot, and only an attempt
        // ending frees one.
        #expect(scheduler.nextWakeUp(after: 10) == nil)
    }

    @Test func theFactorDropsOnceNothingIsPending() throws {
        var policy = Self.stragglerPolicy()
        policy.idleStragglerFactor = 0.5
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1], policy: policy)
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[1].id, now: 10)
        // Nothing pending and a worker idle: chunk 0 is late at half its expected 10 s (5 s),
        // not at twice it (20 s).
        #expect(scheduler.assign(now: 10).map(\.speculative) == [true])
    }

    @Test func aCopyThatStragglesGetsAnotherUpToTheLimit() throws {
        var policy = Self.stragglerPolicy()
        policy.maxCopies = 2
        var scheduler = ChunkScheduler(frames: [10, 10], slots: [1, 1, 1, 1], policy: policy)
        let attempts = scheduler.assign(now: 0)
        _ = scheduler.succeeded(attempts[1].id, now: 10)
        let copy = try #require(scheduler.assign(now: 20).first)
        #expect(copy.speculative)
        // The original and the first copy both late: a second copy, on a fourth worker.
        #expect(scheduler.assign(now: 39).isEmpty)
        let second = try #require(scheduler.assign(now: 40).first)
        #expect(second.speculative && second.chunk == 0)
        #expect(Set([attempts[0].worker, copy.worker, second.worker]).count == 3)
        // Two copies is the limit.
        #expect(scheduler.assign(now: 1000).isEmpty)
        #expect(scheduler.nextWakeUp(after: 40) == nil)
    }

    @Test func theCopyWinningCancelsTheOriginal() throws {
        var (scheduler, original) = Self.straggling()
        let copy = try #require(scheduler.assign(now: 20).first)
        let cancelled = scheduler.succeeded(copy.id, now: 30)
        #expect(cancelled.map(\.id) == [original.id])
        #expect(scheduler.done[0])
        #expect(scheduler.running[original.id] == nil)
        // A late answer from the original changes nothing.
        #expect(scheduler.succeeded(original.id, now: 31).isEmpty)
        #expect(scheduler.chunksDone == 2)
        // Its worker is free at once: chunk 2's retry, due after its backoff, goes there (the
        // worker that failed chunk 2 is avoided, and the others are taken in order).
        let due = try #require(scheduler.nextWakeUp(after: 31))
        let retry = try #require(scheduler.assign(now: due).first)
        #expect(retry.chunk == 2)
        #expect(retry.worker == original.worker)
    }

    @Test func theOriginalWinningCancelsTheCopy() throws {
        var (scheduler, original) = Self.straggling()
        let copy = try #require(scheduler.assign(now: 20).first { $0.speculative })
        #expect(scheduler.succeeded(original.id, now: 25).map(\.id) == [copy.id])
        #expect(scheduler.running[copy.id] == nil)
    }
}
