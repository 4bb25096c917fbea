import Foundation

/// One OS thread that owns a GL context for its whole life and runs jobs on it in order.
///
/// GL contexts are bound to threads, and Swift concurrency hops threads freely, so every GL
/// call in Reel goes through a `GLThread` rather than the cooperative pool. A raw pthread
/// rather than Foundation's `Thread`, so that `stop()` can join it: the EGL libraries keep
/// per-thread state whose destructors run as the thread exits, and a process that exits
/// while they run can abort.
final class GLThread: @unchecked Sendable {
    private let queue = JobQueue()
    // Guarded by `queue.condition`.
    private var handle: pthread_t?

    /// The label given at start, for messages.
    let name: String

    /// Starts the thread.
    init(name: String) {
        self.name = name
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        defer { pthread_attr_destroy(&attributes) }
        let context = Unmanaged.passRetained(queue).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<JobQueue>.fromOpaque(raw).takeRetainedValue().loop()
            return nil
        }, context)
        // Only resource exhaustion makes pthread_create fail; nothing sensible can go on.
        precondition(status == 0, "could not start GL thread '\(name)' (pthread_create returned \(status))")
        handle = thread
        queue.waitUntilRunning()
    }

    /// True when called on this thread; GL entry points assert it.
    var isCurrent: Bool { queue.isCurrentThread }

    /// Runs `body` on the thread and waits for it. Called on the thread itself, it runs
    /// inline (so a job may call `sync` without deadlocking).
    func sync<T>(_ body: () throws -> T) throws -> T {
        if isCurrent { return try body() }
        return try withoutActuallyEscaping(body) { body in
            // The job must drop `body` before the caller wakes: withoutActuallyEscaping traps
            // if the closure is still referenced when this block returns.
            let job = SyncJob(body)
            queue.enqueue { job.finish(job.runOnce()) }
            return try job.wait().get()
        }
    }

    /// Runs `body` on the thread without blocking the caller's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Finishes queued jobs, ends the thread and waits until it has fully exited. Idempotent.
    /// Called from the thread itself it cannot wait, so it detaches the thread instead.
    func stop() {
        queue.requestStop()
        let current = isCurrent
        let thread: pthread_t? = queue.withLock {
            defer { handle = nil }
            return handle
        }
        guard let thread else { return }
        if current {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}

/// The jobs waiting for a `GLThread`, and the loop that runs them.
private final class JobQueue: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private var threadID: pthread_t?

    func withLock<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    var isCurrentThread: Bool {
        withLock { threadID.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    func waitUntilRunning() {
        condition.lock()
        while threadID == nil { condition.wait() }
        condition.unlock()
    }

    func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!stopping, "a job was sent to a GL thread that has stopped")
        jobs.append(job)
        condition.signal()
    }

    func requestStop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    func loop() {
        condition.lock()
        threadID = pthread_self()
        condition.broadcast()
        while true {
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty { break }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
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
