import Logging
import ServiceLifecycle
import WardenStore

/// The usage writer's group-commit thread (on the ingest path, so a thread of its own, not a
/// task), started once the ledger is restored, and drained at shutdown after the HTTP server has
/// stopped taking requests: every acknowledged event is committed.
struct UsageWriterService: Service {
    let writer: UsageWriter
    let readiness: Readiness
    let logger: Logger
    let gate: StartupGate

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [gate] in try await gate.wait() }
        } catch {
            return
        }
        writer.start()
        readiness.markReady()
        logger.info("ready")
        try? await gracefulShutdown()
        await BlockingWork.run { [writer] in writer.stop() }
    }
}
