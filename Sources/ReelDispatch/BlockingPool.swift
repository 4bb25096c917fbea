import Foundation
import Synchronization

/// A few long-lived threads for work that blocks (parsing a 16 MiB request, fsync, spawning a
/// process), so it never runs on Swift's cooperative pool: that pool has one thread per core
/// (two on a small box), and every route, health included, waits while they are blocked.
///
/// The threads run at a lower priority than the rest of the process, so the event loops and
/// the cooperative pool keep answering while they work. Jobs queue without bound here; the
/// callers bound them (the worker reserves a request's bytes before it queues its parse).
final class BlockingPool: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)
    let threads: Int

    /// Starts `threads` threads named `label`, each at `niceness` (0 leaves the priority as is).
    init(threads: Int, label: String, niceness: Int32 = 10) {
        self.threads = max(1, threads)
        for i in 0..<self.threads {
            let thread = Thread { [self] in
                // On Linux a thread has its own nice value; lowering it leaves the others alone.
                if niceness != 0, let tid = Self.threadID() { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), niceness) }
                loop()
            }
            thread.name = "\(label).\(i)"
            thread.start()
        }
    }

    private func loop() {
        while true {
            ready.wait()
            let (job, stopped): ((@Sendable () -> Void)?, Bool) = state.withLock { s in
                (s.jobs.isEmpty ? nil : s.jobs.removeFirst(), s.stopped)
            }
            if let job {
                job()
            } else if stopped {
                return
            }
        }
    }

    /// The calling thread's kernel id (glibc's `gettid`, a GNU extension Swift's Glibc module
    /// does not declare).
    private static func threadID() -> pid_t? {
        guard let symbol = dlsym(nil, "gettid") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) () -> pid_t).self)()
    }

    /// Runs `body` on one of the pool's threads and waits for it without blocking the caller's.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { $0.jobs.append { continuation.resume(with: Result { try body() }) } }
            ready.signal()
        }
    }

    /// Ends the threads once the jobs queued are done. Idempotent.
    func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<threads { ready.signal() }
    }
}
