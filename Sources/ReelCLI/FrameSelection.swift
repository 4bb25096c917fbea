import Foundation
import Reel
import ReelCore

/// `--frames`: which part of the scene to render, in the scene's own frames (the numbers
/// `reel info` shows) or in seconds, whatever rate the output is drawn at. `--fps` and
/// `--quality` change how many frames the part becomes, never which part it is.
enum FrameSelection {
    /// Parses `A-B`, `A-` (to the end) or `A`, each a frame number or a time (`1s`, `500ms`,
    /// `1.5s`; `90f` is frame 90), into scene frames.
    /// - Throws: `E-CLI-ARGUMENT` naming the scene's frames.
    static func parse(_ text: String, frameCount: Int, fps: Double) throws -> ClosedRange<Int> {
        let scope = "the scene has frames 0-\(frameCount - 1) (\(frameCount) at \(fps.clean) fps, \(SceneTime.seconds(Double(frameCount) / fps)))"
        let bad = ReelError(.badArgument, "--frames \(text) is not a frame range",
                            detail: "write A-B, A- (to the end) or A, as frame numbers or times (0-59, 2s-4s, 90-); \(scope)")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 1 || parts.count == 2, !parts[0].isEmpty else { throw bad }
        /// A part as a scene frame: numbers are frames; a time is the first frame shown at or
        /// after it (`end`: the last frame before it).
        func frame(_ part: String, end: Bool) -> Int? {
            if part.allSatisfy(\.isNumber) { return Int(part).map { end ? $0 + 1 : $0 } }
            guard let time = SceneTime(parsing: part) else { return nil }
            if case let .frames(f) = time { return end ? f + 1 : f }
            let seconds = time.seconds(fps: fps)
            guard seconds.isFinite, seconds >= 0, seconds * fps < 1e12 else { return nil }
            return Int((seconds * fps - 1e-6).rounded(.up))
        }
        guard let first = frame(parts[0], end: false) else { throw bad }
        let last: Int
        if parts.count == 1 {
            last = first
        } else if parts[1].isEmpty {
            last = frameCount - 1
        } else {
            guard let end = frame(parts[1], end: true) else { throw bad }
            last = end - 1
        }
        guard last >= first else { throw bad }
        guard first < frameCount, last < frameCount else {
            throw ReelError(.badArgument, "--frames \(text) goes past the last frame, \(frameCount - 1)", detail: scope)
        }
        return first...last
    }

    /// The output frames, at `outputFPS`, that show the time scene frames `range` (at
    /// `sceneFPS`) cover: [first / sceneFPS, (last + 1) / sceneFPS). At least one.
    static func outputFrames(_ range: ClosedRange<Int>, sceneFPS: Double, outputFPS: Double, outputCount: Int) -> ClosedRange<Int> {
        guard sceneFPS != outputFPS else { return range }
        let start = Double(range.lowerBound) / sceneFPS, end = Double(range.upperBound + 1) / sceneFPS
        let first = min(max(Int((start * outputFPS - 1e-6).rounded(.up)), 0), outputCount - 1)
        let last = min(max(Int((end * outputFPS - 1e-6).rounded(.up)) - 1, first), outputCount - 1)
        return first...last
    }
}
