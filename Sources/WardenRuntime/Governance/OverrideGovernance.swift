import Foundation
import Logging
import Synchronization
import WardenCore
import WardenFormats
import WardenStore

/// What `POST /v1/overrides` and `tokenwarden overrides request` ask for, as given (validated
/// here, so both say the same about the same mistake).
public struct OverrideRequest: Sendable {
    public var budget: String
    /// The instance's labels, in the order given.
    public var instance: [(key: String, value: String)]
    public var change: String
    /// `"for"`: a duration such as `48h`.
    public var duration: String?
    /// `"until"`: an RFC 3339 time.
    public var until: String?
    public var reason: String

    public init(budget: String, instance: [(key: String, value: String)] = [], change: String, duration: String? = nil,
                until: String? = nil, reason: String) {
        self.budget = budget
        self.instance = instance
        self.change = change
        self.duration = duration
        self.until = until
        self.reason = reason
    }
}

/// Overrides with four eyes: requesting, approving, rejecting, revoking and expiring them, for
/// the HTTP API and the command line alike.
///
/// Every step is one transaction with its audit rows (kind `override`, the budget in `rule`,
/// the instance as the row's scope, the acting key as actor); after each, the active overrides
/// are handed to the rule engine (``apply``), so the next check sees the new limit. A running
/// server calls ``tick()`` every second: it expires what is due and notices changes made on the
/// same file by the command line.
public final class OverrideGovernance: Sendable {
    let store: UsageStore
    let auditLog: AuditLog
    public let settings: GovernanceSettings
    let clock: any WallClock
    /// The rules in force, to check a request's budget, instance and unit against.
    let rules: @Sendable () -> RuleSet
    /// Hands the active overrides to the engine (nothing offline).
    let apply: @Sendable ([BudgetOverride]) -> Void
    /// Called after each change's audit rows are appended: their notifications were queued in the
    /// same transaction, so the dispatchers can look.
    let appended: @Sendable () -> Void
    /// `privacy.pseudonymise`: an instance named by a raw user or session id means the instance
    /// of its pseudonym, as every other path takes it.
    let pseudonymisation: Pseudonymisation
    let logger: Logger
    private let deadlines = GovernanceDeadlines()
    /// One change at a time, from its transaction to the engine: two requests that commit in one
    /// order cannot hand their overrides to the engine in the other.
    private let changing = NSLock()

    public init(store: UsageStore, auditLog: AuditLog, settings: GovernanceSettings, clock: any WallClock,
                rules: @escaping @Sendable () -> RuleSet, apply: @escaping @Sendable ([BudgetOverride]) -> Void = { _ in },
                appended: @escaping @Sendable () -> Void = {}, pseudonymisation: Pseudonymisation = .none, logger: Logger) {
        self.store = store
        self.auditLog = auditLog
        self.settings = settings
        self.clock = clock
        self.rules = rules
        self.apply = apply
        self.appended = appended
        self.pseudonymisation = pseudonymisation
        self.logger = logger
    }

    // MARK: request

    public func request(_ request: OverrideRequest, by actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        if let roles = actor.roles, !(roles.allow(.check) || roles.allow(.read) || roles.allow(.approver)) {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"check\" (requesting an override needs check, read, approver or admin)",
                                missingRole: .check)
        }
        let now = clock.now()
        var problems: [OverrideTerms.Problem] = []
        var parsedChange: OverrideChange?
        do throws(OverrideChange.ParseError) { parsedChange = try OverrideChange(parsing: request.change) } catch {
            problems.append(.init(field: "change", message: error.message))
        }
        var target: [AuditLabel]?
        if let parsedChange {
            let instance = request.instance.map { (key: $0.key, value: pseudonymisation.value($0.value, of: $0.key)) }
            switch rules().overrideTarget(budget: request.budget, instance: instance, change: parsedChange) {
            case .success(let labels): target = labels
            case .failure(let problem): problems.append(problem)
            }
        } else if !rules().budgets.contains(where: { $0.name == request.budget }) {
            problems.append(.init(field: "budget", message: "no budget named \"\(request.budget)\""))
        }
        var terms: (duration: RuleDuration?, until: Timestamp?)?
        switch OverrideTerms.lifetime(for: request.duration, until: request.until, at: now, settings: settings) {
        case .success(let value): terms = value
        case .failure(let problem): problems.append(problem)
        }
        let reason = request.reason.trimmingWhitespace()
        if reason.isEmpty {
            problems.append(.init(field: "reason", message: "say why the override is needed (it is kept in the audit log)"))
        } else if reason.utf8.count > 1000 {
            problems.append(.init(field: "reason", message: "at most 1000 bytes"))
        } else if let problem = InputBounds.textProblem(reason.replacingOccurrences(of: "\n", with: " ")) {
            problems.append(.init(field: "reason", message: problem))
        }
        guard problems.isEmpty, let change = parsedChange, let instance = target, let lifetime = terms else {
            throw OverrideError(invalid: problems)
        }
        if !actor.covers(instance) {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" is scoped to \(APIKey.scopeText(actor.scope)); "
                + "budget \(request.budget) instance \(Self.text(instance)) lies outside it")
        }
        let automatic = !actor.isOffline && settings.approvesAutomatically(change)
        return try transact { transaction in
            var record = OverrideRecord(
                id: try GovernanceID.fresh("ovr_", taken: transaction.idExists), budget: request.budget, instance: instance, change: change,
                duration: lifetime.duration, until: lifetime.until, reason: reason, requestedBy: actor.actor,
                requesterKey: actor.keyName, created: now, status: .pending,
                approvalExpiresAt: Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating(settings.approvalTTL.nanoseconds)))
            var events = [Self.event(AuditAction.overrideRequested, record, at: now, actor: actor.actor)]
            if automatic {
                try Self.refuseSecondActive(record, transaction)
                record.status = .active
                record.expiresAt = record.end(ifActivatedAt: now)
                record.decidedBy = actor.actor
                record.decided = now
                var applied = Self.event(AuditAction.overrideApplied, record, at: now, actor: actor.actor)
                applied.detail["approval"] = .text("automatic")
                events.append(applied)
            }
            try transaction.insert(record)
            return (record, events)
        }
    }

    // MARK: decisions

    /// Approves a pending override with a second key: it takes effect at once.
    public func approve(_ id: String, by actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        guard !actor.isOffline else {
            throw OverrideError(.forbidden, "an offline approval cannot be the second pair of eyes: approve override \(id) over the API "
                + "(--url with an approver's key), as a different key than the one that requested it")
        }
        guard actor.holds(.approver) else {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"approver\"", missingRole: .approver)
        }
        let now = clock.now()
        return try transact { transaction in
            var record = try Self.live(id, transaction, visibleTo: actor)
            guard record.status == .pending else { throw Self.notPending(record) }
            if let problem = OverrideTerms.approvalProblem(record, approverKey: actor.keyName) {
                throw OverrideError(.forbidden, problem)
            }
            guard !record.isDue(at: now) else {
                throw OverrideError(.conflict, "override \(id) can no longer be approved: its approval window ended at \(record.approvalExpiresAt.rfc3339)")
            }
            let end = record.end(ifActivatedAt: now)
            guard end > now else { throw OverrideError(.conflict, "override \(id) can no longer be approved: it was to end at \(end.rfc3339)") }
            try Self.refuseSecondActive(record, transaction)
            record.status = .active
            record.expiresAt = end
            record.decidedBy = actor.actor
            record.decided = now
            try transaction.update(record)
            return (record, [Self.event(AuditAction.overrideApproved, record, at: now, actor: actor.actor),
                             Self.event(AuditAction.overrideApplied, record, at: now, actor: actor.actor)])
        }
    }

    /// Rejects a pending override (an approver's key, or offline).
    public func reject(_ id: String, by actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        if !actor.isOffline && !actor.holds(.approver) {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"approver\"", missingRole: .approver)
        }
        let now = clock.now()
        return try transact { transaction in
            var record = try Self.live(id, transaction, visibleTo: actor)
            guard record.status == .pending else { throw Self.notPending(record) }
            record.status = .rejected
            record.decidedBy = actor.actor
            record.decided = now
            record.ended = now
            try transaction.update(record)
            return (record, [Self.event(AuditAction.overrideRejected, record, at: now, actor: actor.actor)])
        }
    }

    /// Ends a pending or active override now: an approver's key, the requesting key, or offline.
    public func revoke(_ id: String, by actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        let now = clock.now()
        return try transact { transaction in
            var record = try Self.live(id, transaction, visibleTo: actor)
            let isRequester = actor.keyName != nil && actor.keyName == record.requesterKey
            if !actor.isOffline && !actor.holds(.approver) && !isRequester {
                throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"approver\" (only an approver or the requesting key may revoke an override)",
                                    missingRole: .approver)
            }
            guard record.status.isLive else {
                throw OverrideError(.conflict, "override \(id) is \(record.status.rawValue) already")
            }
            record.status = .revoked
            record.decidedBy = actor.actor
            record.decided = now
            record.ended = now
            try transaction.update(record)
            return (record, [Self.event(AuditAction.overrideRevoked, record, at: now, actor: actor.actor)])
        }
    }

    // MARK: list

    /// The overrides the actor may see (a scoped key: those inside its scope), oldest first,
    /// filtered by status and budget. A pending request or an active override whose deadline has
    /// passed shows as expired even before the next tick writes it.
    public func list(status: OverrideStatus? = nil, budget: String? = nil, visibleTo actor: GovernanceActor) throws(OverrideError) -> [OverrideRecord] {
        let now = clock.now()
        let records: [OverrideRecord]
        do throws(StoreError) { records = try store.overrides().records } catch {
            throw OverrideError(.storage, "reading the overrides failed: \(error.message)")
        }
        return records.map { $0.seen(at: now) }.filter { record in
            actor.covers(record.instance) && (status.map { record.status == $0 } ?? true) && (budget.map { record.budget == $0 } ?? true)
        }
    }

    // MARK: time

    /// At start (before the budgets are restored): expires what came due while the server was
    /// down (audited now) and applies the active overrides.
    public func start() throws(OverrideError) {
        try expireDue()
    }

    /// Once a second: expires what is due and, when the table changed (the command line, another
    /// process), applies the active overrides again. Only the generation is read when nothing is due.
    public func tick() {
        deadlines.tick(at: clock.now(), generation: store.overrideGeneration, expire: expireDue,
                       logger: logger, failure: "expiring overrides failed; the overrides as last applied stay in force")
    }

    /// Expires due overrides (one transaction with their audit rows) and applies the active ones.
    func expireDue() throws(OverrideError) {
        let now = clock.now()
        _ = try transact { transaction in
            ((), try GovernanceDeadlines.expire(in: transaction, at: now) { Self.event(AuditAction.overrideExpired, $0, at: now, actor: nil) })
        }
    }

    // MARK: plumbing

    /// Runs `body` in one transaction with the audit rows it returns, then applies the active
    /// overrides to the engine and notes the generation and next deadline.
    private func transact<T: Sendable>(_ body: (OverrideTransaction) throws -> (T, [AuditEvent])) throws(OverrideError) -> T {
        changing.lock()
        defer { changing.unlock() }
        let value: T
        let live: [OverrideRecord]
        let audited: Bool
        let generation: Int64
        do {
            // The generation is read inside the transaction: a change another process commits
            // right after this one raises it past what is noted, so the next tick still sees it.
            let result = try auditLog.changeOverrides { transaction in
                let (value, audit) = try body(transaction)
                return ((value, try transaction.live(), !audit.isEmpty, try transaction.generation()), audit)
            }
            (value, live, audited, generation) = result
        } catch {
            throw OverrideError.from(error, changing: "overrides")
        }
        apply(live.compactMap(\.effect))
        if audited { appended() }
        deadlines.note(generation: generation, live: live)
        return value
    }

    private static func live(_ id: String, _ transaction: OverrideTransaction, visibleTo actor: GovernanceActor) throws -> OverrideRecord {
        guard let record = try transaction.record(id), actor.covers(record.instance) else {
            throw OverrideError(.unknown, "no override with id \(id)")
        }
        return record
    }

    private static func notPending(_ record: OverrideRecord) -> OverrideError {
        OverrideError(.conflict, "override \(record.id) is \(record.status.rawValue), not pending")
    }

    /// One active override per budget instance: a second would leave unclear which limit holds.
    private static func refuseSecondActive(_ record: OverrideRecord, _ transaction: OverrideTransaction) throws {
        if let other = try transaction.live().first(where: {
            $0.status == .active && $0.id != record.id && $0.budget == record.budget && $0.instance == record.instance
        }) {
            throw OverrideError(.conflict, "budget \(record.budget) instance \(record.instanceText) has an active override already "
                + "(\(other.id), until \(other.expiresAt?.rfc3339 ?? "?")): revoke it first")
        }
    }

    static func text(_ labels: [AuditLabel]) -> String {
        labels.isEmpty ? "(whole budget)" : labels.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    static func event(_ action: String, _ record: OverrideRecord, at now: Timestamp, actor: String?) -> AuditEvent {
        var detail = AuditDetail([("change", .text(record.change.description)), ("id", .text(record.id)),
                                  ("reason", .text(record.reason)), ("requested_by", .text(record.requestedBy))])
        if let expires = record.expiresAt { detail["expires_at"] = .text(expires.rfc3339) }
        if record.status == .pending { detail["approval_expires_at"] = .text(record.approvalExpiresAt.rfc3339) }
        if let duration = record.duration { detail["for"] = .text(duration.description) }
        if let until = record.until { detail["until"] = .text(until.rfc3339) }
        return AuditEvent(time: now, rule: record.budget, kind: .override, action: action,
                          scope: record.instance.map { ($0.key, $0.value) }, decision: record.status.rawValue,
                          observed: nil, limit: nil, detail: detail, actor: actor)
    }
}
