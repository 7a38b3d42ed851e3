/// The answer to a check, ordered by strictness: the strictest reason decides.
///
/// `require_approval` ranks above `throttle`: waiting does not help a request that needs a human.
public enum Decision: String, Sendable, Hashable, CaseIterable, Comparable {
    case allow
    case warn
    case throttle
    case requireApproval = "require_approval"
    case deny

    var strictness: Int {
        switch self {
        case .allow: 0
        case .warn: 1
        case .throttle: 2
        case .requireApproval: 3
        case .deny: 4
        }
    }

    public static func < (lhs: Decision, rhs: Decision) -> Bool { lhs.strictness < rhs.strictness }

    /// Whether the caller may go ahead (and a reservation is made).
    public var isAllowed: Bool { self == .allow || self == .warn }

}

/// What kind of rule produced a reason (the `kind` of reasons, metrics and audit rows).
public enum RuleKind: String, Sendable, Hashable, CaseIterable {
    case budget
    case quota
    case policy
}

/// One rule's say on a check: every matching budget, quota and policy that had something to say
/// is reported, not only the one that decided.
public struct DecisionReason: Sendable, Hashable {
    /// The rule, kind and scope (shared by every reason about the same budget instance or rule).
    public var subject: ReasonSubject
    public var rule: String { subject.rule }
    public var kind: RuleKind { subject.kind }
    /// Labels identifying the budget instance or quota scope (`team=search`).
    public var scope: [AuditLabel] { subject.scope }
    /// What this rule alone would answer.
    public var decision: Decision
    public var message: String
    /// Budgets: the amounts behind ``usageRatio`` and ``remaining``.
    public var figures: BudgetFigures?
    /// Budgets: projected usage ÷ limit (exact; the larger of the money and token ratios).
    public var usageRatio: Money? { figures?.usageRatio }
    /// Budgets: what is left of the limit after used and reserved amounts, before this request
    /// (`"123.40 USD"` or `"12000 tokens"`), so the caller knows how much it may still ask for.
    public var remaining: String? { figures?.remaining }
    /// Throttles: nanoseconds until a retry can succeed.
    public var retryAfter: Int64?
    /// Budgets that deny: the projected usage and the limit it was compared with, as exact decimal
    /// text in the budget's units (what the `deny` audit row records); nil otherwise.
    public var observed: String?
    public var limit: String?

    /// The message of a budget reason below every step: most reasons of most checks.
    public static let withinBudget = "within budget"

    /// One initialiser that sets every field: the check path builds a reason per matching
    /// budget, and an initialiser that delegates and then assigns copies the whole reason.
    public init(subject: ReasonSubject, decision: Decision, message: String, figures: BudgetFigures? = nil,
                retryAfter: Int64? = nil, observed: String? = nil, limit: String? = nil) {
        self.subject = subject
        self.decision = decision
        self.message = message
        self.figures = figures
        self.retryAfter = retryAfter
        self.observed = observed
        self.limit = limit
    }

    /// A reason with a subject of its own (policies and quotas that spoke, tests).
    public init(rule: String, kind: RuleKind, decision: Decision, message: String, figures: BudgetFigures? = nil,
                scope: [AuditLabel] = [], retryAfter: Int64? = nil, observed: String? = nil, limit: String? = nil) {
        self.init(subject: ReasonSubject(rule: rule, kind: kind, scope: scope), decision: decision, message: message,
                  figures: figures, retryAfter: retryAfter, observed: observed, limit: limit)
    }
}

/// A granted reservation, as the caller sees it.
public struct ReservationGrant: Sendable, Hashable {
    public var id: String
    /// The reserved estimate in money (zero when only token rules matched).
    public var amount: Money
    public var currency: String
    public var tokens: Int64
    public var expiresAt: Timestamp
}

/// Everything a check produced: the answer, its reasons, the reservation if one was made,
/// rate-limit header values, and the audit rows to append.
public struct CheckOutcome: Sendable {
    public var decision: Decision
    public var reasons: [DecisionReason]
    public var reservation: ReservationGrant?
    /// Nanoseconds until retrying can succeed (throttle), the largest of the throttling reasons.
    public var retryAfter: Int64?
    /// The quotas that applied, in rule order, as numbers: their header texts are rendered
    /// when read (by the server, outside the engine's lock).
    public var quotaStates: [QuotaState]
    public var audit: [AuditEvent]
    /// The check would have been allowed, but the engine already held its maximum of live
    /// reservations, so nothing was reserved or counted: not a decision, the caller must retry
    /// (after ``retryAfter``, when the oldest reservation expires at the latest).
    public var reservationsFull = false
    /// With ``reservationsFull``: it was the check's API key that held its maximum
    /// (``RuleEngine/Configuration/maximumReservationsPerKey``), not the server.
    public var reservationsFullForKey = false

    /// One applied quota and what its `RateLimit` item reports after this check; the header
    /// texts are rendered from these by the response writer, once per quota and plan (see
    /// ``RenderingSlot``).
    public struct QuotaState: Sendable {
        public var policy: QuotaPolicy
        /// The quota's own slot, for texts constant per quota (its quoted name).
        public var rendering: RenderingSlot
        public var remaining: Int64
        public var resetAfter: Int64
    }

    /// The slot of the plan the check followed, for texts constant per set of quotas (the
    /// `RateLimit-Policy` field); nil when no quota applied.
    public var planRendering: RenderingSlot?

    /// The reason that decided (the first of the strictest), or nil for a plain allow.
    public var decidingReason: DecisionReason? {
        decision == .allow ? nil : reasons.first { $0.decision == decision }
    }
}
