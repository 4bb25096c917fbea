import CEGL
import Foundation
import ReelCore
import Synchronization

extension ReelError.Code {
    /// The GL context stopped being usable mid-render: a GPU reset, a driver fault.
    public static let glContextLost = Self("E-GL-CONTEXT-LOST")
}

/// Faults injected into a real context for tests, from `REEL_GL_FAULT`, so that the paths a
/// failing driver takes can be exercised on a healthy one:
///
/// - `lose-context@N`: before drawing frame N the context is really released from its
///   thread (`eglMakeCurrent` with no context), as a GPU reset leaves it; once a process,
///   so a worker's fresh context afterwards is healthy.
/// - `reject-shader:TEXT`: every shader whose label contains TEXT gets a line the compiler
///   must reject (`#error`), so the driver itself fails it and writes the log.
///
/// Unset in normal runs; parsed once per context.
struct GLFaults: Sendable {
    var loseContextAtFrame: Int?
    var rejectShaderLabel: String?

    /// Whether `lose-context` has fired in this process.
    static let contextLossFired = Atomic<Bool>(false)

    static func fromEnvironment() -> GLFaults {
        var faults = GLFaults()
        guard let value = ProcessInfo.processInfo.environment["REEL_GL_FAULT"] else { return faults }
        for item in value.split(separator: ",") {
            if item.hasPrefix("lose-context@"), let frame = Int(item.dropFirst("lose-context@".count)) {
                faults.loseContextAtFrame = frame
            } else if item.hasPrefix("reject-shader:") {
                faults.rejectShaderLabel = String(item.dropFirst("reject-shader:".count))
            }
        }
        return faults
    }

    /// `source` with an `#error` after its `#version` line when `label` is to be rejected.
    func shaderSource(_ source: String, label: String) -> String {
        guard let reject = rejectShaderLabel, label.contains(reject) else { return source }
        let injected = "#error REEL_GL_FAULT rejects shader '\(label)'"
        guard source.hasPrefix("#version"), let newline = source.firstIndex(of: "\n") else { return injected + "\n" + source }
        return source[...newline] + injected + "\n" + source[source.index(after: newline)...]
    }
}

extension GLContext {
    /// Throws `E-GL-CONTEXT-LOST` when this context is no longer current on its thread or GL
    /// reports it lost. Called before each frame: a lost context draws nothing and reads
    /// back whatever memory holds, which must never reach an output as a frame.
    public func checkAlive(frame: Int) throws {
        assertOnThread()
        if faults.loseContextAtFrame == frame, let session,
           !GLFaults.contextLossFired.exchange(true, ordering: .relaxed) {
            eglMakeCurrent(session.display, reel_egl_no_surface(), reel_egl_no_surface(), reel_egl_no_context())
        }
        guard eglGetCurrentContext() != session?.context else { return }
        throw contextLost("before frame \(frame)")
    }

    func contextLost(_ when: String) -> ReelError {
        ReelError(.glContextLost, "the GL context was lost \(when) (a GPU reset or a driver fault)",
                  detail: "renderer: \(info.renderer)\nrun the command again; if it repeats, check `reel doctor` and the kernel log (dmesg) for the driver's reason")
    }
}
