import ArgumentParser
import Foundation
import ReelCLI
import ReelDispatch
import ReelGL

/// `reel worker-render`: one chunk of a `reel worker`, in a process the worker can kill.
/// Hidden: only a worker starts it (see `WorkerRenderChild` for the protocol).
struct WorkerRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker-render",
        abstract: "Render one chunk for `reel worker` (started by the worker, not by hand).",
        shouldDisplay: false
    )

    @Flag(help: "Only open a GL context and print its info as JSON.")
    var probe = false

    @Option(help: "The worker's blob folder.")
    var blobs = ""

    @Option(help: "The worker's pid; this process exits when the worker does.")
    var parent: Int32 = 0

    @Option(name: .customLong("max-frames"))
    var maxFrames = AdmissionLimits().maxFrames

    @Option(name: .customLong("max-pixel-frames"))
    var maxPixelFrames = AdmissionLimits().maxPixelFrames

    @Option(name: .customLong("min-frame-pixels"))
    var minFramePixels = AdmissionLimits().minFramePixels

    @Flag(help: "Flip a byte of the chunk after its digest (REEL_WORKER_FAULT=corrupt).")
    var corrupt = false

    // The worker's `REEL_GL_FAULT`, passed on as an argument: this process reads no switches
    // from its environment, and the worker stops passing `lose-context` once it has fired.
    @Option(name: .customLong("gl-fault"), help: "Faults for the GL context, as REEL_GL_FAULT writes them.")
    var glFault: String?

    func run() throws {
        if probe {
            let status = WorkerRenderChild.probe()
            if status != 0 { throw ExitCode(status) }
            return
        }
        guard !blobs.isEmpty, parent > 0 else { throw ValidationError("--blobs and --parent are required") }
        var limits = AdmissionLimits()
        limits.maxFrames = maxFrames
        limits.maxPixelFrames = maxPixelFrames
        limits.minFramePixels = minFramePixels
        var options = WorkerRenderChild.Options(blobs: blobs, parent: parent, limits: limits)
        options.corrupt = corrupt
        options.glFaults = glFault.map(GLFaults.init(parsing:)) ?? .none
        let status = WorkerRenderChild.run(options, plugins: ReelCLI.plugins)
        if status != 0 { throw ExitCode(status) }
    }
}
