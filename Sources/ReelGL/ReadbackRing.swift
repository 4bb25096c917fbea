import CEGL
import Foundation
import ReelCore
import Synchronization

/// What a frame is read back as.
public enum ReadbackLayout: Sendable, Hashable {
    /// Premultiplied RGBA, rows top to bottom (PNG, and encoders that take RGB).
    case rgba
    /// BT.709 limited-range YUV 4:2:0 in NV12 layout, converted on the GPU (video); with
    /// `rgba`, also the RGBA frame it was converted from (the checksums of remote dispatch).
    case yuv420(rgba: Bool)
}

/// Reads frames back asynchronously through a ring of pixel-pack buffers, so the GL thread
/// never stalls on `glReadPixels`.
///
/// A frame's read is queued into a free buffer behind its drawing (`GL_PIXEL_PACK_BUFFER`),
/// with a fence after it; the GL thread goes on to the next frame while the GPU (or
/// llvmpipe's rasterizer threads) finishes this one and copies it out. `collect` waits for
/// the fence of an older read, maps its buffer and lends it as a `ReadbackFrame` to any
/// thread, which reads the pixels in place (an encoder, a PNG writer) and releases it; the
/// buffer is unmapped and reused once the GL thread next needs one. The ring is `depth`
/// buffers: reads in flight plus frames lent out, so it is also the pipeline's bound on
/// frames held between drawing and encoding.
///
/// Made and used on the GL thread; `ReadbackFrame`s may be read and released anywhere.
public final class ReadbackRing {
    public let layout: ReadbackLayout
    public let depth: Int
    private let context: GLContext
    private var slots: [Slot] = []
    /// Slots whose reads were started, oldest first.
    private var reading: [Int] = []
    /// Slots lent out and not yet returned, and those returned but still mapped.
    private let lent = LentSlots()

    private struct Slot {
        var buffer: GLBuffer?
        var bytes = 0
        var fence: GLsync?
        var frame = 0
        var mapped = false
        /// The size of the frame read into it.
        var width = 0
        var height = 0
    }

    /// - Parameter depth: buffers in the ring, at least 2 (one being read while another is
    ///   lent out).
    public init(context: GLContext, layout: ReadbackLayout, depth: Int) {
        context.assertOnThread()
        self.context = context
        self.layout = layout
        self.depth = max(2, depth)
        slots = Array(repeating: Slot(), count: self.depth)
    }

    /// Frames whose reads were started and not yet collected.
    public var inFlight: Int { reading.count }

    // MARK: - Reading

    /// Where each part of a frame lies in a slot's buffer.
    struct Regions {
        var rgba: Int?
        var luma: Int?
        var chroma: Int?
        var stride: Int
        var bytes: Int
    }

    func regions(width: Int, height: Int) -> Regions {
        switch layout {
        case .rgba:
            return Regions(rgba: 0, stride: width * 4, bytes: width * height * 4)
        case let .yuv420(withRGBA):
            // Luma rows are padded to whole RGBA texels of the converter's targets.
            let stride = max((width + 3) / 4, 1) * 4
            let rgbaBytes = withRGBA ? width * height * 4 : 0
            return Regions(rgba: withRGBA ? 0 : nil, luma: rgbaBytes, chroma: rgbaBytes + stride * height, stride: stride,
                           bytes: rgbaBytes + stride * height + stride * (height / 2))
        }
    }

    /// A free slot's buffer, sized for a `width` × `height` frame, waiting for a lent frame
    /// to come back when every slot is busy. The caller binds it to `GL_PIXEL_PACK_BUFFER`,
    /// queues reads into it and calls `submit`; a slot never submitted stays free.
    func acquire(width: Int, height: Int) throws -> (index: Int, buffer: GLBuffer, regions: Regions) {
        context.assertOnThread()
        let regions = regions(width: width, height: height)
        while true {
            unmapReturned()
            if let free = slots.indices.first(where: { !reading.contains($0) && !lent.holds($0) }) {
                var slot = slots[free]
                if slot.buffer == nil || slot.bytes != regions.bytes {
                    slot.buffer?.release()
                    let buffer = try context.makeBuffer(label: "reel.readback.\(free)", target: GLenum(GL_PIXEL_PACK_BUFFER))
                    glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer.name)
                    glBufferData(GLenum(GL_PIXEL_PACK_BUFFER), GLsizeiptr(regions.bytes), nil, GLenum(GL_STREAM_READ))
                    glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
                    try context.checkError("sizing a \(regions.bytes)-byte readback buffer")
                    slot.buffer = buffer
                    slot.bytes = regions.bytes
                    slots[free] = slot
                }
                guard let buffer = slot.buffer else { continue }
                (slots[free].width, slots[free].height) = (width, height)
                return (free, buffer, regions)
            }
            // Every slot is being read or is lent. Reads the caller left in flight would never
            // come back by themselves: it must collect them (the pipeline keeps at most one).
            precondition(lent.count > 0, "ReadbackRing: every slot is in flight; collect before acquiring")
            lent.waitForReturn()
        }
    }

    /// Fences the reads queued into slot `index` (from `acquire`) for frame `frame`.
    func submit(_ index: Int, frame: Int) throws {
        guard let fence = glFenceSync(GLenum(GL_SYNC_GPU_COMMANDS_COMPLETE), 0) else {
            try context.checkError("fencing the readback of frame \(frame)")
            throw ReelError(.glError, "glFenceSync failed for the readback of frame \(frame)", context: "glFenceSync")
        }
        slots[index].fence = fence
        slots[index].frame = frame
        reading.append(index)
        // Start the GPU on what is queued: a fence is only reached once it is submitted.
        glFlush()
    }

    /// Lends out the oldest read once it has finished, while more than `keepingInFlight`
    /// reads are in flight: waits for its fence, maps its buffer and returns it. Nil when no
    /// more than `keepingInFlight` reads are in flight.
    /// - Throws: `E-GL-ERROR` when the wait or the mapping fails, `E-GL-CONTEXT-LOST`.
    public func collect(keepingInFlight: Int) throws -> ReadbackFrame? {
        context.assertOnThread()
        guard reading.count > keepingInFlight, let index = reading.first else { return nil }
        reading.removeFirst()
        var slot = slots[index]
        if let fence = slot.fence {
            defer { glDeleteSync(fence) }
            slot.fence = nil
            slots[index].fence = nil
            var waited = 0
            wait: while true {
                // One second a try, so a lost context is noticed rather than waited on for ever.
                switch Int32(glClientWaitSync(fence, GLbitfield(GL_SYNC_FLUSH_COMMANDS_BIT), 1_000_000_000)) {
                case GL_ALREADY_SIGNALED, GL_CONDITION_SATISFIED: break wait
                case GL_TIMEOUT_EXPIRED:
                    waited += 1
                    try context.checkAlive(frame: slot.frame)
                    if waited >= 120 { throw ReelError(.glError, "reading back frame \(slot.frame) took over two minutes", context: "glClientWaitSync") }
                default:
                    try context.checkError("waiting for the readback of frame \(slot.frame)")
                    throw ReelError(.glError, "waiting for the readback of frame \(slot.frame) failed", context: "glClientWaitSync")
                }
            }
        }
        guard let buffer = slot.buffer else { throw ReelError(.glError, "readback slot \(index) has no buffer") }
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer.name)
        let mapped = glMapBufferRange(GLenum(GL_PIXEL_PACK_BUFFER), 0, GLsizeiptr(slot.bytes), GLbitfield(GL_MAP_READ_BIT))
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
        guard let mapped else {
            try context.checkError("mapping the readback of frame \(slot.frame)")
            throw ReelError(.glError, "mapping the readback of frame \(slot.frame) failed", context: "glMapBufferRange")
        }
        slots[index].mapped = true
        let (width, height) = (slot.width, slot.height)
        let regions = regions(width: width, height: height)
        let base = UnsafeRawPointer(mapped)
        func part(_ offset: Int?, _ count: Int) -> UnsafeRawBufferPointer? {
            offset.map { UnsafeRawBufferPointer(start: base + $0, count: count) }
        }
        lent.lend(index)
        return ReadbackFrame(frame: slot.frame, width: width, height: height,
                             rgba: part(regions.rgba, width * height * 4),
                             luma: part(regions.luma, regions.stride * height),
                             chroma: part(regions.chroma, regions.stride * (height / 2)),
                             stride: regions.stride, slot: index, lender: lent)
    }

    /// Unmaps the buffers of frames that were released.
    private func unmapReturned() {
        for index in lent.takeReturned() {
            guard slots[index].mapped, let buffer = slots[index].buffer else { continue }
            glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer.name)
            glUnmapBuffer(GLenum(GL_PIXEL_PACK_BUFFER))
            glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
            slots[index].mapped = false
        }
    }

    /// Waits until every lent frame is released, then deletes the buffers and fences. Reads
    /// still in flight are dropped. Idempotent. A frame must be released by another thread
    /// (or before this call), or this waits for ever: the pipeline ends its readers first.
    public func release() {
        context.assertOnThread()
        while lent.count > 0 { lent.waitForReturn() }
        unmapReturned()
        for index in slots.indices {
            if let fence = slots[index].fence { glDeleteSync(fence) }
            slots[index].buffer?.release()
            slots[index] = Slot()
        }
        reading.removeAll()
    }
}

/// The slots of a ring that are lent to readers, shared with them across threads.
final class LentSlots: @unchecked Sendable {
    private let condition = NSCondition()
    private var out: Set<Int> = []
    private var returned: [Int] = []

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return out.count
    }

    func holds(_ index: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return out.contains(index) || returned.contains(index)
    }

    func lend(_ index: Int) {
        condition.lock()
        out.insert(index)
        condition.unlock()
    }

    /// Called by a reader on any thread.
    func giveBack(_ index: Int) {
        condition.lock()
        if out.remove(index) != nil { returned.append(index) }
        condition.broadcast()
        condition.unlock()
    }

    func takeReturned() -> [Int] {
        condition.lock()
        defer { condition.unlock() }
        let taken = returned
        returned.removeAll()
        return taken
    }

    func waitForReturn() {
        condition.lock()
        if returned.isEmpty && !out.isEmpty { condition.wait() }
        condition.unlock()
    }
}

/// A frame read back into mapped pixel-pack memory, lent to one reader on any thread until
/// `release()`. The pointers are valid only until then.
public final class ReadbackFrame: @unchecked Sendable {
    /// The scene frame it shows.
    public let frame: Int
    public let width: Int
    public let height: Int
    /// Premultiplied RGBA, rows top to bottom, `width * height * 4` bytes; nil when the
    /// layout reads none.
    public let rgba: UnsafeRawBufferPointer?
    /// NV12 luma, `stride * height` bytes; nil unless the layout is YUV.
    public let luma: UnsafeRawBufferPointer?
    /// NV12 chroma (U V pairs), `stride * height / 2` bytes; nil unless the layout is YUV.
    public let chroma: UnsafeRawBufferPointer?
    /// Bytes from one row of `luma` or `chroma` to the next (the width, padded to 4).
    public let stride: Int
    private let slot: Int
    private let lender: LentSlots
    private let released = Atomic<Bool>(false)

    init(frame: Int, width: Int, height: Int, rgba: UnsafeRawBufferPointer?, luma: UnsafeRawBufferPointer?,
         chroma: UnsafeRawBufferPointer?, stride: Int, slot: Int, lender: LentSlots) {
        (self.frame, self.width, self.height, self.stride) = (frame, width, height, stride)
        (self.rgba, self.luma, self.chroma) = (rgba, luma, chroma)
        (self.slot, self.lender) = (slot, lender)
    }

    /// Hands the memory back to the ring. Idempotent; read nothing from the frame after.
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        lender.giveBack(slot)
    }

    /// The RGBA pixels copied into an image, for consumers that keep them.
    public func rgbaImage() -> RGBAImage? {
        rgba.map { RGBAImage(width: width, height: height, pixels: [UInt8]($0), isPremultiplied: true) }
    }

    deinit { release() }
}
