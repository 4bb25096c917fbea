import Foundation
import Reel
import ReelGL

/// The switches tests use to stage failures in real runs, read from the environment here, at
/// the command line, and handed to the engine as values: the engine's types never read the
/// environment for them, so a program that embeds Reel has no switch it did not ask for.
/// The README's "Hardening" section lists what each one does.
package enum TestFaults {
    /// `REEL_GL_FAULT` (`lose-context@N`, `reject-shader:TEXT`): faults for the GL contexts a
    /// command opens. None when unset.
    package static var gl: GLFaults {
        ProcessInfo.processInfo.environment["REEL_GL_FAULT"].map(GLFaults.init(parsing:)) ?? .none
    }

    /// `REEL_OUTPUT_FAULT` (`kill-during-commit@N`): what a render does to its output on the way.
    static var output: OutputFault? {
        ProcessInfo.processInfo.environment["REEL_OUTPUT_FAULT"].flatMap(OutputFault.init)
    }
}
