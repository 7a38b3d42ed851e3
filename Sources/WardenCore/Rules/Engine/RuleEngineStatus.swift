/// The rule engine's state as the metrics show it: budgets, counters, what is loaded and how the
/// last reload went. Taken in one hold of the engine's lock.
public struct RuleEngineStatus: Sendable {
    public var budgets: [BudgetSnapshot]
    public var counters: EngineCounters
    public var reservationsActive: Int
    public var loaded: [(kind: RuleKind, count: Int)]
    public var quotaNames: [String]
    public var policyNames: [String]
    public var policyActions: [PolicyAction]
    public var reload: RuleReloadStatus
    /// Audit rows the store refused (they are retried; a growing count means the chain is stuck).
    public var auditAppendFailures: Int

    public init(budgets: [BudgetSnapshot], counters: EngineCounters, reservationsActive: Int, loaded: [(kind: RuleKind, count: Int)],
                quotaNames: [String], policyNames: [String], policyActions: [PolicyAction], reload: RuleReloadStatus,
                auditAppendFailures: Int) {
        self.budgets = budgets
        self.counters = counters
        self.reservationsActive = reservationsActive
        self.loaded = loaded
        self.quotaNames = quotaNames
        self.policyNames = policyNames
        self.policyActions = policyActions
        self.reload = reload
        self.auditAppendFailures = auditAppendFailures
    }
}

/// How the rule files' last reload went.
public struct RuleReloadStatus: Sendable {
    public var lastSuccess: Timestamp?
    public var lastAttemptSucceeded = true
    public var lastErrors: [String] = []
    public var files: [String] = []

    public init() {}
}
