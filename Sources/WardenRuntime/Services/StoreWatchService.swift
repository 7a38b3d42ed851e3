import Logging
import ServiceLifecycle
import WardenStore

/// Once a second, checks that the database file is still the one the store opened; when it is
/// not, readiness goes false for good, so ingest and checks answer 503 instead of acknowledging
/// usage into a file no one can reach (see ``DatabaseFileIdentity``).
struct StoreWatchService: Service {
    let identity: DatabaseFileIdentity
    let readiness: Readiness
    let logger: Logger
    let gate: StartupGate

    func run() async throws {
        await afterStartup(gate) { [identity, readiness, logger] in
            var reported = false
            while !Task.isCancelled {
                if !reported, let problem = identity.problem() {
                    logger.critical("\(problem); usage and checks are refused until an operator restarts the server",
                                    metadata: ["path": "\(identity.path)"])
                    readiness.markFailed(problem)
                    reported = true
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
