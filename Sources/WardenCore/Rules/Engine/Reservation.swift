/// What an allowed check set aside: its estimate, held against every matching budget instance and
/// consumed from every matching quota, until the usage arrives, the caller releases it, or it
/// expires.
///
/// Holds name rules by position, which is cheap to store and to follow on the check and commit
/// paths; a reload re-points them by rule identity (``RuleEngine/reloaded(with:at:)``), so a
/// reservation survives a reload that keeps its rules and quietly lets go of rules that were
/// removed.
struct Reservation: Sendable {
    struct BudgetHold: Sendable {
        /// Position of the budget in the engine's rules, and of the instance in its tracker.
        var index: Int
        var slot: BudgetTracker.Slot
        var amount: UsageAmount
    }

    struct QuotaHold: Sendable {
        /// Position of the quota in the engine's rules.
        var index: Int
        var key: QuotaKey
        var units: Int64
    }

    let id: String
    let createdAt: Timestamp
    let expiresAt: Timestamp
    let amount: UsageAmount
    let attribution: Attribution
    var budgetHolds: [BudgetHold]
    var quotaHolds: [QuotaHold]

    /// The same reservation with its holds re-pointed to a new rule set's positions; holds on
    /// rules without a position there are dropped.
    func repointed(budgets: [Int: Int], quotas: [Int: Int]) -> Reservation {
        var copy = self
        copy.budgetHolds = budgetHolds.compactMap { hold in
            budgets[hold.index].map { BudgetHold(index: $0, slot: hold.slot, amount: hold.amount) }
        }
        copy.quotaHolds = quotaHolds.compactMap { hold in
            quotas[hold.index].map { QuotaHold(index: $0, key: hold.key, units: hold.units) }
        }
        return copy
    }
}
