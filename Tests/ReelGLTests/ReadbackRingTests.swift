import CEGL
import Foundation
import ReelTestSupport
import Testing
import ReelCore
@testable import ReelGL

/// The asynchronous readback (pixel-pack buffers, fences, mapped memory) must hand over
/// exactly the bytes the synchronous `glReadPixels` path reads, for every layout, and give
/// every buffer back.
@Suite("Readback through the ring of pixel-pack buffers")
struct ReadbackRingTests {
    /// A few frames of moving, half-transparent shapes on an odd-width canvas (its YUV rows
    /// are padded), so frames differ and the layouts' strides are exercised.
    static func states(count: Int, width: Int = 38, height: Int = 24) -> [FrameState] {
        (0..<count).map { frame in
            let disc = LayerState(id: "disc", content: .ellipse(radii: Vec2(7, 5)), transform: .translation(Vec2(Double(5 + 3 * frame), 12)),
                                  fill: .solid(Color(red: 0.9, green: 0.3, blue: 0.1, alpha: 0.6)))
            let bar = LayerState(id: "bar", content: .rect(halfSize: Vec2(16, 3), cornerRadius: 1), transform: .translation(Vec2(19, Double(4 + frame))),
                                 fill: .solid(Color(red: 0.1, green: 0.5, blue: 0.9)))
            return FrameState(frame: frame, time: Double(frame) / 30, width: width, height: height,
                              background: Color(red: 0.2, green: 0.2, blue: 0.25), samples: 4, layers: [disc, bar])
        }
    }

    @Test func rgbaFramesMatchTheSynchronousReadback() throws {
        let states = Self.states(count: 6)
        let (expected, got) = try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            let expected = try states.map { try renderer.render($0).pixels }
            let ring = ReadbackRing(context: context, layout: .rgba, depth: 3)
            defer { ring.release() }
            var got: [Int: [UInt8]] = [:]
            for state in states {
                try renderer.render(state, readingInto: ring)
                while let frame = try ring.collect(keepingInFlight: 1) {
                    got[frame.frame] = frame.rgba.map { [UInt8]($0) }
                    frame.release()
                }
            }
            while let frame = try ring.collect(keepingInFlight: 0) {
                got[frame.frame] = frame.rgba.map { [UInt8]($0) }
                frame.release()
            }
            return (expected, got)
        }
        for (index, pixels) in expected.enumerated() { #expect(got[index] == pixels, "frame \(index)") }
    }

    @Test func yuvPlanesAndTheirRGBAMatchTheSynchronousReadback() throws {
        let states = Self.states(count: 5, width: 38, height: 24)
        try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            let ring = ReadbackRing(context: context, layout: .yuv420(rgba: true), depth: 2)
            defer { ring.release() }
            for state in states {
                var planes = YUVPlanes(), pixels: [UInt8] = []
                try renderer.renderYUV(state, into: &planes, rgba: &pixels)
                try renderer.render(state, readingInto: ring)
                let frame = try #require(try ring.collect(keepingInFlight: 0))
                defer { frame.release() }
                #expect(frame.frame == state.frame)
                #expect(frame.stride == planes.stride)
                #expect(frame.luma.map { [UInt8]($0) } == planes.y, "luma of frame \(state.frame)")
                #expect(frame.chroma.map { [UInt8]($0) } == planes.uv, "chroma of frame \(state.frame)")
                #expect(frame.rgba.map { [UInt8]($0) } == pixels, "RGBA of frame \(state.frame)")
            }
        }
    }

    /// Frame numbers a reader thread saw, in order.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var frames: [Int] = []
        func add(_ frame: Int) { lock.withLock { frames.append(frame) } }
        var all: [Int] { lock.withLock { frames } }
    }

    @Test func framesLentToAnotherThreadComeBackAndEveryBufferIsDeleted() throws {
        let states = Self.states(count: 12)
        try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            for state in states { _ = try renderer.render(state) }  // the renderer's own objects, made once
            let before = context.liveObjects[.buffer] ?? 0
            let ring = ReadbackRing(context: context, layout: .rgba, depth: 3)
            // A reader that holds each frame a moment, so the GL thread must wait for buffers.
            let reader = DispatchQueue(label: "reader")
            let seen = Seen()
            func lend(_ frame: ReadbackFrame) {
                reader.async {
                    usleep(2_000)
                    seen.add(frame.frame)
                    frame.release()
                }
            }
            for state in states {
                try renderer.render(state, readingInto: ring)
                while let frame = try ring.collect(keepingInFlight: 1) { lend(frame) }
            }
            while let frame = try ring.collect(keepingInFlight: 0) { lend(frame) }
            ring.release()
            #expect(seen.all == Array(0..<12))
            #expect((context.liveObjects[.buffer] ?? 0) == before, "the ring's buffers are deleted")
            #expect(ring.inFlight == 0)
            #expect(glGetError() == GLenum(GL_NO_ERROR))
        }
    }
}
