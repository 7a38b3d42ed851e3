import Logging
import Synchronization
import WardenCore
import WardenStore

/// A transaction on a table of ``GovernedRecord``s (overrides, approvals).
protocol GovernedTransaction {
    associatedtype Record: GovernedRecord
    func live() throws -> [Record]
    func update(_ record: Record) throws
}

extension OverrideTransaction: GovernedTransaction {}
extension ApprovalTransaction: GovernedTransaction {}

/// The time side that overrides and approvals share: which records time has ended, and when to
/// look again.
///
/// A running server ticks once a second; a tick reads only the table's generation unless the
/// table changed (the command line, another process) or the earliest deadline noted after the
/// last change has passed.
final class GovernanceDeadlines: Sendable {
    /// The table generation last seen, and the earliest deadline among the live records then.
    private let seen = Mutex<(generation: Int64, deadline: Timestamp?)>((-1, nil))

    /// Whether a tick at `now` must expire (the table moved to `generation`, or a deadline passed).
    func mustLook(generation: Int64, at now: Timestamp) -> Bool {
        seen.withLock { seen in seen.generation != generation || seen.deadline.map { now >= $0 } ?? false }
    }

    /// After a change: the generation it committed and the live records it left.
    func note<Record: GovernedRecord>(generation: Int64, live: [Record]) {
        let deadline = live.compactMap(\.nextDeadline).min()
        seen.withLock { $0 = (generation, deadline) }
    }

    /// Once a second: `expire` when ``mustLook(generation:at:)`` says so; a failure is logged
    /// as `failure` and retried on the next tick.
    func tick(at now: Timestamp, generation: () throws(StoreError) -> Int64, expire: () throws(OverrideError) -> Void,
              logger: Logger, failure: Logger.Message) {
        do {
            guard mustLook(generation: try generation(), at: now) else { return }
            try expire()
        } catch {
            logger.error(failure, metadata: ["error": "\(error)"])
        }
    }

    /// Expires the live records due at `now` in `transaction`, each with its audit row (made by
    /// `event` from the expired record, with what it `was` and when it was `due` in the detail).
    static func expire<Transaction: GovernedTransaction>(
        in transaction: Transaction, at now: Timestamp, event: (Transaction.Record) -> AuditEvent
    ) throws -> [AuditEvent] {
        var events: [AuditEvent] = []
        for var record in try transaction.live() where record.isDue(at: now) {
            let deadline = record.nextDeadline ?? now
            let was = record.statusName
            record.markExpired()
            record.ended = now
            try transaction.update(record)
            var row = event(record)
            row.detail["was"] = .text(was)
            row.detail["due"] = .text(deadline.rfc3339)
            events.append(row)
        }
        return events
    }
}

extension OverrideError {
    /// A failed governance transaction as the caller sees it: its own refusal as it is, anything
    /// else a storage error (`changing` says what was being changed).
    static func from(_ error: any Error, changing what: String) -> OverrideError {
        switch error {
        case let error as OverrideError: error
        case let error as StoreError: OverrideError(.storage, error.message)
        default: OverrideError(.storage, "changing the \(what) failed: \(error)")
        }
    }
}
