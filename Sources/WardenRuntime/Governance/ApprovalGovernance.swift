import Foundation
import Logging
import Synchronization
import WardenCore
import WardenFormats
import WardenStore

/// What an approver grants with `POST /v1/approvals/{id}/approve` (`{"uses": N, "for": "24h"}`)
/// or `tokenwarden approvals approve ID --uses N --for 24h`, as given.
public struct ApprovalGrant: Sendable {
    public var uses: Int64?
    /// `"for"`: how long the approval's uses last from the approval (a duration such as `24h`).
    public var duration: String?

    public init(uses: Int64? = nil, duration: String? = nil) {
        self.uses = uses
        self.duration = duration
    }
}

/// A check as decided with approvals: the engine's outcome and, when a `require_approval`
/// policy refused it, the approval request it made or repeated.
public struct ApprovedCheck: Sendable {
    public var outcome: CheckOutcome
    public var approval: ApprovalRecord?
}

/// `require_approval` made real: a check that such a policy refuses asks for an approval, another
/// key with the approver role approves or rejects it, and the requesting key's retries that name
/// it (`approval_id`) pass its policies within its estimate, uses and window.
///
/// Every step is one transaction with its audit row (kind `approval`, the refusing policies in
/// `rule`, the check's attribution as the row's scope, the acting key as actor). A running server
/// calls ``tick()`` every second to expire what is due.
public final class ApprovalGovernance: Sendable {
    let store: UsageStore
    let auditLog: AuditLog
    public let settings: GovernanceSettings
    let clock: any WallClock
    let appended: @Sendable () -> Void
    let logger: Logger
    private let deadlines = GovernanceDeadlines()
    /// One change at a time; a retry holds it from reading its approval to counting the use, so
    /// two retries cannot both take an approval's last use.
    private let changing = NSLock()

    public init(store: UsageStore, auditLog: AuditLog, settings: GovernanceSettings, clock: any WallClock,
                appended: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.store = store
        self.auditLog = auditLog
        self.settings = settings
        self.clock = clock
        self.appended = appended
        self.logger = logger
    }

    // MARK: checks

    /// Decides `request` with `run` (the engine), with approvals: a check naming `approvalID`
    /// passes the approval's policies if the approval lets it (else ``OverrideError`` with the
    /// field `approval_id` and kind `forbidden`, and nothing is checked); a check refused by
    /// `require_approval` policies makes an approval request, or repeats the pending one of the
    /// same key, policies, model and attribution. Without a key there are no approvals: the
    /// refusal stays plain.
    public func check(_ request: CheckRequest, approvalID: String?, by actor: GovernanceActor?,
                      run: (CheckRequest) -> CheckOutcome) throws(OverrideError) -> ApprovedCheck {
        guard let actor, let keyName = actor.keyName else {
            if approvalID != nil {
                throw OverrideError(invalid: [.init(field: "approval_id", message: "governance needs API keys: this server runs without them, so it has no approvals")])
            }
            return ApprovedCheck(outcome: run(request), approval: nil)
        }
        guard let approvalID else {
            return requestingApproval(run(request), request: request, keyName: keyName, actor: actor)
        }
        changing.lock()
        defer { changing.unlock() }
        let now = clock.now()
        let found: ApprovalRecord?
        do throws(StoreError) { found = try store.approval(approvalID) } catch {
            throw OverrideError(.storage, "reading approval \(approvalID) failed: \(error.message)")
        }
        guard let record = found else {
            throw OverrideError(.forbidden, "approval_id: no approval with id \(approvalID)")
        }
        if let problem = ApprovalTerms.useProblem(record, keyName: keyName, request: request, at: now) {
            throw OverrideError(.forbidden, "approval_id: \(problem)")
        }
        var approved = request
        approved.approvedPolicies = record.policies
        let outcome = run(approved)
        guard outcome.decision.isAllowed, !outcome.reservationsFull else {
            return requestingApproval(outcome, request: request, keyName: keyName, actor: actor, locked: true)
        }
        do throws(OverrideError) {
            let taken = try transact(locked: true) { (transaction) -> (ApprovalRecord, [AuditEvent]) in
                guard var current = try transaction.record(record.id), current.status == .approved, current.remainingUses > 0 else {
                    throw OverrideError(.conflict, "approval \(record.id) changed while the check ran")
                }
                current.used += 1
                if current.remainingUses == 0 {
                    current.status = .used
                    current.ended = now
                }
                try transaction.update(current)
                var event = Self.event(AuditAction.approvalUsed, current, at: now, actor: actor.actor)
                if let reservation = outcome.reservation { event.detail["reservation"] = .text(reservation.id) }
                event.detail["retry_estimated_cost"] = .text(request.estimatedCost.exactDecimal)
                event.detail["retry_estimated_tokens"] = .integer(request.estimatedTokens)
                return (current, [event])
            }
            return ApprovedCheck(outcome: outcome, approval: taken)
        } catch {
            logger.error("counting a use of an approval failed; the check it allowed stands", metadata: ["approval": "\(record.id)", "error": "\(error)"])
            return ApprovedCheck(outcome: outcome, approval: record)
        }
    }

    /// The outcome, with an approval request made or repeated when `require_approval` policies
    /// refused it (and nothing else did: a deny is not lifted by an approval).
    private func requestingApproval(_ outcome: CheckOutcome, request: CheckRequest, keyName: String, actor: GovernanceActor,
                                    locked: Bool = false) -> ApprovedCheck {
        guard outcome.decision == .requireApproval, !outcome.reservationsFull else { return ApprovedCheck(outcome: outcome, approval: nil) }
        let policies = ApprovalTerms.refusingPolicies(outcome)
        guard !policies.isEmpty else { return ApprovedCheck(outcome: outcome, approval: nil) }
        let now = clock.now()
        do throws(OverrideError) {
            let record = try transact(locked: locked) { (transaction) -> (ApprovalRecord, [AuditEvent]) in
                if var pending = try transaction.live().first(where: {
                    ApprovalTerms.repeats($0, keyName: keyName, policies: policies, request: request, at: now)
                }) {
                    // A repeat asks for no more than the largest estimate seen: the approver
                    // approves what the key will send.
                    guard request.currency == pending.currency,
                          request.estimatedCost > pending.estimatedCost || request.estimatedTokens > pending.estimatedTokens else {
                        return (pending, [])
                    }
                    pending.estimatedCost = max(pending.estimatedCost, request.estimatedCost)
                    pending.estimatedTokens = max(pending.estimatedTokens, request.estimatedTokens)
                    try transaction.update(pending)
                    return (pending, [])
                }
                let record = ApprovalRecord(
                    id: try GovernanceID.fresh("apr_", taken: transaction.idExists), policies: policies, provider: request.provider, model: request.model,
                    attribution: request.attribution.labels.map { AuditLabel(key: $0.key, value: $0.value) },
                    estimatedCost: request.estimatedCost, currency: request.currency, estimatedTokens: request.estimatedTokens,
                    requestedBy: actor.actor, requesterKey: keyName, created: now, status: .pending,
                    approvalExpiresAt: Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating(settings.approvalTTL.nanoseconds)))
                try transaction.insert(record)
                return (record, [Self.event(AuditAction.approvalRequested, record, at: now, actor: actor.actor)])
            }
            return ApprovedCheck(outcome: outcome, approval: record)
        } catch {
            logger.error("recording an approval request failed; the check is refused without one", metadata: ["error": "\(error)"])
            return ApprovedCheck(outcome: outcome, approval: nil)
        }
    }

    // MARK: decisions

    /// Approves a pending request with a second key: the requesting key's retries may use it.
    public func approve(_ id: String, grant: ApprovalGrant = ApprovalGrant(), by actor: GovernanceActor) throws(OverrideError) -> ApprovalRecord {
        guard !actor.isOffline else {
            throw OverrideError(.forbidden, "an offline approval cannot be the second pair of eyes: approve approval \(id) over the API "
                + "(--url with an approver's key), as a different key than the one whose check asked")
        }
        guard actor.holds(.approver) else {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"approver\"", missingRole: .approver)
        }
        let now = clock.now()
        let terms: (uses: Int64, expiresAt: Timestamp)
        switch ApprovalTerms.grant(uses: grant.uses, for: grant.duration, at: now, settings: settings) {
        case .success(let value): terms = value
        case .failure(let problem): throw OverrideError(invalid: [problem])
        }
        return try transact { (transaction) -> (ApprovalRecord, [AuditEvent]) in
            var record = try Self.visible(id, transaction, to: actor)
            guard record.status == .pending else { throw Self.notPending(record) }
            if let problem = ApprovalTerms.approvalProblem(record, approverKey: actor.keyName) {
                throw OverrideError(.forbidden, problem)
            }
            guard !record.isDue(at: now) else {
                throw OverrideError(.conflict, "approval \(id) can no longer be approved: its window ended at \(record.approvalExpiresAt.rfc3339)")
            }
            record.status = .approved
            record.uses = terms.uses
            record.expiresAt = terms.expiresAt
            record.decidedBy = actor.actor
            record.decided = now
            try transaction.update(record)
            return (record, [Self.event(AuditAction.approvalApproved, record, at: now, actor: actor.actor)])
        }
    }

    /// Rejects a pending request (an approver's key, or offline).
    public func reject(_ id: String, by actor: GovernanceActor) throws(OverrideError) -> ApprovalRecord {
        if !actor.isOffline && !actor.holds(.approver) {
            throw OverrideError(.forbidden, "key \"\(actor.keyName ?? "")\" lacks role \"approver\"", missingRole: .approver)
        }
        let now = clock.now()
        return try transact { (transaction) -> (ApprovalRecord, [AuditEvent]) in
            var record = try Self.visible(id, transaction, to: actor)
            guard record.status == .pending, !record.isDue(at: now) else { throw Self.notPending(record) }
            record.status = .rejected
            record.decidedBy = actor.actor
            record.decided = now
            record.ended = now
            try transaction.update(record)
            return (record, [Self.event(AuditAction.approvalRejected, record, at: now, actor: actor.actor)])
        }
    }

    // MARK: list

    /// The approval requests the actor may see (a scoped key: those whose attribution lies inside
    /// its scope), oldest first. One whose deadline passed shows as expired before the next tick
    /// writes it.
    public func list(status: ApprovalStatus? = nil, visibleTo actor: GovernanceActor) throws(OverrideError) -> [ApprovalRecord] {
        let now = clock.now()
        let records: [ApprovalRecord]
        do throws(StoreError) { records = try store.approvals() } catch {
            throw OverrideError(.storage, "reading the approvals failed: \(error.message)")
        }
        return records.map { $0.seen(at: now) }
            .filter { record in actor.covers(record.attribution) && (status.map { record.status == $0 } ?? true) }
    }

    // MARK: time

    /// At start: expires what came due while the server was down (audited now).
    public func start() throws(OverrideError) {
        try expireDue()
    }

    /// Once a second: expires what is due. Only the generation is read when nothing is.
    public func tick() {
        deadlines.tick(at: clock.now(), generation: store.approvalGeneration, expire: expireDue,
                       logger: logger, failure: "expiring approvals failed")
    }

    func expireDue() throws(OverrideError) {
        let now = clock.now()
        _ = try transact { transaction in
            ((), try GovernanceDeadlines.expire(in: transaction, at: now) { Self.event(AuditAction.approvalExpired, $0, at: now, actor: nil) })
        }
    }

    // MARK: plumbing

    /// Runs `body` in one transaction with the audit rows it returns, and notes the generation
    /// and next deadline. `locked`: the caller holds ``changing`` already.
    private func transact<T: Sendable>(locked: Bool = false,
                                       _ body: (ApprovalTransaction) throws -> (T, [AuditEvent])) throws(OverrideError) -> T {
        if !locked { changing.lock() }
        defer { if !locked { changing.unlock() } }
        let value: T
        let live: [ApprovalRecord]
        let audited: Bool
        let generation: Int64
        do {
            (value, live, audited, generation) = try auditLog.changeApprovals { transaction in
                let (value, audit) = try body(transaction)
                return ((value, try transaction.live(), !audit.isEmpty, try transaction.generation()), audit)
            }
        } catch {
            throw OverrideError.from(error, changing: "approvals")
        }
        if audited { appended() }
        deadlines.note(generation: generation, live: live)
        return value
    }

    private static func visible(_ id: String, _ transaction: ApprovalTransaction, to actor: GovernanceActor) throws -> ApprovalRecord {
        guard let record = try transaction.record(id), actor.covers(record.attribution) else {
            throw OverrideError(.unknown, "no approval with id \(id)")
        }
        return record
    }

    private static func notPending(_ record: ApprovalRecord) -> OverrideError {
        OverrideError(.conflict, "approval \(record.id) is \(record.status == .pending ? "expired" : record.status.rawValue), not pending")
    }

    static func event(_ action: String, _ record: ApprovalRecord, at now: Timestamp, actor: String?) -> AuditEvent {
        var detail = AuditDetail([("id", .text(record.id)), ("policies", .text(record.policies.joined(separator: ","))),
                                  ("provider", .text(record.provider)), ("model", .text(record.model)),
                                  ("estimated_cost", .text(record.estimatedCost.exactDecimal)), ("currency", .text(record.currency)),
                                  ("estimated_tokens", .integer(record.estimatedTokens)), ("requested_by", .text(record.requestedBy))])
        if record.status == .pending { detail["approval_expires_at"] = .text(record.approvalExpiresAt.rfc3339) }
        if record.uses > 0 {
            detail["uses"] = .integer(record.uses)
            detail["used"] = .integer(record.used)
        }
        if let expires = record.expiresAt { detail["expires_at"] = .text(expires.rfc3339) }
        return AuditEvent(time: now, rule: record.policies.joined(separator: ","), kind: .approval, action: action,
                          scope: record.attribution.map { ($0.key, $0.value) }, decision: record.status.rawValue,
                          observed: nil, limit: nil, detail: detail, actor: actor)
    }
}
