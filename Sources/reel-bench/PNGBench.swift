import CFFmpeg
import Foundation
import Reel
import Synchronization

/// The PNG half of `make bench`: Reel's PNG-sequence render against FFmpeg's own PNG encoder
/// (libavcodec's `png`, frame-threaded on every core as the ffmpeg tool runs it) on the same
/// frames, held in memory, at the same zlib level.
enum PNGBench {
    /// Frames of the orbits scene, rendered once: (RGBA straight, opaque).
    static func frames(_ scene: Scene, count: Int, gl: HeadlessGL) throws -> [RGBAImage] {
        try gl.sync { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            return try (0..<count).map { try renderer.render(Timeline.evaluate(scene, frame: $0, plugins: .standard)) }
        }
    }

    /// Reel's PNG encoder on `frames` (premultiplied RGBA as the readback gives them, written
    /// as RGB like the sequence) at `level` with no row filter, as a PNG sequence runs it: a
    /// `PNGEncoder` per core, each taking the next frame, each PNG written to its own file the
    /// way the FFmpeg row writes its packets: seconds and bytes.
    static func reel(_ frames: [RGBAImage], level: Int, folder: String) throws -> (seconds: Double, bytes: Int) {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let settings = PNGSettings(compressionLevel: level, alpha: false, filter: .none)
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let encoders = try (0..<threads).map { _ in try PNGEncoder(settings: settings) }
        let shared = Shared()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for encoder in encoders {
            group.enter()
            Thread {
                defer { group.leave() }
                while true {
                    let index = shared.next.add(1, ordering: .relaxed).oldValue
                    guard index < frames.count else { return }
                    do {
                        let png = try encoder.encode(frames[index])
                        try png.write(to: URL(fileURLWithPath: String(format: "%@/%04d.png", folder, index)))
                        shared.bytes.add(png.count, ordering: .relaxed)
                    } catch {
                        shared.failure.withLock { $0 = $0 ?? error }
                        return
                    }
                }
            }.start()
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = shared.failure.withLock({ $0 }) { throw error }
        return (seconds, shared.bytes.load(ordering: .relaxed))
    }

    /// What the encoding threads share: the next frame to take, bytes written, a failure.
    final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let bytes = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
    }

    /// FFmpeg's PNG encoder on `frames` (as rgb24, opaque like Reel's sequence) at zlib
    /// `level`, with the threads the ffmpeg tool gives it (frame threads on every core), each
    /// packet written to its own file: seconds and bytes.
    static func ffmpeg(_ frames: [RGBAImage], level: Int, folder: String) throws -> (seconds: Double, bytes: Int) {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var ownedContext = avcodec_find_encoder_by_name("png").flatMap { avcodec_alloc_context3($0) }
        var ownedFrame = av_frame_alloc(), ownedPacket = av_packet_alloc()
        defer {
            avcodec_free_context(&ownedContext)
            av_frame_free(&ownedFrame)
            av_packet_free(&ownedPacket)
        }
        guard let first = frames.first, let codec = avcodec_find_encoder_by_name("png"), let context = ownedContext,
              let frame = ownedFrame, let packet = ownedPacket else {
            throw ReelError(.videoEncode, "this FFmpeg has no PNG encoder")
        }
        context.pointee.width = Int32(first.width)
        context.pointee.height = Int32(first.height)
        context.pointee.pix_fmt = AV_PIX_FMT_RGB24
        context.pointee.time_base = AVRational(num: 1, den: 60)
        context.pointee.compression_level = Int32(level)
        context.pointee.thread_count = 0
        guard avcodec_open2(context, codec, nil) >= 0 else { throw ReelError(.videoEncode, "cannot open FFmpeg's PNG encoder") }
        frame.pointee.format = AV_PIX_FMT_RGB24.rawValue
        frame.pointee.width = Int32(first.width)
        frame.pointee.height = Int32(first.height)
        guard av_frame_get_buffer(frame, 0) >= 0 else { throw ReelError(.videoEncode, "out of memory") }
        // The frames as rgb24 before the clock starts: FFmpeg gets its input ready-made.
        let rgb = frames.map { image in
            [UInt8](unsafeUninitializedCapacity: image.width * image.height * 3) { out, count in
                for i in 0..<image.width * image.height {
                    out[3 * i] = image.pixels[4 * i]
                    out[3 * i + 1] = image.pixels[4 * i + 1]
                    out[3 * i + 2] = image.pixels[4 * i + 2]
                }
                count = image.width * image.height * 3
            }
        }
        var written = 0, bytes = 0
        func drain() throws {
            while avcodec_receive_packet(context, packet) >= 0 {
                let data = Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
                try data.write(to: URL(fileURLWithPath: String(format: "%@/%04d.png", folder, written)))
                written += 1
                bytes += data.count
                av_packet_unref(packet)
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        for (index, pixels) in rgb.enumerated() {
            guard av_frame_make_writable(frame) >= 0 else { throw ReelError(.videoEncode, "out of memory") }
            let line = Int(frame.pointee.linesize.0), width = first.width * 3
            pixels.withUnsafeBufferPointer { source in
                for row in 0..<first.height {
                    (frame.pointee.data.0! + row * line).update(from: source.baseAddress! + row * width, count: width)
                }
            }
            frame.pointee.pts = Int64(index)
            guard avcodec_send_frame(context, frame) >= 0 else { throw ReelError(.videoEncode, "FFmpeg's PNG encoder failed") }
            try drain()
        }
        avcodec_send_frame(context, nil)
        try drain()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, bytes)
    }
}
