import Foundation
import Reel

/// `make bench`: draw speed of Reel's renderer (evaluate + draw + readback, no encoding)
/// beside the hand-written ModernGL yardstick in ../shared/bench, measured in the same run.
/// Prints tables of medians; it is a measurement, not a test.
/// First the dispatch simulation (no GL needed); `reel-bench dispatch` prints only that.

/// Frames per second of evaluate + draw + readback, the way the render pipeline runs them:
/// the timeline is evaluated on one thread a few frames ahead, the GL thread draws and reads
/// back through the readback ring (pixel-pack buffers, asynchronously), and a reader thread
/// takes each frame as it arrives and hands it back, as a sink does before its own work.
/// `frames` limits the measure to some of the scene's frames.
func measure(_ scene: Scene, gl: HeadlessGL, yuv: Bool = false, frames: Range<Int>? = nil) throws -> Double {
    let range = frames ?? 0..<scene.canvas.frameCount
    let ahead = Lookahead<FrameState>(capacity: 3)
    let arrived = Lookahead<ReadbackFrame?>(capacity: 3)
    return try gl.sync { context in
        let renderer = try FrameRenderer(context: context)
        let ring = ReadbackRing(context: context, layout: yuv ? .yuv420(rgba: false) : .rgba, depth: 3)
        defer {
            ring.release()
            renderer.release()
        }
        // Warm up: shaders, targets, the ring's buffers.
        for _ in 0..<2 {
            try renderer.render(Timeline.evaluate(scene, frame: range.lowerBound, plugins: .standard), readingInto: ring)
            while let frame = try ring.collect(keepingInFlight: 0) { frame.release() }
        }
        let reader = Thread {
            while let frame = arrived.take() { frame.release() }
        }
        reader.start()
        let start = DispatchTime.now().uptimeNanoseconds
        let producer = Thread {
            for k in range { ahead.put(Timeline.evaluate(scene, frame: k, plugins: .standard)) }
        }
        producer.start()
        for _ in range {
            try renderer.render(ahead.take(), readingInto: ring)
            while let frame = try ring.collect(keepingInFlight: 1) { arrived.put(frame) }
        }
        while let frame = try ring.collect(keepingInFlight: 0) { arrived.put(frame) }
        arrived.put(nil)
        ring.release()  // waits for the reader to hand every frame back
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(range.count) / seconds
    }
}

/// A bounded hand-over between one producer and one consumer thread.
final class Lookahead<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [T] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ item: T) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    func take() -> T {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}

func yardstick(python: String, folder: String) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["mgl_orbits.py", "none"]
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // "render+readback=5.30s (113.2 fps)"
    guard let range = output.range(of: #"render\+readback=[0-9.]+s \(([0-9.]+) fps\)"#, options: .regularExpression) else { return nil }
    let match = output[range]
    return match.split(separator: "(").last.flatMap { Double($0.split(separator: " ").first ?? "") }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// User + system CPU seconds of this process so far, all threads (llvmpipe's included).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Timeline evaluation alone, frames per second.
func measureEvaluation(_ scene: Scene) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    var count = 0
    for k in 0..<scene.canvas.frameCount { count += Timeline.evaluate(scene, frame: k, plugins: .standard).layers.count }
    precondition(count > 0)
    return Double(scene.canvas.frameCount) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

let environment = ProcessInfo.processInfo.environment
let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 3
let python = environment["YARDSTICK_PYTHON"]
let benchFolder = environment["YARDSTICK_DIR"] ?? "../shared/bench"

// `reel-bench soak` (make soak): a long render watched for growth, and nothing else.
if CommandLine.arguments.dropFirst().first == "soak" { exit(SoakBench.run(environment: environment) ? 0 : 1) }

// The dispatch simulation needs no GL, so it runs first and prints even where GL fails.
let dispatchOnly = CommandLine.arguments.dropFirst().contains("dispatch")
if dispatchOnly || environment["BENCH_DISPATCH"] != "0" { DispatchBench.run() }
if dispatchOnly { exit(0) }

do {
    let gl = try HeadlessGL.open()
    defer { gl.close() }
    print("renderer: \(gl.info.renderer) (\(gl.info.isSoftware ? "software" : "hardware")), \(rounds) rounds, interleaved")
    // `reel-bench masks`: where masked layers' time goes, and nothing else.
    if CommandLine.arguments.dropFirst().first == "masks" {
        let cases: [(String, Scene)] = [
            ("3 cards, MSAA 4×", try Workloads.masks(masked: false)), ("3 cards masked, MSAA 4×", try Workloads.masks(masked: true)),
            ("3 cards, no MSAA", try Workloads.masks(masked: false, samples: 1)), ("3 cards masked, no MSAA", try Workloads.masks(masked: true, samples: 1)),
        ]
        var results: [String: [Double]] = [:]
        for _ in 1...rounds { for (name, scene) in cases { results[name, default: []].append(try measure(scene, gl: gl)) } }
        for (name, _) in cases { print(name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%7.1f fps", median(results[name] ?? []))) }
        exit(0)
    }
    let orbits = try Workloads.orbits(), circles = Workloads.circles()
    if environment["BENCH_PARTS"] != nil {
        print(String(format: "evaluate only: orbits %.0f fps, circles %.0f fps", measureEvaluation(orbits), measureEvaluation(circles)))
        var empty = orbits
        empty.layers = []
        for (name, scene) in [("orbits", orbits), ("empty canvas", empty)] {
            for yuv in [false, true] {
                let cpu = processCPUSeconds()
                let fps = try measure(scene, gl: gl, yuv: yuv)
                let perFrame = (processCPUSeconds() - cpu) / Double(scene.canvas.frameCount + 1) * 1000
                print(String(format: "%@ draw + %@ readback: %.1f fps, %.1f ms of CPU a frame (all threads)",
                             name, yuv ? "YUV convert +" : "RGBA", fps, perFrame))
            }
        }
    }
    let plainCards = try Workloads.masks(masked: false), maskedCards = try Workloads.masks(masked: true)
    var reelOrbits: [Double] = [], reelOrbitsYUV: [Double] = [], reelCircles: [Double] = [], mgl: [Double] = [], plain: [Double] = [],
        masked: [Double] = []
    for round in 1...rounds {
        reelOrbits.append(try measure(orbits, gl: gl))
        reelOrbitsYUV.append(try measure(orbits, gl: gl, yuv: true))
        if let python, let fps = yardstick(python: python, folder: benchFolder) { mgl.append(fps) }
        reelCircles.append(try measure(circles, gl: gl))
        plain.append(try measure(plainCards, gl: gl))
        masked.append(try measure(maskedCards, gl: gl))
        FileHandle.standardError.write(Data("round \(round)/\(rounds) done\n".utf8))
    }
    func row(_ name: String, _ values: [Double], _ reference: Double?) -> String {
        let m = median(values)
        let ratio = reference.map { String(format: "%.2f", m / $0) } ?? "—"
        let all = values.map { String(format: "%.1f", $0) }.joined(separator: " ")
        return name.padding(toLength: 52, withPad: " ", startingAt: 0)
            + String(format: "%8.1f", m).padding(toLength: 10, withPad: " ", startingAt: 0) + ratio.padding(toLength: 8, withPad: " ", startingAt: 0) + all
    }
    let reference = mgl.isEmpty ? nil : median(mgl)
    print("")
    print("workload (draw + readback, no encoding)".padding(toLength: 52, withPad: " ", startingAt: 0) + "fps       ÷ mgl   rounds")
    if let reference { print(row("ModernGL yardstick, orbits (mgl_orbits.py none)", mgl, reference)) }
    print(row("Reel, orbits 1920×1080 (200 circles + square)", reelOrbits, reference))
    print(row("Reel, orbits, YUV 4:2:0 (+ GPU conversion)", reelOrbitsYUV, reference))
    print(row("Reel, 10 000 circles r 4–12 px, 1920×1080", reelCircles, nil))
    print(row("Reel, 3 cards 1280×720 MSAA 4×", plain, nil))
    print(row("Reel, the 3 cards each masked (÷ unmasked)", masked, median(plain)))
    if reference == nil { print("(yardstick not run: set YARDSTICK_PYTHON to a python with moderngl; `make bench` does)") }

    if environment["BENCH_ENCODE"] != "0" {
        // Encoding: interleaved rounds of Reel's CLI, the floor and the yardstick's pipe.
        let folder = ".build/bench"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sceneFile = Workloads.orbitsFile
        let reelBinary = environment["REEL_BINARY"] ?? ".build/release/reel"
        var reelTimes: [Double] = [], reelRSS: [Double] = [], floors: [Double] = [], pipes: [Double] = [], draws: [Double] = []
        let frameCount = Double(orbits.canvas.frameCount)
        for round in 1...rounds {
            let run = EncodingBench.timed(reelBinary, ["render", sceneFile, "-o", folder + "/orbits.mp4", "--overwrite", "--progress", "none"])
            if run.ok { reelTimes.append(run.seconds); reelRSS.append(run.peakMB) }
            floors.append(try EncodingBench.floor(gl: gl, output: folder + "/floor.mp4"))
            // Drawing alone, as the render draws for H.264: converted to YUV and read back.
            draws.append(frameCount / (try measure(orbits, gl: gl, yuv: true)))
            if let python {
                // Python puts the script's own folder on its path, so scene.py is found.
                let script = URL(fileURLWithPath: benchFolder).appendingPathComponent("mgl_orbits.py").standardizedFileURL.path
                let pipe = EncodingBench.timed(python, [script, "pipe", FileManager.default.currentDirectoryPath + "/" + folder + "/mgl.mp4"])
                if pipe.ok { pipes.append(pipe.seconds) }
            }
            FileHandle.standardError.write(Data("encoding round \(round)/\(rounds) done\n".utf8))
        }
        let floor = median(floors)
        // On a CPU box drawing and encoding share the cores, so the render's limit is the
        // encoder alone plus the drawing alone; the sum is taken round by round.
        let sums = zip(floors, draws).map { $0 + $1 }
        let limit = median(sums)
        print("")
        print("orbits → H.264 (libx264 veryfast, crf 20, yuv420p), 600 frames   seconds    fps   ÷ floor  ÷ floor+draw  ÷ mgl pipe")
        func line(_ name: String, _ values: [Double], pipe: Double?) -> String {
            let m = median(values)
            let p = pipe.map { String(format: "%.2f", m / $0) } ?? "—"
            return name.padding(toLength: 66, withPad: " ", startingAt: 0)
                + String(format: "%7.2f  %5.1f   %6.2f   %8.2f      ", m, frameCount / m, m / floor, m / limit) + p
        }
        let pipe = pipes.isEmpty ? nil : median(pipes)
        print(line("floor: the same frames as YUV in memory, encoder alone", floors, pipe: pipe))
        print(line("draw alone: evaluate + draw + YUV readback, no encoding", draws, pipe: pipe))
        print(line("floor + draw alone (the limit where both share the CPU)", sums, pipe: pipe))
        if reelTimes.isEmpty { print("Reel render: failed (is \(reelBinary) built?)") } else {
            print(line("Reel: reel render Scenes/bench/orbits.yaml -o orbits.mp4", reelTimes, pipe: pipe))
        }
        if let pipe { print(line("ModernGL yardstick piping into ffmpeg (mgl_orbits.py pipe)", pipes, pipe: pipe)) }
        if !reelRSS.isEmpty { print(String(format: "Reel peak RSS: %.0f MB (median of %d)", median(reelRSS), reelRSS.count)) }
    }
    if environment["BENCH_PNG"] != "0" {
        // PNG sequences: Reel's whole render (scene to files) against FFmpeg's encoder alone on
        // the same frames held in memory, both at zlib level 6 (both tools' default) and with
        // no row filter (FFmpeg's default prediction).
        let count = 120, folder = ".build/bench"
        let frames = try PNGBench.frames(orbits, count: count, gl: gl)
        let reelBinary = environment["REEL_BINARY"] ?? ".build/release/reel"
        let levels = [1, 6]
        var reelRates: [Int: [Double]] = [:], ffmpegRates: [Int: [Double]] = [:], encodeRates: [Int: [Double]] = [:]
        var reelBytes: [Int: Int] = [:], ffmpegBytes: [Int: Int] = [:], encodeBytes: [Int: Int] = [:]
        var renderSeconds: [Int: [Double]] = [:], sumSeconds: [Int: [Double]] = [:], drawSeconds: [Double] = [], startupSeconds: [Double] = []
        for round in 1...rounds {
            // Drawing alone, as the render draws for PNG: the same frames, read back as RGBA.
            let draw = Double(count) / (try measure(orbits, gl: gl, frames: 0..<count))
            drawSeconds.append(draw)
            // What every `reel render` pays once, whatever its length: loading the process and
            // its libraries, the scene, a GL context and the first frame's programs. A 120-frame
            // render carries it whole; the encode-alone and draw-alone rows run in this process.
            try? FileManager.default.removeItem(atPath: folder + "/png1")
            let one = EncodingBench.timed(reelBinary, ["render", Workloads.orbitsFile, "-o", folder + "/png1/####.png", "--frames", "0-0",
                                                        "--png-compression", "1", "--png-filter", "none", "--overwrite", "--progress", "none"])
            if one.ok { startupSeconds.append(one.seconds) }
            for level in levels {
                try? FileManager.default.removeItem(atPath: folder + "/png")
                let run = EncodingBench.timed(reelBinary, ["render", Workloads.orbitsFile, "-o", folder + "/png/####.png", "--frames", "0-\(count - 1)",
                                                            "--png-compression", String(level), "--png-filter", "none", "--overwrite", "--progress", "none"])
                let alone = try PNGBench.reel(frames, level: level, folder: folder + "/reelpng")
                encodeRates[level, default: []].append(Double(count) / alone.seconds)
                encodeBytes[level] = alone.bytes
                if run.ok {
                    reelRates[level, default: []].append(Double(count) / run.seconds)
                    renderSeconds[level, default: []].append(run.seconds)
                    sumSeconds[level, default: []].append(alone.seconds + draw)
                    reelBytes[level] = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/png")) ?? []).reduce(0) {
                        $0 + (((try? FileManager.default.attributesOfItem(atPath: folder + "/png/" + $1))?[.size] as? Int) ?? 0)
                    }
                }
                let ff = try PNGBench.ffmpeg(frames, level: level, folder: folder + "/ffpng")
                ffmpegRates[level, default: []].append(Double(count) / ff.seconds)
                ffmpegBytes[level] = ff.bytes
            }
            FileHandle.standardError.write(Data("png round \(round)/\(rounds) done\n".utf8))
        }
        print("")
        print("orbits → PNG sequence, \(count) frames 1920×1080 RGB, no row filter      fps      KB/frame  ÷ FFmpeg same level")
        for level in levels {
            let reference = median(ffmpegRates[level] ?? [])
            func pngLine(_ name: String, _ rates: [Double], _ bytes: Int) -> String {
                name.padding(toLength: 66, withPad: " ", startingAt: 0)
                    + String(format: "%6.1f   %7.0f    %5.2f", median(rates), Double(bytes) / Double(count) / 1024, median(rates) / reference)
            }
            print(pngLine("level \(level): FFmpeg's PNG encoder alone, frames in memory", ffmpegRates[level] ?? [], ffmpegBytes[level] ?? 0))
            print(pngLine("level \(level): Reel's PNG encoder alone, frames in memory", encodeRates[level] ?? [], encodeBytes[level] ?? 0))
            if let rates = reelRates[level] {
                print(pngLine("level \(level): Reel, reel render … -o png/####.png (render included)", rates, reelBytes[level] ?? 0))
            } else {
                print("level \(level): Reel render failed (is \(reelBinary) built?)")
            }
        }
        // On a CPU box drawing and PNG compression share the cores, so the render's limit is
        // Reel's encoder alone plus the drawing alone, summed round by round.
        print("")
        print("orbits → PNG sequence, \(count) frames: the render against its parts      seconds   ÷ encode+draw")
        print(String(format: "%@%7.2f", "draw alone: evaluate + draw + RGBA readback, no encoding".padding(toLength: 66, withPad: " ", startingAt: 0),
                     median(drawSeconds)))
        for level in levels {
            let limit = median(sumSeconds[level] ?? [])
            func partLine(_ name: String, _ seconds: Double) -> String {
                name.padding(toLength: 66, withPad: " ", startingAt: 0) + String(format: "%7.2f   %8.2f", seconds, seconds / limit)
            }
            print(partLine("level \(level): Reel's PNG encoder alone", Double(count) / median(encodeRates[level] ?? [])))
            print(partLine("level \(level): encode alone + draw alone (the limit)", limit))
            if let rendered = renderSeconds[level] {
                print(partLine("level \(level): Reel, reel render … -o png/####.png", median(rendered)))
                if !startupSeconds.isEmpty {
                    print(partLine("level \(level): the same render less its start-up (below)", median(rendered) - median(startupSeconds)))
                }
            }
        }
        if !startupSeconds.isEmpty {
            print(String(format: "%@%7.2f", "start-up: reel render --frames 0-0 (process, scene, GL, 1 frame)".padding(toLength: 66, withPad: " ", startingAt: 0),
                         median(startupSeconds)))
        }
    }
    // Memory over length: peak RSS of a 1-minute render, and of a 10-minute one with
    // BENCH_LONG=1 (about 20 minutes on a 2-core CPU, so not by default).
    if environment["BENCH_RSS"] != "0" {
        let reelBinary = environment["REEL_BINARY"] ?? ".build/release/reel"
        let durations = environment["BENCH_LONG"] == "1" ? [60, 600] : [60]
        var rows: [(Int, Double, Double)] = []
        for seconds in durations {
            let run = EncodingBench.timed(reelBinary, ["render", Workloads.orbitsFile, "-o", ".build/bench/long.mp4", "--set", "duration=\(seconds)s",
                                                        "--overwrite", "--progress", "none"])
            if run.ok { rows.append((seconds, run.seconds, run.peakMB)) }
            FileHandle.standardError.write(Data("\(seconds) s render done\n".utf8))
        }
        print("")
        print("orbits → H.264, memory over length                                 frames   seconds   peak RSS MB   ÷ 1 min")
        let base = rows.first?.2 ?? .nan
        for (seconds, wall, peak) in rows {
            print("Reel, \(seconds / 60)-minute render".padding(toLength: 66, withPad: " ", startingAt: 0)
                  + String(format: "%6d   %7.1f   %11.0f   %5.2f", seconds * 60, wall, peak, peak / base))
        }
        if durations.count == 1 { print("(BENCH_LONG=1 adds the 10-minute render, about 20 minutes here)") }
    }
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
