import CEGL
import ReelCore
import Synchronization

/// A headless OpenGL ES 3 context on its own thread: the entry point to `ReelGL`.
///
/// ```swift
/// let gl = try HeadlessGL.open()
/// defer { gl.close() }
/// let pixels = try gl.sync { context in … }   // runs on the GL thread
/// ```
/// No window, no X server: the context renders into framebuffer objects on an EGL device
/// or Mesa's surfaceless platform (see `GLDeviceChoice`).
public final class HeadlessGL: @unchecked Sendable {
    /// What the context turned out to be.
    public let info: GLInfo
    private let thread: GLThread
    // Touched only on `thread`.
    private let context: GLContext
    private let closed = Mutex(false)

    /// Starts a GL thread and makes a context current on it.
    /// - Parameters:
    ///   - device: which EGL display to use; the default reads `REEL_EGL_DEVICE`.
    ///   - faults: faults to inject, for tests (see `GLFaults`); the default is none.
    /// - Throws: `E-GL-DEVICE-OVERRIDE`, `E-GL-NO-DISPLAY` or `E-GL-NO-CONTEXT` with the
    ///   displays tried and why each failed.
    public static func open(device: GLDeviceChoice? = nil, label: String = "reel.gl", faults: GLFaults = .none) throws -> HeadlessGL {
        let choice = try device ?? GLDeviceChoice.fromEnvironment()
        let thread = GLThread(name: label)
        do {
            let context = try thread.sync { try GLContext(thread: thread, choice: choice, faults: faults) }
            return HeadlessGL(thread: thread, context: context)
        } catch {
            thread.stop()
            throw error
        }
    }

    private init(thread: GLThread, context: GLContext) {
        self.thread = thread
        self.context = context
        self.info = context.info
        self.census = context.census
    }

    /// Live GL objects by kind, readable from any thread while the GL thread renders.
    public let census: GLObjectCensus

    /// Runs `body` on the GL thread with the context current, and waits for it. Objects
    /// released by `deinit` since the last job are deleted first.
    public func sync<T>(_ body: (GLContext) throws -> T) throws -> T {
        try thread.sync {
            precondition(!context.isClosed, "HeadlessGL used after close()")
            context.collectGarbage()
            return try body(context)
        }
    }

    /// Runs `body` on the GL thread without blocking the caller's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (GLContext) throws -> T) async throws -> T {
        try await thread.run { [self] in
            precondition(!self.context.isClosed, "HeadlessGL used after close()")
            self.context.collectGarbage()
            return try body(self.context)
        }
    }

    /// Destroys the context and ends the thread. Idempotent.
    public func close() {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        try? thread.sync { context.close() }
        thread.stop()
    }

    deinit { close() }
}
