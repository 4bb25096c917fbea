import Reel
import ReelCore
import ReelDispatch

extension Fuzz {
    /// The body of `POST /v1/render` as a worker takes it: `Worker.admit` (strict JSON, the
    /// protocol version, the scene decoded from its bundle with files only by hash, the frame
    /// range, the scale, the output settings and encoder options, the pixel limit), then what
    /// rendering the chunk begins with: the job's output and frame size, and the first and
    /// last frames evaluated at that size. The worker's blobs are `FuzzFiles.blobs`.
    /// - Throws: `ReelError` with the code the worker would answer with.
    public static func workerRequest(_ bytes: [UInt8]) throws(ReelError) {
        let admitted: Worker.AdmittedRender
        do {
            admitted = try Worker.admit(bytes, plugins: .standard, maxPixelFrames: maxPixelFrames, blob: FuzzFiles.blob)
        } catch {
            throw error.error
        }
        let output = admitted.request.output
        let target = output.kind == .video ? "/reel-fuzz/chunk/chunk." + output.container : "/reel-fuzz/chunk/######.png"
        let renderOutput: RenderOutput
        do {
            renderOutput = try output.renderOutput(at: target)
        } catch {
            throw refusal(error)
        }
        var job = RenderJob(scene: admitted.scene, frames: admitted.frames, output: renderOutput, plugins: .standard)
        job.scale = output.scale
        try evaluate(admitted.scene, frames: [admitted.frames.lowerBound, admitted.frames.upperBound], plugins: .standard,
                     size: job.outputSize)
    }

    /// A worker's default limit (`WorkerConfiguration.maxPixelFrames`).
    static let maxPixelFrames = WorkerConfiguration(blobFolder: "", workFolder: "").maxPixelFrames
}
