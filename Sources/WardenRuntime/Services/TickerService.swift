import Logging
import ServiceLifecycle
import Synchronization
import WardenCore
import WardenStore

/// The rule engine's clock-driven work, once a second: expiring unclaimed reservations, rolling
/// budget periods over and expiring overrides and approvals (all audited), and, hourly, pruning audit rows past the configured
/// retention.
struct TickerService: Service {
    let rules: RuleHost
    let overrides: OverrideGovernance
    let approvals: ApprovalGovernance
    let auditLog: AuditLog
    let retention: RuleDuration?
    let clock: any WallClock
    let logger: Logger
    let gate: StartupGate

    func run() async throws {
        let lastPrune = Mutex(Int64.min)
        await afterStartup(gate) { [rules, overrides, approvals, auditLog, retention, clock, logger] in
            await every(.seconds(1)) {
                rules.tick()
                overrides.tick()
                approvals.tick()
                guard let retention else { return }
                let now = clock.now().nanosecondsSinceEpoch
                let due = lastPrune.withLock { last -> Bool in
                    guard last == Int64.min || now &- last >= 3_600_000_000_000 else { return false }
                    last = now
                    return true
                }
                guard due else { return }
                rules.audit.flush()
                do {
                    let pruned = try auditLog.prune(before: Timestamp(nanosecondsSinceEpoch: now - retention.nanoseconds),
                                                     at: Timestamp(nanosecondsSinceEpoch: now))
                    if pruned > 0 { logger.info("audit rows pruned", metadata: ["rows": "\(pruned)", "retention": "\(retention)"]) }
                } catch {
                    logger.error("pruning the audit log failed: \(error)")
                }
            }
        }
    }
}
