import Dispatch
import Logging
import Synchronization
import WardenCore
import WardenStore

/// Appends the rule engine's audit rows to the hash-chained log off the request path.
///
/// Decisions are made under the engine's lock in microseconds; an SQLite append takes a
/// transaction. So rows are queued and one background drain appends everything queued so far in
/// one transaction, in the order the engine produced them (the chain's order is decision order).
/// ``flush()`` waits for everything queued: shutdown calls it, and so do tests and reloads that
/// must see their rows.
public final class AuditSink: Sendable {
    private let log: AuditLog
    private let logger: Logger
    private let queue = DispatchQueue(label: "tokenwarden.audit")
    private let pending = Mutex<(rows: [AuditEvent], scheduled: Bool)>(([], false))
    private let failures = Atomic<Int>(0)
    /// Called after each successful append: the rows' notifications were queued in the same
    /// transaction (``AuditLog/outbox``), so the dispatchers can look.
    private let appended: @Sendable () -> Void

    public init(log: AuditLog, logger: Logger, appended: @escaping @Sendable () -> Void = {}) {
        self.log = log
        self.logger = logger
        self.appended = appended
    }

    /// Rows that could not be appended (logged); exposed so an operator can alert on it.
    public var failedAppends: Int { failures.load(ordering: .relaxed) }

    public func submit(_ rows: [AuditEvent]) {
        guard !rows.isEmpty else { return }
        let schedule = pending.withLock { state -> Bool in
            state.rows += rows
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }

    private func drain() {
        let rows = pending.withLock { state -> [AuditEvent] in
            let rows = state.rows
            state.rows = []
            state.scheduled = false
            return rows
        }
        guard !rows.isEmpty else { return }
        do {
            _ = try log.append(rows)
            appended()
        } catch {
            failures.add(rows.count, ordering: .relaxed)
            logger.error("audit rows could not be appended", metadata: ["rows": "\(rows.count)", "error": "\(error)"])
        }
    }

    /// Returns once every row submitted before the call is in the log.
    public func flush() {
        queue.sync { self.drain() }
    }
}
