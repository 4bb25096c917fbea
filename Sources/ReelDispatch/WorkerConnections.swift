import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

// What a worker does below its routes to keep connections from holding it: a cap on how many
// are open, with the longest-idle one closed to make room for a new one; a minimum rate for
// request bodies; a deadline on responses the client stops reading; and, for renders, word
// of a client that went away. Hummingbird's idle timeout (the worker's `headerTimeout`) does
// the rest: a connection that has not sent a complete request head within that long of
// opening, or of its previous answer, is closed, however many bytes of a head it trickled.

/// Every open connection of a worker: what each is doing, so the worker can keep their number
/// under its cap and tell a render whether its client is still there.
final class ConnectionLedger: Sendable {
    /// The worker's connection limits.
    struct Limits: Sendable {
        /// Connections open at once. When one more opens, the one that has waited longest for
        /// a request head (idle, or a head arriving too slowly) is closed; a connection with a
        /// request in progress is never closed for room.
        var maxConnections: Int
        /// A request body must bring at least `minBodyBytesPerSecond × bodyWindow` bytes in
        /// every window of this many seconds.
        var bodyWindow: Double
        var minBodyBytesPerSecond: Int
        /// Seconds after which a response the client has stopped reading is abandoned.
        var sendTimeout: Double
    }

    let limits: Limits
    private struct Entry {
        let channel: any Channel
        /// Since when it has waited for a request head; nil while a request is in progress.
        var idleSince: ContinuousClock.Instant?
        /// Bytes of a head have arrived since then (a head is on its way, or trickling).
        var heard = false
        /// Requests read and not yet answered (more than one when a client pipelines).
        var inFlight = 0
        /// The client closed its side of the connection.
        var inputClosed = false
    }
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    private let closedForRoom = Atomic<Int>(0)
    private let retryPending = Atomic<Bool>(false)

    init(limits: Limits) {
        self.limits = limits
    }

    /// Connections open now.
    var count: Int { entries.withLock { $0.count } }
    /// Connections closed so far to make room for newer ones.
    var evictions: Int { closedForRoom.load(ordering: .relaxed) }

    /// How long a connection whose head has begun to arrive is left alone before it can be
    /// closed for room: a client's head is often in flight when its connection is accepted.
    static let grace = Duration.milliseconds(100)

    func opened(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: .now) }
        makeRoom(on: channel.eventLoop)
    }

    /// At the cap, closes one connection waiting for a head: a silent one first, the one
    /// silent longest, and only then one whose head is trickling in (after `grace`). Accepting
    /// never waits for room while a silent connection can give it, so a flood of idle
    /// connections does not fill the kernel's backlog in front of real requests.
    private func makeRoom(on eventLoop: any EventLoop) {
        let now = ContinuousClock.now
        let (victim, retry): ((any Channel)?, Bool) = entries.withLock { entries in
            guard entries.count >= limits.maxConnections else { return (nil, false) }
            var best: (id: ObjectIdentifier, heard: Bool, since: ContinuousClock.Instant)?
            for (key, entry) in entries {
                guard let since = entry.idleSince else { continue }
                if let current = best, (entry.heard ? 1 : 0, since) >= (current.heard ? 1 : 0, current.since) { continue }
                best = (key, entry.heard, since)
            }
            guard let best else { return (nil, false) }  // every one has a request in progress
            guard !best.heard || now - best.since >= Self.grace else { return (nil, true) }
            // Forgotten now, so that the next new connection does not pick it again before it closes.
            return (entries.removeValue(forKey: best.id)?.channel, false)
        }
        if let victim {
            closedForRoom.add(1, ordering: .relaxed)
            victim.close(promise: nil)  // outside the lock: on its own event loop this runs at once
        } else if retry, !retryPending.exchange(true, ordering: .relaxed) {
            eventLoop.scheduleTask(in: TimeAmount(seconds: 0.05)) { [self] in
                retryPending.store(false, ordering: .relaxed)
                makeRoom(on: eventLoop)
            }
        }
    }

    /// Bytes arrived on `channel`.
    func heard(_ channel: any Channel) {
        entries.withLock { entries in
            let id = ObjectIdentifier(channel)
            if entries[id]?.idleSince != nil { entries[id]?.heard = true }
        }
    }

    func closed(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func requestStarted(_ channel: any Channel) {
        entries.withLock { entries in
            let id = ObjectIdentifier(channel)
            entries[id]?.idleSince = nil
            entries[id]?.inFlight += 1
        }
    }

    func requestAnswered(_ channel: any Channel) {
        entries.withLock { entries in
            let id = ObjectIdentifier(channel)
            guard var entry = entries[id] else { return }
            entry.inFlight = max(0, entry.inFlight - 1)
            if entry.inFlight == 0 {
                entry.idleSince = .now
                entry.heard = false
            }
            entries[id] = entry
        }
    }

    func inputClosed(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.inputClosed = true }
    }

    /// Whether the client of `channel` has gone: the connection is closed, or the client
    /// closed its side. An HTTP/1.1 client waiting for an answer does not close its side, so
    /// either way no one will read what a render would send.
    func clientGone(_ channel: any Channel) -> Bool {
        guard channel.isActive else { return true }
        return entries.withLock { $0[ObjectIdentifier(channel)]?.inputClosed ?? true }
    }
}

/// Hummingbird's accept gate: stops accepting at the cap, until a connection closes. With the
/// ledger closing idle connections to make room, the gate holds only when every connection
/// has a request in progress, and then new ones wait in the kernel's backlog instead of
/// taking descriptors.
struct ConnectionCap: AvailableConnectionsDelegate {
    let ledger: ConnectionLedger
    private var open = 0

    init(ledger: ConnectionLedger) { self.ledger = ledger }

    mutating func connectionOpened() { open += 1 }
    mutating func connectionClosed() { open -= 1 }
    func isAcceptingNewConnections() -> Bool { open < ledger.limits.maxConnections }
}

/// One per connection, after the HTTP decoder: keeps the ledger up to date and enforces the
/// body rate, the send timeout and `Connection: close` on the worker's refusals.
final class WorkerConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let ledger: ConnectionLedger
    private var registered = false
    /// The current request's end has been read (or there is no current request).
    private var requestRead = true
    private var bodyBytes = 0
    private var bodyCheck: Scheduled<Void>?
    private var closeAfterAnswer = false
    /// The answer is sent and our side closed; the rest of the request is read and dropped
    /// for a moment, so the client reads the answer instead of a reset.
    private var lingering = false
    private var lingerEnd: Scheduled<Void>?
    private var stalled: Scheduled<Void>?

    /// How long a refused request's remaining body is read and dropped after the answer.
    static let linger = TimeAmount.seconds(2)

    init(ledger: ConnectionLedger) {
        self.ledger = ledger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Before the HTTP decoder, where bytes of a head that is not complete can be seen.
        try? context.pipeline.syncOperations.addHandler(ArrivalHandler(ledger: ledger), position: .first)
        if context.channel.isActive { register(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        if registered { ledger.closed(context.channel) }
    }

    func channelActive(context: ChannelHandlerContext) {
        register(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        ledger.closed(context.channel)
        context.fireChannelInactive()
    }

    private func register(_ context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        ledger.opened(context.channel)
    }

    private func stopTimers() {
        bodyCheck?.cancel()
        bodyCheck = nil
        lingerEnd?.cancel()
        lingerEnd = nil
        stalled?.cancel()
        stalled = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            ledger.requestStarted(context.channel)
            requestRead = false
            watchBody(context)
        case let .body(buffer):
            bodyBytes += buffer.readableBytes
        case .end:
            requestRead = true
            bodyCheck?.cancel()
            bodyCheck = nil
            if lingering {
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
    }

    /// Closes the connection when a window passes with less of the body than the minimum rate
    /// brings: a body sent a byte a second holds a connection (and an upload slot) no longer
    /// than one window.
    private func watchBody(_ context: ChannelHandlerContext) {
        bodyBytes = 0
        bodyCheck?.cancel()
        let window = ledger.limits.bodyWindow
        let minimum = Double(ledger.limits.minBodyBytesPerSecond) * window
        bodyCheck = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(seconds: window)) { [self] in
            bodyCheck = nil
            guard !requestRead else { return }
            if Double(bodyBytes) < minimum {
                context.close(promise: nil)
            } else {
                watchBody(context)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(response):
            closeAfterAnswer = response.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            ledger.requestAnswered(context.channel)
            guard closeAfterAnswer else {
                context.write(data, promise: promise)
                return
            }
            closeAfterAnswer = false
            let written = context.writeAndFlush(data)
            written.cascade(to: promise)
            written.assumeIsolated().whenComplete { [self] _ in
                if requestRead {
                    context.close(promise: nil)
                } else {
                    lingering = true
                    context.close(mode: .output, promise: nil)
                    lingerEnd = context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) { context.close(promise: nil) }
                }
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stalled?.cancel()
            stalled = nil
        } else if stalled == nil {
            stalled = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(seconds: ledger.limits.sendTimeout)) {
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            ledger.inputClosed(context.channel)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// First in a connection's pipeline: tells the ledger when bytes arrive, so that a connection
/// whose head is on its way is not taken for a silent one.
final class ArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let ledger: ConnectionLedger

    init(ledger: ConnectionLedger) {
        self.ledger = ledger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        ledger.heard(context.channel)
        context.fireChannelRead(data)
    }
}

/// The request context of the worker's routes: Hummingbird's, plus the connection, so a
/// render can tell when its client has gone.
struct WorkerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}

extension TimeAmount {
    /// `seconds`, to the millisecond.
    init(seconds: Double) {
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
