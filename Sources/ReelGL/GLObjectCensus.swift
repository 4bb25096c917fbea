import Synchronization

/// How many GL objects of each kind a context has made and not yet deleted, readable from
/// any thread.
///
/// The context updates it on the GL thread as objects are made and deleted; a monitor (the
/// soak test, a worker's health) reads it from elsewhere without waiting for the GL thread,
/// which may be busy with a render for minutes.
public final class GLObjectCensus: Sendable {
    private let counts = Mutex<[GLObjectKind: Int]>([:])

    init() {}

    func add(_ kind: GLObjectKind, _ delta: Int) {
        counts.withLock { $0[kind, default: 0] += delta }
    }

    /// Live objects by kind; kinds with none are left out.
    public var snapshot: [GLObjectKind: Int] {
        counts.withLock { $0.filter { $0.value != 0 } }
    }

    /// Live objects of every kind together.
    public var total: Int {
        counts.withLock { $0.values.reduce(0, +) }
    }
}
