import Logging
import ServiceLifecycle
import WardenCore
import WardenStore

/// Brings the state back at start and puts it away at shutdown.
///
/// Start: the ledger, with its period spend, from its checkpoint and the usage log, the active
/// overrides, the budgets' usage and steps, the reservations saved by the last graceful stop;
/// then the startup gate opens and the services waiting for it begin. Shutdown (after the HTTP server, the writer and the ticker have stopped,
/// so nothing can reserve, commit or release any more): the live reservations are saved, the
/// queued audit rows appended and the chain's head published.
struct EngineService: Service {
    let store: UsageStore
    let ledger: LiveLedger
    /// The periods of ``Ledger/periodSpend``, restored at start.
    let reporting: ReportingCalendar
    let clock: any WallClock
    let rules: RuleHost
    let overrides: OverrideGovernance
    let approvals: ApprovalGovernance
    let auditLog: AuditLog
    let audit: AuditSink
    let logger: Logger
    let gate: StartupGate

    func run() async throws {
        let started = ContinuousClock.now
        let restored = await BlockingWork.run { [self] in Result { try restore() } }
        switch restored {
        case .success(let ledgerState):
            let elapsed = ContinuousClock.now - started
            logger.info("restored", metadata: [
                "series": "\(ledgerState.seriesCount)", "requests": "\(ledgerState.grandTotal.requests)",
                "restore_seconds": "\(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)",
            ])
            gate.open()
        case .failure(let error):
            gate.fail()
            throw error
        }
        try? await gracefulShutdown()
        await BlockingWork.run { [self] in putAway() }
    }

    private func restore() throws -> Ledger {
        let restored = try store.restoreLedger(labelKeys: ledger.read { $0.labelKeys }, seriesLimit: ledger.read { $0.seriesLimit },
                                               reportingWindows: reporting.windows(containing: clock.now()))
        ledger.replace(with: restored)
        // Before the usage replay, so the budgets are restored against their effective limits;
        // what expired while the server was down is expired now, with its audit row.
        try overrides.start()
        try approvals.start()
        try rules.restore(audited: auditLog.lastBudgetSteps())
        do {
            rules.restoreReservations(try store.takeSavedReservations())
        } catch {
            // They are holds, not usage: starting without them beats not starting.
            logger.error("saved reservations could not be read; starting without them", metadata: ["error": "\(error)"])
        }
        return restored
    }

    private func putAway() {
        let reservations = rules.savedReservations()
        do {
            try store.saveReservations(reservations)
            if !reservations.isEmpty { logger.info("reservations saved", metadata: ["reservations": "\(reservations.count)"]) }
        } catch {
            logger.error("live reservations could not be saved; the next start begins without them", metadata: ["error": "\(error)"])
        }
        audit.flush()
        auditLog.publishHead(reason: "shutdown")
    }
}
