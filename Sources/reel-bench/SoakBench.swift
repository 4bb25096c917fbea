import Foundation
import Reel
import Synchronization

/// `make soak` (`reel-bench soak`): a long render in this process, watched from beside it.
///
/// Renders Scenes/bench/soak.yaml (720p30, text, an image, a looping video layer, PostFX) to
/// H.264 (x264's ultrafast preset: the soak is about what stays allocated, not compression) while a monitor thread samples resident memory, open file descriptors and live GL
/// objects every few seconds. After the warm-up (the first tenth of the frames) nothing may
/// grow past its bound; a leak of a texture a text change, a decoder a video loop or a
/// buffer a frame would. Prints a table and writes every sample to .build/soak/samples.csv.
enum SoakBench {
    /// How far each figure may rise above its value at the end of the warm-up.
    struct Bounds {
        /// Allocator noise and x264's reference frames settle within the warm-up; a leak of a
        /// frame's worth (2.7 MB of YUV at 720p) every few minutes would cross this in twenty.
        var rssMiB = 32.0
        var fileDescriptors = 0
        /// A text change makes its new texture before the old one is deleted, and a sample may
        /// land between the two.
        var glObjects = 2
    }

    struct Sample {
        var seconds: Double
        var frames: Int
        var rssMiB: Double
        var fileDescriptors: Int
        var glObjects: [GLObjectKind: Int]
        var glTotal: Int { glObjects.values.reduce(0, +) }
    }

    static let sceneFile = "Scenes/bench/soak.yaml"

    /// Runs the soak; returns false when a bound was crossed or the render failed.
    static func run(environment: [String: String]) -> Bool {
        let minutes = Double(environment["SOAK_MINUTES"] ?? "") ?? 20
        let interval = Double(environment["SOAK_INTERVAL"] ?? "") ?? 5
        let folder = ".build/soak"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let scene = try SceneDecoder(plugins: .standard).load(path: sceneFile)
            let frameCount = min(scene.canvas.frameCount, max(30, Int(minutes * 60 * Double(scene.canvas.fps))))
            let gl = try HeadlessGL.open()
            defer { gl.close() }
            printFlushed("soak: \(sceneFile), \(frameCount) frames (\(String(format: "%.1f", Double(frameCount) / Double(scene.canvas.fps) / 60)) min of "
                  + "\(scene.canvas.width)×\(scene.canvas.height) at \(scene.canvas.fps) fps) → H.264 (x264 ultrafast), sampled every \(Int(interval)) s; "
                  + "renderer \(gl.info.renderer)")
            let job = RenderJob(scene: scene, frames: 0...(frameCount - 1),
                                output: .video(path: folder + "/soak.mp4", settings: VideoSettings(preset: "ultrafast")), overwrite: true)
            let done = Atomic<Int>(0)
            let finished = Atomic<Bool>(false)
            let samples = Mutex<[Sample]>([])
            let start = DispatchTime.now().uptimeNanoseconds
            @Sendable func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            let monitor = Thread {
                var lastPrinted = -60.0
                while !finished.load(ordering: .relaxed) {
                    let sample = Sample(seconds: now(), frames: done.load(ordering: .relaxed), rssMiB: residentMiB(),
                                        fileDescriptors: openFileDescriptors(), glObjects: gl.census.snapshot)
                    samples.withLock { $0.append(sample) }
                    if sample.seconds - lastPrinted >= 60 {
                        lastPrinted = sample.seconds
                        printFlushed(String(format: "  %6.0f s  frame %6d/%d  %5.1f fps  RSS %6.1f MiB  fds %3d  GL objects %3d",
                                     sample.seconds, sample.frames, frameCount, Double(sample.frames) / max(sample.seconds, 0.001),
                                     sample.rssMiB, sample.fileDescriptors, sample.glTotal))
                    }
                    Thread.sleep(forTimeInterval: interval)
                }
            }
            monitor.start()
            let summary: RenderSummary
            do {
                summary = try job.run(gl: gl) { progress in done.store(progress.framesDone, ordering: .relaxed) }
            } catch {
                finished.store(true, ordering: .relaxed)
                printFlushed("soak: FAILED, the render stopped: \(error)")
                return false
            }
            finished.store(true, ordering: .relaxed)
            // One sample after the render, with the renderer's objects released.
            var all = samples.withLock { $0 }
            all.append(Sample(seconds: now(), frames: frameCount, rssMiB: residentMiB(), fileDescriptors: openFileDescriptors(),
                              glObjects: gl.census.snapshot))
            writeCSV(all, to: folder + "/samples.csv")
            printFlushed(String(format: "rendered %d frames in %.0f s (%.1f fps), %.1f MB of H.264", summary.frames, summary.seconds,
                         Double(summary.frames) / summary.seconds, Double(summary.bytes) / 1e6))
            return judge(Array(all.dropLast()), frameCount: frameCount, bounds: Bounds())
        } catch {
            printFlushed("soak: FAILED: \(error)")
            return false
        }
    }

    /// Compares every sample after the warm-up with the last sample of it and prints the verdict.
    static func judge(_ samples: [Sample], frameCount: Int, bounds: Bounds) -> Bool {
        let warmUpFrames = max(300, frameCount / 10)
        let after = samples.filter { $0.frames > warmUpFrames }
        guard let base = samples.last(where: { $0.frames <= warmUpFrames }), let end = after.last, after.count >= 3 else {
            printFlushed("soak: FAILED, too few samples after the warm-up of \(warmUpFrames) frames (a longer run or a shorter SOAK_INTERVAL)")
            return false
        }
        let rssMax = after.map(\.rssMiB).max() ?? 0, fdMax = after.map(\.fileDescriptors).max() ?? 0
        let glMax = after.map(\.glTotal).max() ?? 0
        // The trend over the samples after the warm-up, per ten minutes of render time.
        let slope = leastSquaresSlope(after.map { ($0.seconds, $0.rssMiB) }) * 600
        let checks: [(String, String, String, String, Bool)] = [
            ("resident memory MiB", String(format: "%.1f", base.rssMiB), String(format: "%.1f (end %.1f)", rssMax, end.rssMiB),
             String(format: "+%.0f", bounds.rssMiB), rssMax <= base.rssMiB + bounds.rssMiB),
            ("open file descriptors", "\(base.fileDescriptors)", "\(fdMax) (end \(end.fileDescriptors))",
             "+\(bounds.fileDescriptors)", fdMax <= base.fileDescriptors + bounds.fileDescriptors),
            ("live GL objects", "\(base.glTotal)", "\(glMax) (end \(end.glTotal))", "+\(bounds.glObjects)",
             glMax <= base.glTotal + bounds.glObjects),
        ]
        printFlushed("")
        printFlushed("after a warm-up of \(warmUpFrames) frames; \(samples.count) samples, \(after.count) after it")
        printFlushed("figure                    at warm-up   max after warm-up      bound   result")
        for (name, at, max, bound, ok) in checks {
            printFlushed(name.padding(toLength: 26, withPad: " ", startingAt: 0) + at.padding(toLength: 13, withPad: " ", startingAt: 0)
                  + max.padding(toLength: 23, withPad: " ", startingAt: 0) + bound.padding(toLength: 8, withPad: " ", startingAt: 0)
                  + (ok ? "ok" : "GREW"))
        }
        printFlushed(String(format: "RSS trend after the warm-up: %+.2f MiB per 10 min of rendering", slope))
        let kinds = Set(base.glObjects.keys).union(end.glObjects.keys).sorted { $0.rawValue < $1.rawValue }
        printFlushed("GL objects by kind (warm-up → end): " + kinds.map { "\($0.rawValue) \(base.glObjects[$0] ?? 0)→\(end.glObjects[$0] ?? 0)" }.joined(separator: ", "))
        let passed = checks.allSatisfy(\.4)
        printFlushed(passed ? "soak: passed" : "soak: FAILED, a figure grew past its bound after the warm-up")
        return passed
    }

    /// Prints and flushes, so `make soak | tee` shows progress as it happens.
    static func printFlushed(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func leastSquaresSlope(_ points: [(Double, Double)]) -> Double {
        guard points.count >= 2 else { return 0 }
        let n = Double(points.count)
        let mx = points.map(\.0).reduce(0, +) / n, my = points.map(\.1).reduce(0, +) / n
        let sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        let sxy = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : 0
    }

    static func residentMiB() -> Double { procStatusMiB("VmRSS") ?? 0 }

    static func openFileDescriptors() -> Int {
        // The listing opens one descriptor of its own; it is there in every sample alike.
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    static func writeCSV(_ samples: [Sample], to path: String) {
        var text = "seconds,frames,rss_mib,fds,gl_objects\n"
        for s in samples { text += String(format: "%.1f,%d,%.1f,%d,%d\n", s.seconds, s.frames, s.rssMiB, s.fileDescriptors, s.glTotal) }
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
