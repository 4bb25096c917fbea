import Foundation
import ReelCLI
import ReelDispatch

extension TestFaults {
    /// `REEL_WORKER_FAULT` (`corrupt`, `hang`): how a worker misbehaves on purpose, so the
    /// coordinator's checks can be tested against real workers. None when unset.
    static var worker: WorkerFault? {
        ProcessInfo.processInfo.environment["REEL_WORKER_FAULT"].flatMap(WorkerFault.init(rawValue:))
    }
}
