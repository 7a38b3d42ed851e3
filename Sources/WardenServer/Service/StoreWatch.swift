import Foundation
import Logging
import Synchronization
import WardenStore

/// Once a second, checks that the database file is still the one the store opened; when it is
/// not, readiness goes false for good, so ingest and checks answer 503 instead of acknowledging
/// usage into a file no one can reach (see ``DatabaseFileIdentity``).
final class StoreWatch: Sendable {
    private let identity: DatabaseFileIdentity
    private let readiness: Readiness
    private let logger: Logger
    private let running = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    init(identity: DatabaseFileIdentity, readiness: Readiness, logger: Logger) {
        self.identity = identity
        self.readiness = readiness
        self.logger = logger
    }

    func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                if let problem = identity.problem() {
                    logger.critical("\(problem); usage and checks are refused until an operator restarts the server",
                                    metadata: ["path": "\(identity.path)"])
                    readiness.markFailed(problem)
                    break
                }
                for _ in 0..<10 where running.load(ordering: .acquiring) { usleep(100_000) }
            }
            stopped.signal()
        }
        thread.name = "tokenwarden-store-watch"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        stopped.wait()
    }
}
