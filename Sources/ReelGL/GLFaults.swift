import CEGL
import Foundation
import ReelCore
import Synchronization

extension ReelError.Code {
    /// The GL context stopped being usable mid-render: a GPU reset, a driver fault.
    public static let glContextLost = Self("E-GL-CONTEXT-LOST")
}

/// Faults injected into a real context for tests, so that the paths a failing driver takes
/// can be exercised on a healthy one. A context gets them only when whoever opens it passes
/// them (`HeadlessGL.open(faults:)`): the command line fills them from `REEL_GL_FAULT`, a
/// worker hands them to its render processes. Nothing in ReelGL reads the environment for
/// them, so a program that embeds Reel never has a test switch it did not ask for.
///
/// - `lose-context@N`: before drawing frame N the context is really released from its
///   thread (`eglMakeCurrent` with no context), as a GPU reset leaves it; once a process,
///   so a worker's fresh context afterwards is healthy.
/// - `reject-shader:TEXT`: every shader whose label contains TEXT gets a line the compiler
///   must reject (`#error`), so the driver itself fails it and writes the log.
public struct GLFaults: Sendable, Equatable, CustomStringConvertible {
    /// Lose the context before drawing this frame (`lose-context@N`).
    public var loseContextAtFrame: Int?
    /// Make the driver reject every shader whose label contains this (`reject-shader:TEXT`).
    public var rejectShaderLabel: String?

    /// No faults: what every context gets unless it is given others.
    public static let none = GLFaults()

    /// Whether `lose-context` has fired in this process.
    static let contextLossFired = Atomic<Bool>(false)

    public init(loseContextAtFrame: Int? = nil, rejectShaderLabel: String? = nil) {
        (self.loseContextAtFrame, self.rejectShaderLabel) = (loseContextAtFrame, rejectShaderLabel)
    }

    /// Reads the `REEL_GL_FAULT` syntax: items separated by commas, `lose-context@N` and
    /// `reject-shader:TEXT`. An item it does not know is ignored, as a test switch should be:
    /// it never stops a render.
    public init(parsing text: String) {
        self.init()
        for item in text.split(separator: ",") {
            if item.hasPrefix("lose-context@"), let frame = Int(item.dropFirst("lose-context@".count)) {
                loseContextAtFrame = frame
            } else if item.hasPrefix("reject-shader:") {
                rejectShaderLabel = String(item.dropFirst("reject-shader:".count))
            }
        }
    }

    /// The same faults in the syntax `init(parsing:)` reads; empty for none.
    public var description: String {
        var items: [String] = []
        if let loseContextAtFrame { items.append("lose-context@\(loseContextAtFrame)") }
        if let rejectShaderLabel { items.append("reject-shader:\(rejectShaderLabel)") }
        return items.joined(separator: ",")
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
