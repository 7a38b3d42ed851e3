/// What an allowed check set aside: its estimate, held against every matching budget instance and
/// consumed from every matching quota, until the usage arrives, the caller releases it, or it
/// expires.
///
/// Holds name rules by position, which is cheap to store and to follow on the check and commit
/// paths; a reload re-points them by rule identity (``RuleEngine/reloaded(with:at:)``), so a
/// reservation survives a reload that keeps its rules and quietly lets go of rules that were
/// removed.
struct Reservation: Sendable {
    /// Twelve bytes: a reservation holds one per matching budget (ten in a typical check), and
    /// reservations of checks whose usage has not arrived yet add up (hundreds of thousands at
    /// a high check rate); the amount held is derived from the reservation's own estimate.
    struct BudgetHold: Sendable {
        private var storedIndex: Int32
        private var storedSlot: Int32
        /// Whether the estimate's money is held here (the budget limits money in the request's
        /// currency); its tokens always are.
        var holdsMoney: Bool

        /// Position of the budget in the engine's rules, and of the instance in its tracker.
        init(index: Int, slot: BudgetTracker.Slot, holdsMoney: Bool) {
            precondition(index <= Int32.max && slot <= Int32.max, "budget or instance position beyond 2^31")
            storedIndex = Int32(index)
            storedSlot = Int32(slot)
            self.holdsMoney = holdsMoney
        }

        var index: Int { Int(storedIndex) }
        var slot: BudgetTracker.Slot { Int(storedSlot) }

        /// What this hold sets aside of a reservation's estimate.
        func amount(of estimate: UsageAmount) -> UsageAmount {
            UsageAmount(money: holdsMoney ? estimate.money : .zero, tokens: estimate.tokens)
        }
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
    /// The estimate's currency: which budgets held its money (kept for a restart, which holds
    /// the estimate again, see ``RuleEngine/restoreReservations(_:at:)``).
    let currency: String
    let attribution: Attribution
    /// The name of the API key whose check made it (nil when authentication did not apply):
    /// only that key (or an admin) may release it, and `reservations.max_active_per_key` counts it.
    var keyName: String? = nil
    var budgetHolds: [BudgetHold]
    var quotaHolds: [QuotaHold]

    /// The same reservation with its holds re-pointed to a new rule set's positions; holds on
    /// rules without a position there are dropped.
    func repointed(budgets: [Int: Int], quotas: [Int: Int]) -> Reservation {
        var copy = self
        copy.budgetHolds = budgetHolds.compactMap { hold in
            budgets[hold.index].map { BudgetHold(index: $0, slot: hold.slot, holdsMoney: hold.holdsMoney) }
        }
        copy.quotaHolds = quotaHolds.compactMap { hold in
            quotas[hold.index].map { QuotaHold(index: $0, key: hold.key, units: hold.units) }
        }
        return copy
    }
}
