import Foundation
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// A video or animated image: frames go to one `VideoEncoder`, in order, on one thread
/// (libx264 and its kind thread internally). YUV 4:2:0 made on the GPU is copied straight
/// from the mapped buffer into the encoder's frame; other pixel formats take RGBA.
final class VideoSink: FrameSink, @unchecked Sendable {
    let encoder: VideoEncoder
    private let settings: VideoSettings
    private let temporary: String
    private let path: String
    private var control: PipelineControl?

    /// Opens the encoder into a temporary beside `path`.
    /// - Throws: `E-MEDIA-ENCODE`, `E-IO-WRITE`.
    init(path: String, settings: VideoSettings, width: Int, height: Int, fps: Double) throws {
        let temporary = try AtomicFile.temporary(for: path)
        do {
            encoder = try VideoEncoder(path: temporary, containerName: path, width: width, height: height, fps: fps, settings: settings)
        } catch {
            AtomicFile.discard(temporary)
            throw error
        }
        (self.temporary, self.path, self.settings) = (temporary, path, settings)
    }

    func layout(checksums: Bool) -> ReadbackLayout { settings.usesGPUConversion ? .yuv420(rgba: checksums) : .rgba }
    var concurrency: Int { 1 }
    func start(_ control: PipelineControl) { self.control = control }

    func consume(_ frame: ReadbackFrame) throws {
        if let luma = frame.luma, let chroma = frame.chroma {
            try encoder.append(luma: luma, chroma: chroma, stride: frame.stride, width: frame.width, height: frame.height)
        } else if let image = frame.rgbaImage() {
            try encoder.append(rgba: image)
        }
        control?.frameDone()
    }

    func finish() throws {
        try encoder.finish()
        try AtomicFile.commit(temporary, to: path)
    }

    func discard() {
        encoder.abort()
        AtomicFile.discard(temporary)
    }

    var cancelledMessage: String { "the render was cancelled; no output was written" }
}

/// A clip's palette (GIF): the first of two passes counts the colours of every frame.
final class PaletteSink: FrameSink, @unchecked Sendable {
    private let builder = Mutex(PaletteBuilder())

    func layout(checksums: Bool) -> ReadbackLayout { .rgba }
    var concurrency: Int { 1 }

    func consume(_ frame: ReadbackFrame) throws {
        guard let image = frame.rgbaImage() else { return }
        builder.withLock { $0.add(image) }
    }

    var palette: Palette { builder.withLock { $0.build() } }
    func finish() throws {}
    func discard() {}
    var cancelledMessage: String { "the render was cancelled; no output was written" }
}

/// A PNG per frame. Frames are compressed on every core straight from the mapped buffers
/// (each thread keeps a `PNGEncoder`, reusing its memory), then written by a few writer
/// threads that wait on the disk so the compressors never do; files are staged beside the
/// sequence and committed behind a marker (`SequenceStaging`).
final class PNGSequenceSink: FrameSink, @unchecked Sendable {
    private let settings: PNGSettings
    private let staging: SequenceStaging
    private let encoders = Mutex<[PNGEncoder]>([])
    private var writers: PipelineStage<(Int, Data)>?
    private var control: PipelineControl?
    let concurrency: Int

    /// - Throws: `E-IO-WRITE` when the staging folder cannot be made.
    init(pattern: String, settings: PNGSettings, fault: OutputFault?) throws {
        self.settings = settings
        staging = try SequenceStaging(pattern: pattern)
        staging.fault = fault
        concurrency = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    func layout(checksums: Bool) -> ReadbackLayout { .rgba }

    func start(_ control: PipelineControl) {
        self.control = control
        let staging = self.staging
        // Writing is mostly waiting for fsync, so a few writers keep the disk busy without
        // taking CPU from the compressors.
        writers = PipelineStage("png-writers", workers: 4, capacity: 16, control: control) { frame, data in
            try staging.stage(data, frame: frame)
            control.frameDone()
        }
    }

    func consume(_ frame: ReadbackFrame) throws {
        guard let pixels = frame.rgba else { return }
        let encoder = try encoders.withLock { $0.popLast() } ?? PNGEncoder(settings: settings)
        let data = try encoder.encode(rgba: pixels, width: frame.width, height: frame.height, premultiplied: true)
        encoders.withLock { $0.append(encoder) }
        // The mapped buffer goes back to the GL thread before the file is written.
        frame.release()
        writers?.put((frame.frame, data))
    }

    func drain() { writers?.finish() }

    func finish() throws { try staging.commit() }

    func discard() { staging.discard() }

    var cancelledMessage: String { "the render was cancelled; the frames it drew were removed" }
}
