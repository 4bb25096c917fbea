import Foundation
import ReelCore
import ReelGL
import ReelMedia

/// What `reel doctor` finds: EGL's devices, the context Reel gets, and whether that is the
/// hardware the machine has.
public struct DoctorReport: Sendable, Codable {
    public var reelVersion: String
    public var egl: EGLInventory
    /// The context Reel renders with; nil when none could be made.
    public var gl: GLInfo?
    /// Why no context could be made, when `gl` is nil.
    public var contextError: String?
    /// Signs of an NVIDIA GPU on this machine (device nodes, `nvidia-smi`, the kernel driver).
    public var nvidiaEvidence: [String]
    /// Problems a user should act on, loudest first.
    public var warnings: [String]
    /// The video encoders this build's FFmpeg has, among those Reel knows how to drive.
    public var encoders: [String]

    /// True when a context was made; warnings do not make a report fail.
    public var contextOK: Bool { gl != nil }

    /// Probes EGL and makes (then closes) one context.
    public static func run(device: GLDeviceChoice? = nil) -> DoctorReport {
        let inventory = EGLInventory.read()
        var report = DoctorReport(reelVersion: ReelVersion.string, egl: inventory, gl: nil, contextError: nil,
                                  nvidiaEvidence: nvidiaEvidence(), warnings: [], encoders: knownEncoders())
        do {
            let gl = try HeadlessGL.open(device: device, label: "reel.doctor")
            report.gl = gl.info
            gl.close()
        } catch let error as ReportableError {
            report.contextError = ([error.reportSummary] + error.reportDetails).joined(separator: "\n")
        } catch {
            report.contextError = "\(error)"
        }
        report.warnings = warnings(for: report)
        return report
    }

    /// The video encoders Reel knows how to drive that open on this machine: compiled into this
    /// FFmpeg and, for NVENC, backed by a GPU that has it (each is opened once to find out).
    public static func knownEncoders() -> [String] {
        let wanted = ["libx264", "libx265", "libsvtav1", "libaom-av1", "libvpx-vp9", "prores_ks", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "gif", "png"]
        let available = Set(VideoEncoder.availableEncoders())
        return wanted.filter { available.contains($0) && ($0.hasSuffix("_nvenc") ? VideoEncoder.opens($0) : true) }
    }

    static func warnings(for report: DoctorReport) -> [String] {
        var warnings: [String] = []
        if !report.nvidiaEvidence.isEmpty, report.gl?.isSoftware ?? true {
            let what = report.gl.map { "rendering fell back to the software rasterizer (\($0.renderer))" }
                ?? "no GL context could be made"
            warnings.append("""
            an NVIDIA GPU is present (\(report.nvidiaEvidence.joined(separator: "; "))) but \(what).
              Fix: install the NVIDIA EGL/GLES userspace libraries that match the kernel driver
              (libnvidia-egl / libnvidia-gl-<version>, with libglvnd's libEGL and libGLESv2), and check
              that __EGL_VENDOR_LIBRARY_FILENAMES (if set) points at the driver's 10_nvidia.json,
              e.g. /usr/share/glvnd/egl_vendor.d/10_nvidia.json. Then run `reel doctor` again.
            """)
        }
        if report.egl.clientExtensions.isEmpty {
            warnings.append("EGL reports no client extensions: libEGL may be missing or broken (run scripts/bootstrap)")
        }
        if let gl = report.gl, !gl.fallbacks.isEmpty {
            warnings.append("displays tried before the one in use failed:\n" + gl.fallbacks.map { "  " + $0 }.joined(separator: "\n"))
        }
        return warnings
    }

    /// Looks for an NVIDIA GPU without needing its GL libraries: device nodes, the kernel
    /// driver's proc file, and `nvidia-smi` on PATH.
    static func nvidiaEvidence() -> [String] {
        var evidence: [String] = []
        let fm = FileManager.default
        if let nodes = try? fm.contentsOfDirectory(atPath: "/dev") {
            let gpus = nodes.filter { $0.hasPrefix("nvidia") && $0.dropFirst(6).allSatisfy(\.isNumber) && $0.count > 6 }
            if !gpus.isEmpty { evidence.append("/dev/" + gpus.sorted().joined(separator: ", /dev/")) }
        }
        if fm.fileExists(atPath: "/proc/driver/nvidia/version") {
            evidence.append("kernel driver loaded (/proc/driver/nvidia/version)")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where fm.isExecutableFile(atPath: "\(folder)/nvidia-smi") {
            evidence.append("nvidia-smi at \(folder)/nvidia-smi")
            break
        }
        return evidence
    }
}
