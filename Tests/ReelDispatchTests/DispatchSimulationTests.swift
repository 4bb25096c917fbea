import Testing
@testable import ReelDispatch

@Suite("DispatchSimulation")
struct DispatchSimulationTests {
    static func workload(workers: Int, seed: UInt64, frames: Int = 36_000) -> DispatchSimulation.Workload {
        var workload = DispatchSimulation.Workload()
        workload.workers = workers
        workload.seed = seed
        workload.frames = frames
        return workload
    }

    // A thousand workers takes seconds in a debug build; `reel-bench dispatch` runs them.
    @Test(arguments: [(10, 1), (100, 2), (100, 3), (300, 4)] as [(Int, UInt64)])
    func everyChunkIsDoneExactlyOnce(workers: Int, seed: UInt64) {
        let result = DispatchSimulation(Self.workload(workers: workers, seed: seed)).run()
        #expect(result.fatal == nil)
        #expect(result.completions.count == result.chunks)
        #expect(result.completions.allSatisfy { $0 == 1 })
        // Every attempt ends exactly one way.
        #expect(result.attempts == result.chunks + result.failures + result.cancelled)
    }

    @Test func theSameSeedGivesTheSameRun() {
        let a = DispatchSimulation(Self.workload(workers: 100, seed: 7)).run()
        let b = DispatchSimulation(Self.workload(workers: 100, seed: 7)).run()
        let c = DispatchSimulation(Self.workload(workers: 100, seed: 8)).run()
        #expect(a.makespan == b.makespan)
        #expect(a.attempts == b.attempts && a.copies == b.copies && a.failures == b.failures && a.cancelled == b.cancelled)
        #expect(a.makespan != c.makespan)
    }

    @Test func aPerfectFleetComesCloseToIdeal() {
        var workload = Self.workload(workers: 100, seed: 1)
        workload.workerSpread = 0
        workload.chunkNoise = 0
        workload.stragglerProbability = 0
        workload.failureProbability = 0
        let result = DispatchSimulation(workload).run()
        #expect(result.failures == 0)
        #expect(result.completions.allSatisfy { $0 == 1 })
        #expect(result.makespan >= result.ideal)
        #expect(result.ratio < 1.1)
    }

    /// The median ratio over the seeds `make bench` reports.
    static func medianRatio(workers: Int) -> Double {
        let ratios = (1...9).map { DispatchSimulation(Self.workload(workers: workers, seed: UInt64($0))).run().ratio }
        return ratios.sorted()[ratios.count / 2]
    }

    static let hundredWorkers = medianRatio(workers: 100)

    @Test func theDefaultWorkloadStaysWithinTwentyPercentOfIdealAtAHundredWorkers() {
        #expect(Self.hundredWorkers <= 1.2)
    }

    @Test func theDefaultWorkloadStaysWithinTenPercentOfIdealAtTenWorkers() {
        #expect(Self.medianRatio(workers: 10) <= 1.1)
    }

    /// The target is 1.15; the tuned policy reaches about 1.15–1.16 (see ChunkScheduler's
    /// and ChunkPlanner's notes). When it is met, this known issue stops being recorded and
    /// the test fails: drop the `withKnownIssue` then.
    @Test func theDefaultWorkloadMeetsItsTargetAtAHundredWorkers() {
        let ratio = Self.hundredWorkers
        withKnownIssue("median makespan ÷ ideal at 100 workers is \(ratio), target 1.15") {
            #expect(ratio <= 1.15)
        }
    }

    @Test func aJobThatFailsStopsTheSimulation() {
        var workload = Self.workload(workers: 10, seed: 1, frames: 2_000)
        workload.failureProbability = 1
        let result = DispatchSimulation(workload).run()
        #expect(result.fatal != nil)
        #expect(result.completions.allSatisfy { $0 == 0 })
    }
}
