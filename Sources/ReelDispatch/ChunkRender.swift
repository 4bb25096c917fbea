import Foundation
import Reel
import ReelCore
import ReelGL
import ReelMedia
import Synchronization

/// One chunk rendered: the bytes that travel (a video file, or a tar of PNGs) and the
/// checksum of every frame's raw RGBA pixels.
public struct RenderedChunk: Sendable {
    public var payload: [UInt8]
    public var frameChecksums: [String]
    public var seconds: Double
}

/// Renders a chunk exactly as a worker does. The coordinator's tests render the same chunks
/// locally with it, so "the same as a local render" is checked against the same code path.
public enum ChunkRender {
    /// Renders `frames` of `scene` into `output`'s format in a scratch folder under
    /// `workFolder`, and returns the bytes; nothing is left in `workFolder` afterwards.
    /// - Throws: render, encoder and I/O errors; `E-CANCELLED`.
    public static func render(scene: Scene, plugins: PluginRegistry, frames: ClosedRange<Int>, output: ChunkOutput,
                              gl: HeadlessGL, workFolder: String, cancel: CancellationFlag = CancellationFlag()) throws -> RenderedChunk {
        let scratch = workFolder + "/.chunk-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw ReelError(.fileUnwritable, "cannot make a scratch folder in '\(workFolder)': \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let target = output.kind == .video ? scratch + "/chunk." + output.container : scratch + "/######.png"
        var job = RenderJob(scene: scene, frames: frames, output: try output.renderOutput(at: target), plugins: plugins)
        job.scale = output.scale
        let sums = Mutex<[Int: String]>([:])
        job.frameChecksums = { frame, sum in sums.withLock { $0[frame] = sum } }
        let summary = try job.run(gl: gl, cancel: cancel)
        let checksums = sums.withLock { s in frames.map { s[$0] ?? "" } }
        let payload: [UInt8]
        switch output.kind {
        case .video:
            payload = try readAll(target)
        case .png:
            var files: [(name: String, bytes: [UInt8])] = []
            for frame in frames {
                let path = PNGSequence.path(target, frame: frame)
                files.append(((path as NSString).lastPathComponent, try readAll(path)))
            }
            payload = TarArchive.write(files)
        }
        return RenderedChunk(payload: payload, frameChecksums: checksums, seconds: summary.seconds)
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ReelError(.fileUnreadable, "cannot read the rendered chunk '\(path)': \(error.localizedDescription)")
        }
    }
}
