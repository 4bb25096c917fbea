import ArgumentParser
import Foundation
import Reel
import ReelGL

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show what Reel renders with: EGL devices, the GL renderer, hardware or software.",
        discussion: """
        Lists EGL's client extensions and devices, the display Reel chose (REEL_EGL_DEVICE=N picks device N), and GL_VENDOR, GL_RENDERER and GL_VERSION with the limits that matter. Warns loudly when an NVIDIA GPU is present but rendering fell back to Mesa's software rasterizer, and says how to fix it.

        Exits 1 when no GL context can be made.
        """
    )

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report = DoctorReport.run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(report)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(DoctorText.render(report))
        }
        if !report.contextOK { throw ExitCode.failure }
    }
}

/// The human-readable doctor report.
enum DoctorText {
    static func render(_ r: DoctorReport) -> String {
        var lines = ["reel \(r.reelVersion)", "", "EGL"]
        lines.append("  client extensions: " + (r.egl.clientExtensions.isEmpty ? "(none)" : r.egl.clientExtensions.joined(separator: " ")))
        if r.egl.devices.isEmpty {
            lines.append("  devices: none listed")
        }
        for device in r.egl.devices {
            lines.append("  \(device.label)")
            lines.append("    extensions: " + (device.extensions.isEmpty ? "(none)" : device.extensions.joined(separator: " ")))
        }
        lines.append("")
        if let gl = r.gl {
            lines.append("GL context")
            lines.append("  display:      \(gl.display)")
            lines.append("  EGL:          \(gl.eglVendor) \(gl.eglVersion)")
            lines.append("  GL_VENDOR:    \(gl.vendor)")
            lines.append("  GL_RENDERER:  \(gl.renderer)")
            lines.append("  GL_VERSION:   \(gl.version)")
            lines.append("  GLSL:         \(gl.shadingLanguageVersion)")
            lines.append("  rasterizer:   " + (gl.isSoftware ? "software (CPU)" : "hardware (GPU)"))
            lines.append("  max texture:  \(gl.maxTextureSize) px, max renderbuffer: \(gl.maxRenderbufferSize) px, MSAA up to \(gl.maxSamples)×")
        } else {
            lines.append("GL context: none could be made")
            lines.append(contentsOf: (r.contextError ?? "").split(separator: "\n").map { "  " + $0 })
        }
        lines.append("")
        lines.append("encoders: " + (r.encoders.isEmpty ? "none found" : r.encoders.joined(separator: ", ")))
        lines.append("")
        lines.append("NVIDIA GPU: " + (r.nvidiaEvidence.isEmpty ? "none found" : r.nvidiaEvidence.joined(separator: "; ")))
        for warning in r.warnings {
            lines.append("")
            lines.append("WARNING: " + warning)
        }
        return lines.joined(separator: "\n")
    }
}
