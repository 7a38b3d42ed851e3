/// Every rule in force: the budgets, quotas and policies of all rule files, validated together.
///
/// A value: a reload builds a new one and swaps it in whole, so a decision never sees half of
/// an old rule set and half of a new one. Order is meaningful and deterministic: files sorted by
/// name, rules in file order; policies are evaluated in this order.
public struct RuleSet: Sendable {
    public var budgets: [BudgetRule]
    public var quotas: [QuotaRule]
    public var policies: [PolicyRule]
    /// The files the rules came from, in load order (for `rules_loaded` and reload audit rows).
    public var files: [String]
    /// What the files hold that loads but deserves a second look (`check rules` prints these).
    public var warnings: [ConfigWarning]

    public init(budgets: [BudgetRule] = [], quotas: [QuotaRule] = [], policies: [PolicyRule] = [], files: [String] = [],
                warnings: [ConfigWarning] = []) {
        self.budgets = budgets
        self.quotas = quotas
        self.policies = policies
        self.files = files
        self.warnings = warnings
    }

    public static let empty = RuleSet()

    public var isEmpty: Bool { budgets.isEmpty && quotas.isEmpty && policies.isEmpty }
}
