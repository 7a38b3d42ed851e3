/// What an allowed check set aside: its estimate, held against every matching budget instance and
/// consumed from every matching quota, until the usage arrives, the caller releases it, or it
/// expires.
///
/// Holds name rules by identity, not position, so a reservation survives a reload that keeps
/// its rules (and quietly lets go of rules that were removed).
struct Reservation: Sendable {
    struct BudgetHold: Sendable {
        var identity: String
        var key: String
        var amount: UsageAmount
    }

    struct QuotaHold: Sendable {
        var identity: String
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
}
