import CEGL
import Synchronization

/// The kinds of GL object Reel owns, for deletion and for counting live objects.
public enum GLObjectKind: String, Sendable, CaseIterable, Codable {
    case buffer, texture, renderbuffer, framebuffer, vertexArray, program, shader
}

/// GL names whose Swift owners died off the GL thread, waiting to be deleted on it.
///
/// A `deinit` may run on any thread, where the context is not current and a GL call would
/// be undefined behaviour; so it only queues the name, and the GL thread deletes queued
/// names before each job (`GLContext.collectGarbage`).
final class GLReleaseQueue: Sendable {
    private let pending = Mutex<[(GLObjectKind, GLuint)]>([])

    func enqueue(_ kind: GLObjectKind, _ name: GLuint) {
        pending.withLock { $0.append((kind, name)) }
    }

    func drain() -> [(GLObjectKind, GLuint)] {
        pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}
