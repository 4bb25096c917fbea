import Testing
@testable import ReelDispatch

@Suite("ChunkPlanner")
struct ChunkPlannerTests {
    /// Jobs from one worker to a thousand, tiny to long, cheap frames to heavy ones.
    static let planners: [(ChunkPlanner, ClosedRange<Int>)] = [
        (ChunkPlanner(slots: 1, secondsPerFrame: 0.25), 0...999),
        (ChunkPlanner(slots: 10, secondsPerFrame: 0.25), 0...35_999),
        (ChunkPlanner(slots: 100, secondsPerFrame: 0.25), 0...35_999),
        (ChunkPlanner(slots: 1000, secondsPerFrame: 0.25), 0...35_999),
        (ChunkPlanner(slots: 7, secondsPerFrame: 0.01, overheadSeconds: 2, warmUpFrames: 30), 120...5_119),
        (ChunkPlanner(slots: 3, secondsPerFrame: 2, overheadSeconds: 0.5, maxChunkSeconds: 30), 0...999),
        (ChunkPlanner(slots: 50, secondsPerFrame: 0.1), 10...12),
    ]

    @Test(arguments: planners)
    func coversEveryFrameExactlyOnceInOrder(_ planner: ChunkPlanner, _ frames: ClosedRange<Int>) {
        let chunks = planner.plan(frames)
        #expect(chunks.first?.lowerBound == frames.lowerBound)
        #expect(chunks.last?.upperBound == frames.upperBound)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.lowerBound == previous.upperBound + 1)
        }
        #expect(chunks.map(\.count).reduce(0, +) == frames.count)
    }

    @Test(arguments: planners)
    func noChunkIsShorterThanTheMinimumOrLongerThanTheMaximum(_ planner: ChunkPlanner, _ frames: ClosedRange<Int>) {
        let chunks = planner.plan(frames)
        if frames.count < planner.minimumFrames {
            #expect(chunks == [frames])
        } else {
            #expect(chunks.allSatisfy { $0.count >= planner.minimumFrames })
        }
        #expect(chunks.allSatisfy { $0.count <= planner.maximumFrames })
    }

    @Test(arguments: planners)
    func chunksNeverGrowTowardsTheEnd(_ planner: ChunkPlanner, _ frames: ClosedRange<Int>) {
        let sizes = planner.plan(frames).map(\.count)
        for (previous, next) in zip(sizes, sizes.dropFirst()) {
            #expect(next <= previous)
        }
    }

    @Test func bigJobsStartBigAndEndAtTheMinimum() {
        let planner = ChunkPlanner(slots: 100, secondsPerFrame: 0.25)
        let sizes = planner.plan(0...35_999).map(\.count)
        #expect(sizes.first! > 4 * planner.minimumFrames)
        #expect(sizes.last! < 2 * planner.minimumFrames)
    }

    @Test func theMinimumKeepsOverheadToASeventh() {
        let planner = ChunkPlanner(slots: 10, secondsPerFrame: 0.25, overheadSeconds: 0.5, warmUpFrames: 2)
        let overhead = 0.5 + 2 * 0.25
        #expect(overhead / (overhead + Double(planner.minimumFrames) * 0.25) <= 1.0 / 7 + 1e-12)
        #expect(overhead / (overhead + Double(planner.minimumFrames - 1) * 0.25) > 1.0 / 7)
    }

    /// Slot counts from 1 to 40, every length to 400 frames, cheap and dear frames, loose and
    /// tight maximums: the properties above, exhaustively over small jobs.
    @Test func thePropertiesHoldForEverySmallJob() {
        var broken: [String] = []
        for (secondsPerFrame, overhead, maxSeconds) in [(0.25, 0.5, 120.0), (1.0, 2.0, 30.0), (0.05, 0.5, 5.0), (2.0, 0.5, 30.0)] {
            for slots in Array(1...12) + [16, 25, 40] {
                let planner = ChunkPlanner(slots: slots, secondsPerFrame: secondsPerFrame, overheadSeconds: overhead, maxChunkSeconds: maxSeconds)
                for count in 1...400 {
                    let chunks = planner.plan(7...(6 + count)), sizes = chunks.map(\.count)
                    let covers = chunks.first?.lowerBound == 7 && chunks.last?.upperBound == 6 + count
                        && zip(chunks, chunks.dropFirst()).allSatisfy { $1.lowerBound == $0.upperBound + 1 }
                    let shrinking = zip(sizes, sizes.dropFirst()).allSatisfy { $1 <= $0 }
                    // Where the maximum is under two minimums, the maximum wins.
                    let long = count < planner.minimumFrames || planner.maximumFrames < 2 * planner.minimumFrames
                        || sizes.allSatisfy { $0 >= planner.minimumFrames }
                    let short = sizes.allSatisfy { $0 <= planner.maximumFrames }
                    if !(covers && shrinking && long && short) { broken.append("\(slots) slots, \(count) frames: \(sizes)") }
                }
            }
        }
        #expect(broken.isEmpty, "\(broken.prefix(3))")
    }

    @Test func theMaximumKeepsAChunkWithinItsSeconds() {
        let planner = ChunkPlanner(slots: 1, secondsPerFrame: 0.5, maxChunkSeconds: 60)
        #expect(planner.maximumFrames == 120)
        #expect(planner.plan(0...9_999).allSatisfy { Double($0.count) * 0.5 <= 60 })
    }

    @Test func fixedChunksHaveTheGivenSizeAndAShorterLast() {
        #expect(ChunkPlanner.fixed(0...24, size: 10) == [0...9, 10...19, 20...24])
    }

    @Test func splitCutsOnlyChunksOverTheLimitIntoEvenPieces() {
        #expect(ChunkPlanner.split([0...7, 8...15, 16...19], atMost: 5) == [0...3, 4...7, 8...11, 12...15, 16...19])
        #expect(ChunkPlanner.split([0...9, 10...10], atMost: 3) == [0...2, 3...5, 6...7, 8...9, 10...10])
        #expect(ChunkPlanner.split([0...99], atMost: 100) == [0...99])
        #expect(ChunkPlanner.split([5...6], atMost: 0) == [5...5, 6...6])
    }
}
