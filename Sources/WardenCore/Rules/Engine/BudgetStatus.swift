/// One budget instance as the budget status API shows it (`GET /v1/budgets`): its window, each
/// limited unit's limit broken into its parts with usage and what is left, and its active step.
///
/// Unlike ``BudgetSnapshot`` (what `/metrics` reads), a status names how its limit came about
/// (the rule's base, what rolled over, what an override changes) and is read for a page of
/// instances at a time.
public struct BudgetStatus: Sendable, Equatable {
    /// The budget's current window. `start` is nil for `total` budgets; `end` is nil for `total`
    /// and rolling budgets (a rolling window ends now and slides).
    public struct Period: Sendable, Equatable {
        public var start: Timestamp?
        public var end: Timestamp?
        /// The IANA zone calendar windows follow (`UTC` by default).
        public var timeZone: String
    }

    /// One limited unit. Amounts are exact: money in currency units, tokens as whole numbers in a
    /// ``Money`` (as in ``BudgetSnapshot/Unit``).
    public struct Limit: Sendable, Equatable {
        /// The currency (`USD`) or `tokens`: the `unit` label of the budget metrics.
        public var unit: String
        /// The rule's own limit.
        public var base: Money
        /// What the previous window's unspent budget added (`rollover:`).
        public var rollover: Money
        /// What an active override changes (zero without one).
        public var override: Money
        /// `base + rollover + override`: what usage is compared with.
        public var effective: Money
        public var used: Money
        public var reserved: Money
        /// `effective − used − reserved`, never below zero.
        public var remaining: Money
        /// `used ÷ effective`, exact to 10⁻⁹ (as `tokenwarden_budget_usage_ratio`).
        public var usageRatio: Money
    }

    public var budget: String
    /// The instance's labels: the scope's fixed values and the `per:` labels, sorted by key.
    public var scope: [AuditLabel]
    public var period: Period
    public var limits: [Limit]
    /// The active step's action, nil below the first step.
    public var step: StepAction?
    /// The override in force on this instance, if any.
    public var override: BudgetOverrideEffect?

    /// Where this status sorts in a listing: by budget name, then labels.
    public var position: Position { Position(budget: budget, scope: scope) }

    /// A place in the listing order (budget name, then the labels in order), which a page's cursor
    /// names: keyset paging, so instances created between two pages neither repeat nor shift the next.
    public struct Position: Sendable, Hashable, Comparable {
        public var budget: String
        public var scope: [AuditLabel]

        public init(budget: String, scope: [AuditLabel]) {
            self.budget = budget
            self.scope = scope
        }

        public static func < (lhs: Position, rhs: Position) -> Bool {
            if lhs.budget != rhs.budget { return lhs.budget.utf8.lexicographicallyPrecedes(rhs.budget.utf8) }
            return lhs.scope.lexicographicallyPrecedes(rhs.scope)
        }
    }
}

/// An override's effect on one budget instance, as its status shows it.
public struct BudgetOverrideEffect: Sendable, Equatable {
    public var id: String
    /// As requested: `"+500.00 USD"`, `"300.00 USD"`, `"exempt"`.
    public var change: String
    public var expiresAt: Timestamp
    /// What it adds to the effective limit, per unit.
    public var limitChange: UsageAmount

    public init(id: String, change: String, expiresAt: Timestamp, limitChange: UsageAmount) {
        self.id = id
        self.change = change
        self.expiresAt = expiresAt
        self.limitChange = limitChange
    }
}

/// Which budget statuses a request wants: one budget or all, instances whose labels include
/// every label of ``labels``, after a cursor, at most ``limit`` of them.
public struct BudgetStatusQuery: Sendable {
    /// Only this budget (by name); nil for every budget.
    public var budget: String?
    /// Labels an instance must carry, each with this value.
    public var labels: [AuditLabel]
    /// Only instances after this position.
    public var after: BudgetStatus.Position?
    public var limit: Int

    public init(budget: String? = nil, labels: [AuditLabel] = [], after: BudgetStatus.Position? = nil, limit: Int = 100) {
        self.budget = budget
        self.labels = labels
        self.after = after
        self.limit = limit
    }
}

/// One page of statuses in listing order, and where the next starts when more match.
public struct BudgetStatusPage: Sendable {
    public var statuses: [BudgetStatus]
    /// The last status's position when more statuses follow it; nil on the last page.
    public var next: BudgetStatus.Position?
    /// False when the query named a budget no loaded rule has (the API answers 404).
    public var budgetExists: Bool
}
