import Logging
import ServiceLifecycle
import WardenStore

/// Owns the database: the last service to stop, it checkpoints the WAL into the main file and
/// closes it once everything that writes has stopped.
struct StoreService: Service {
    let store: UsageStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await BlockingWork.run { [store] in store.close() }
        logger.info("stopped")
    }
}
