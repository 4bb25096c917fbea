import Foundation
import ReelDispatch

/// The dispatch half of `make bench` (alone: `reel-bench dispatch`): the coordinator's chunk
/// scheduler and planner, run in virtual time over simulated workers, against the ideal
/// makespan. No GL, no network; a few seconds in all.
enum DispatchBench {
    static let fleets = [10, 100, 1000]
    static let seeds: [UInt64] = Array(1...9)
    /// The makespan ÷ ideal the policy must reach at 100 workers.
    static let target = 1.15

    static func run() {
        let workload = DispatchSimulation.Workload()
        let clock = DispatchTime.now().uptimeNanoseconds
        print("")
        print("dispatch simulation, virtual time: \(workload.frames) frames (a 10-minute 60 fps video), "
              + String(format: "%.2f s a frame (heavy 4K scene + encode on a GPU worker), %.1f s a chunk besides;",
                       workload.secondsPerFrame, workload.overheadSeconds))
        print(String(format: "worker speed σ %.2f (fixed per worker), chunk noise σ %.2f, stragglers %.0f %% (%.0f–%.0f× longer), "
                     + "failures %.0f %% (retried); planner and scheduler defaults; medians of %d seeds",
                     workload.workerSpread, workload.chunkNoise, workload.stragglerProbability * 100,
                     workload.stragglerSlowdown.lowerBound, workload.stragglerSlowdown.upperBound,
                     workload.failureProbability * 100, seeds.count))
        print("workers  chunks  attempts  copies  failures  makespan s  ideal s   ratio  (range)      target         note")
        for workers in fleets {
            var results: [DispatchSimulation.Result] = []
            for seed in seeds {
                var job = workload
                job.workers = workers
                job.seed = seed
                results.append(DispatchSimulation(job).run())
            }
            // Medians over the jobs that finished; the note says if any failed.
            let finished = results.filter { $0.fatal == nil }
            func mid(_ value: (DispatchSimulation.Result) -> Double) -> Double { median(finished.map(value)) }
            let ratios = finished.map(\.ratio)
            let ratio = median(ratios)
            let targetText = workers == 100 ? (ratio <= target ? "≤ \(target) ok" : "≤ \(target) MISSED") : "—"
            var line = String(format: "%7d  %6.0f  %8.0f  %6.0f  %8.0f  %10.1f  %7.1f   %5.3f  (%.2f–%.2f)  ",
                              workers, mid { Double($0.chunks) }, mid { Double($0.attempts) }, mid { Double($0.copies) },
                              mid { Double($0.failures) }, mid(\.makespan), results[0].ideal, ratio,
                              ratios.min() ?? .nan, ratios.max() ?? .nan)
            line += targetText.padding(toLength: 15, withPad: " ", startingAt: 0)
            line += note(workers: workers, workload: workload, results: results)
            print(line)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        print(String(format: "(%d simulated jobs in %.2f s)", fleets.count * seeds.count, seconds))
    }

    /// Why a row's ratio is what it is, where the table alone would mislead.
    static func note(workers: Int, workload: DispatchSimulation.Workload, results: [DispatchSimulation.Result]) -> String {
        let failed = results.compactMap(\.fatal)
        if !failed.isEmpty { return "\(failed.count) of \(results.count) jobs failed: \(failed[0])" }
        var fleet = workload
        fleet.workers = workers
        let planner = ChunkPlanner(slots: workers, secondsPerFrame: workload.secondsPerFrame, overheadSeconds: workload.overheadSeconds)
        let shortest = Double(planner.minimumFrames) * workload.secondsPerFrame + workload.overheadSeconds
        if shortest * 4 > fleet.idealSeconds {
            return String(format: "ideal is only %.0f s, %.1f shortest chunks (%d frames + overhead = %.1f s): overhead, "
                          + "and each failure or straggler near the end, cost a whole chunk",
                          fleet.idealSeconds, fleet.idealSeconds / shortest, planner.minimumFrames, shortest)
        }
        return ""
    }
}
