import Foundation
import Reel

/// The encoding half of `make bench`: Reel's whole pipeline to H.264 against the floor (the
/// same frames, already YUV and in memory, through the same encoder alone) and against the
/// ModernGL yardstick piping into ffmpeg.
enum EncodingBench {
    static let settings = VideoSettings(codec: "libx264", crf: 20, bitrate: nil, preset: "veryfast")

    /// Runs a program to completion: wall seconds and peak resident memory in MB.
    static func timed(_ executable: String, _ arguments: [String]) -> (seconds: Double, peakMB: Double, ok: Bool) {
        var pid: pid_t = 0
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return (0, 0, false) }
        // The child's own high-water mark, read from /proc while it runs: getrusage's maxrss
        // would report the parent's footprint, which a spawned child inherits on Linux.
        var status: Int32 = 0
        var peakMiB = 0.0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if let mib = procStatusMiB("VmHWM", pid: String(pid)) { peakMiB = max(peakMiB, mib) }
            usleep(50_000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (seconds, peakMiB, status == 0)
    }

    /// Renders the orbits frames to YUV in memory, then times encoding them alone.
    static func floor(gl: HeadlessGL, output: String) throws -> Double {
        let scene = try Workloads.orbits()
        var frames: [YUVFrame] = []
        frames.reserveCapacity(scene.canvas.frameCount)
        try gl.sync { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            var planes = YUVPlanes()
            for k in 0..<scene.canvas.frameCount {
                try renderer.renderYUV(Timeline.evaluate(scene, frame: k, plugins: .standard), into: &planes)
                frames.append(YUVFrame(width: planes.width, height: planes.height, y: planes.y, uv: planes.uv, stride: planes.stride))
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let encoder = try VideoEncoder(path: output, containerName: output, width: 1920, height: 1080, fps: 60, settings: settings)
        for frame in frames { try encoder.append(frame) }
        try encoder.finish()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
