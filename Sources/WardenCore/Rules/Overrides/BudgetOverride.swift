/// An active override as the rule engine applies it: the one place that says what an override
/// does to a budget instance's limit and steps.
///
/// The engine holds at most one per budget instance (``RuleEngine/activeOverride(budget:instance:)``);
/// the effective limit is the rule's limit, plus what rolled over, changed by ``change``.
public struct BudgetOverride: Sendable, Hashable {
    public var id: String
    /// The budget's name.
    public var budget: String
    /// The instance's labels as the engine names it (the rule's fixed scope labels and its `per:`
    /// labels), sorted.
    public var instance: [AuditLabel]
    public var change: OverrideChange
    public var expiresAt: Timestamp

    public init(id: String, budget: String, instance: [AuditLabel], change: OverrideChange, expiresAt: Timestamp) {
        self.id = id
        self.budget = budget
        self.instance = instance.sorted()
        self.change = change
        self.expiresAt = expiresAt
    }

    /// The limit in force for an instance whose own limit (with rollover) is `limit`.
    public func effectiveLimit(_ limit: UsageAmount) -> UsageAmount { change.applied(to: limit) }

    /// Whether the instance's throttle and deny steps only warn while this override is active.
    public var exemptsEnforcement: Bool { change == .exempt }
}
