import Foundation
import Logging
import Synchronization
import WardenCore
import WardenStore

/// The rule engine's clock-driven work, once a second on its own thread: expiring unclaimed
/// reservations and rolling budget periods over (both audited), and, hourly, pruning audit rows
/// past the configured retention.
final class Ticker: Sendable {
    private let rules: RuleHost
    private let auditLog: AuditLog
    private let retention: RuleDuration?
    private let clock: any WallClock
    private let logger: Logger
    private let running = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    init(rules: RuleHost, auditLog: AuditLog, retention: RuleDuration?, clock: any WallClock, logger: Logger) {
        self.rules = rules
        self.auditLog = auditLog
        self.retention = retention
        self.clock = clock
        self.logger = logger
    }

    func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            var lastPrune = Int64.min
            while running.load(ordering: .acquiring) {
                rules.tick()
                let now = clock.now().nanosecondsSinceEpoch
                if let retention, lastPrune == Int64.min || now &- lastPrune >= 3_600_000_000_000 {
                    lastPrune = now
                    rules.audit.flush()
                    do {
                        let pruned = try auditLog.prune(before: Timestamp(nanosecondsSinceEpoch: now - retention.nanoseconds),
                                                         at: Timestamp(nanosecondsSinceEpoch: now))
                        if pruned > 0 { logger.info("audit rows pruned", metadata: ["rows": "\(pruned)", "retention": "\(retention)"]) }
                    } catch {
                        logger.error("pruning the audit log failed: \(error)")
                    }
                }
                // Sleep in short steps so that stop() returns promptly.
                for _ in 0..<10 where running.load(ordering: .acquiring) { usleep(100_000) }
            }
            stopped.signal()
        }
        thread.name = "tokenwarden-ticker"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        stopped.wait()
    }
}
