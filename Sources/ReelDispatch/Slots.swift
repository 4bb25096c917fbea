import Synchronization

/// A counted capacity taken without waiting: renders at once, uploads at once, bytes of
/// requests held at once. A worker answers 429 when a take fails rather than queueing, so a
/// flood costs it nothing but the answer.
final class Slots: Sendable {
    /// The capacity.
    let limit: Int
    private let used = Atomic<Int>(0)

    init(_ limit: Int) {
        self.limit = limit
    }

    /// Takes `amount` (at most `limit`) when that much is free.
    /// - Returns: false, taking nothing, when it is not.
    func take(_ amount: Int = 1) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            guard amount <= limit - current else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + amount, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func give(_ amount: Int = 1) {
        used.subtract(amount, ordering: .relaxed)
    }

    /// Taken now.
    var inUse: Int { used.load(ordering: .relaxed) }
}

/// An amount taken from `Slots`, given back once: by `release()`, or when the value goes.
final class SlotLease: Sendable {
    private let slots: Slots
    private let amount: Int
    private let held = Atomic<Bool>(true)

    /// Takes `amount` from `slots`; nil when it is not free.
    init?(_ slots: Slots, amount: Int = 1) {
        guard slots.take(amount) else { return nil }
        (self.slots, self.amount) = (slots, amount)
    }

    /// Gives the amount back. Idempotent.
    func release() {
        if held.exchange(false, ordering: .relaxed) { slots.give(amount) }
    }

    deinit { release() }
}
