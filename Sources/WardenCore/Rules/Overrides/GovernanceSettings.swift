/// The `governance:` section of `tokenwarden.yaml`: how long overrides may last, how long a
/// request waits for its second pair of eyes, and which raises need none.
public struct GovernanceSettings: Sendable, Equatable {
    /// The longest an override may last (`for`, or `until` counted from the request).
    public var overrideMaxDuration = RuleDuration(nanoseconds: 30 * 86_400_000_000_000)
    /// A request nobody approves or rejects within this expires.
    public var approvalTTL = RuleDuration(nanoseconds: 86_400_000_000_000)
    /// Raises strictly below these amounts (per unit) take effect at once, without a second key.
    /// Nil (the default): every override needs an approver.
    public var autoApproveBelow: BudgetLimit?

    public init(overrideMaxDuration: RuleDuration? = nil, approvalTTL: RuleDuration? = nil, autoApproveBelow: BudgetLimit? = nil) {
        if let overrideMaxDuration { self.overrideMaxDuration = overrideMaxDuration }
        if let approvalTTL { self.approvalTTL = approvalTTL }
        self.autoApproveBelow = autoApproveBelow
    }

    /// Whether `change` takes effect without approval: a raise below the threshold of its unit.
    /// Setting a limit and exemptions always need an approver.
    public func approvesAutomatically(_ change: OverrideChange) -> Bool {
        guard let below = autoApproveBelow, case .raise(let amount) = change else { return false }
        return amount.isBelow(below)
    }
}
