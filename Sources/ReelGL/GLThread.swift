import Foundation

/// One OS thread that owns a GL context for its whole life and runs jobs on it in order.
///
/// GL contexts are bound to threads, and Swift concurrency hops threads freely, so every GL
/// call in Reel goes through a `GLThread` rather than the cooperative pool.
final class GLThread: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private var finished = false
    private var threadID: pthread_t?

    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
        condition.lock()
        while threadID == nil { condition.wait() }
        condition.unlock()
    }

    /// True when called on this thread; GL entry points assert it.
    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    /// Runs `body` on the thread and waits for it. Called on the thread itself, it runs
    /// inline (so a job may call `sync` without deadlocking).
    func sync<T>(_ body: () throws -> T) throws -> T {
        if isCurrent { return try body() }
        return try withoutActuallyEscaping(body) { body in
            // The job must drop `body` before the caller wakes: withoutActuallyEscaping traps
            // if the closure is still referenced when this block returns.
            let job = SyncJob(body)
            enqueue { job.finish(job.runOnce()) }
            return try job.wait().get()
        }
    }

    /// Runs `body` on the thread without blocking the caller's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Finishes queued jobs, then ends the thread. Idempotent; returns at once when called
    /// from the thread itself.
    func stop() {
        let current = isCurrent
        condition.lock()
        stopping = true
        condition.broadcast()
        if !current {
            while !finished { condition.wait() }
        }
        condition.unlock()
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        precondition(!stopping, "a job was sent to a GL thread that has stopped")
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        threadID = pthread_self()
        condition.broadcast()
        while true {
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping { break }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

/// One `sync` call: runs its body once on the GL thread, forgets it, and hands the result
/// back to the waiting caller.
private final class SyncJob<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var body: (() throws -> T)?
    private var result: Result<T, any Error>?

    init(_ body: @escaping () throws -> T) { self.body = body }

    func runOnce() -> Result<T, any Error> {
        guard let body else { preconditionFailure("a GL job ran twice") }
        self.body = nil
        return Result { try body() }
    }

    func finish(_ result: Result<T, any Error>) {
        condition.lock()
        self.result = result
        condition.signal()
        condition.unlock()
    }

    func wait() -> Result<T, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }
}
