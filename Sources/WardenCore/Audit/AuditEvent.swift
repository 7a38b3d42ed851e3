/// What an audit row concerns: what the audited rule governs, or the audit log itself (`audit`,
/// its pruning); the `kind` filter of `GET /v1/audit?kind=budget`.
public enum AuditKind: String, Sendable, Hashable, CaseIterable {
    case budget
    case quota
    case policy
    case reservation
    case reload
    /// The audit log's own upkeep (pruning).
    case audit
    /// API keys: created, rotated, revoked.
    case key
    /// Budget overrides: requested, approved, rejected, applied, expired, revoked (the rule
    /// column holds the budget's name, the scope its instance's labels).
    case override
    /// Approvals of checks refused by `require_approval` policies: requested, approved, rejected,
    /// used, expired (the rule column holds the refusing policies' names, the scope the check's
    /// attribution, the detail the approval's id).
    case approval
}

/// The actions the rule engine records. `action` is plain text in the log so that new actions
/// need no migration; these are the names in use.
public enum AuditAction {
    public static let thresholdCrossedUp = "threshold_crossed_up"
    public static let thresholdCrossedDown = "threshold_crossed_down"
    public static let deny = "deny"
    public static let throttleStarted = "throttle_started"
    public static let throttleEnded = "throttle_ended"
    public static let policyViolation = "policy_violation"
    public static let reservationExpired = "reservation_expired"
    public static let rulesReloaded = "rules_reloaded"
    public static let rulesReloadFailed = "rules_reload_failed"
    /// A budget instance's used or reserved amount reached the bound of its integer type and
    /// stopped there (see ``Money/isSaturated``): bounded inputs make this unreachable, so a row
    /// means something got past them.
    public static let amountSaturated = "amount_saturated"
    /// Old rows were pruned (kind ``AuditKind/audit``); the detail names the last row removed.
    public static let pruned = "pruned"
    /// An API key was created (kind ``AuditKind/key``; the rule column holds the key's name).
    public static let keyCreated = "key_created"
    /// An API key got a new secret; the old one works until its grace period ends.
    public static let keyRotated = "key_rotated"
    /// An API key's secrets (all of them, or one) were revoked.
    public static let keyRevoked = "key_revoked"
    /// An override of a budget's limit was requested (kind ``AuditKind/override``).
    public static let overrideRequested = "override_requested"
    /// A second key approved an override.
    public static let overrideApproved = "override_approved"
    public static let overrideRejected = "override_rejected"
    /// An override took effect on its budget (after approval, or at once below `auto_approve_below`).
    public static let overrideApplied = "override_applied"
    /// An active override reached its end, or a request its approval deadline.
    public static let overrideExpired = "override_expired"
    public static let overrideRevoked = "override_revoked"

    /// A check refused by a `require_approval` policy asked for an approval (kind ``AuditKind/approval``).
    public static let approvalRequested = "approval_requested"
    /// Another key approved it: the requesting key's retries may pass its policies.
    public static let approvalApproved = "approval_approved"
    public static let approvalRejected = "approval_rejected"
    /// A retry naming the approval was allowed and took one of its uses.
    public static let approvalUsed = "approval_used"
    /// A request nobody decided in time, or an approval whose window ended with uses left.
    public static let approvalExpired = "approval_expired"

    /// Every approval action, in lifecycle order.
    public static let approvalActions = [approvalRequested, approvalApproved, approvalRejected, approvalUsed, approvalExpired]

    /// Every override action, in lifecycle order.
    public static let overrideActions = [overrideRequested, overrideApproved, overrideRejected, overrideApplied,
                                         overrideExpired, overrideRevoked]
}

/// One scope label of an audited decision (`team=search`).
public struct AuditLabel: Sendable, Hashable, Comparable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// By key, then value, comparing UTF-8 bytes (the order the canonical JSON uses).
    public static func < (lhs: AuditLabel, rhs: AuditLabel) -> Bool {
        if lhs.key != rhs.key { return lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8) }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}

/// One governance event worth an audit record: a threshold crossing (up or down), a deny, the
/// start or end of a throttle, a policy violation, a reservation expiry, a rule reload.
///
/// A pure value: the store appends it to the hash-chained audit log. Amounts (`observed`,
/// `limit`) are exact decimal text (`Money.exactDecimal` or an integer count), never `Double`,
/// so a finance reviewer sees exactly the numbers the rule compared.
public struct AuditEvent: Sendable, Hashable {
    public var time: Timestamp
    /// The rule's name as written in the rule file (empty for a reload of the whole file set).
    public var rule: String
    public var kind: AuditKind
    /// What happened, e.g. ``AuditAction/thresholdCrossedUp``.
    public var action: String
    /// The labels the rule was evaluated for, sorted by key then value.
    public private(set) var scope: [AuditLabel]
    /// `allow`, `warn`, `throttle`, `deny`, `require_approval`, `notify`, or empty when the event
    /// is not a decision (a reload).
    public var decision: String
    /// The value the rule compared, as exact decimal text.
    public var observed: String?
    /// The limit it was compared with, as exact decimal text.
    public var limit: String?
    /// Anything else worth keeping (step percentages, reload errors, ...).
    public var detail: AuditDetail
    /// Who made the request that caused the event, when someone did: `key:<name>/<id>` for an
    /// API key, `local:<user>` for the command line, `signal:SIGHUP`. Nil for what the engine
    /// does by itself (crossings, expiries) and for requests made while authentication does
    /// not apply.
    public var actor: String?

    public init(
        time: Timestamp, rule: String, kind: AuditKind, action: String,
        scope: [(key: String, value: String)] = [], decision: String = "",
        observed: String? = nil, limit: String? = nil, detail: AuditDetail = .empty, actor: String? = nil
    ) {
        self.time = time
        self.rule = rule
        self.kind = kind
        self.action = action
        self.scope = scope.map { AuditLabel(key: $0.key, value: $0.value) }.sorted()
        self.decision = decision
        self.observed = observed
        self.limit = limit
        self.detail = detail
        self.actor = actor
    }

    public mutating func setScope(_ labels: [AuditLabel]) { scope = labels.sorted() }
}
