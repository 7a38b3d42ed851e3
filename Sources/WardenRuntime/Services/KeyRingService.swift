import Logging
import ServiceLifecycle
import WardenStore

/// Keeps the ``KeyRing`` in step with `api_key`: four times a second it reads the table's
/// generation (one row) and, when a key was created, rotated or revoked on the same file (by
/// `tokenwarden keys`, or another server), reads the keys again, so a change takes effect within
/// a second; and it writes when keys were last used. Runs from the start (keys guard requests
/// before the restore ends too) until shutdown, writing the last uses once more on the way out.
struct KeyRingService: Service {
    let ring: KeyRing
    let logger: Logger

    static let interval = Duration.milliseconds(250)

    func run() async throws {
        try? await cancelWhenGracefulShutdown { [ring, logger] in
            var failing = false
            while !Task.isCancelled {
                let error = await BlockingWork.run { () -> String? in
                    do throws(StoreError) {
                        try ring.refreshIfChanged()
                        try ring.writeUses()
                        return nil
                    } catch {
                        return error.message
                    }
                }
                // Logged when it starts and when it stops failing, not four times a second.
                if let error, !failing {
                    logger.error("reading the API keys failed; the keys as last read stay in force", metadata: ["error": "\(error)"])
                } else if error == nil, failing {
                    logger.notice("reading the API keys works again")
                }
                failing = error != nil
                try await Task.sleep(for: Self.interval)
            }
        }
        await BlockingWork.run { [ring] in try? ring.writeUses() }
    }
}
