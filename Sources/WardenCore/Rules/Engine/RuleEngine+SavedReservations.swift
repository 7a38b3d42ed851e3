/// A live reservation as it is kept across a graceful restart: the estimate and whose it is,
/// not where it was held (budget positions are not stable across processes).
public struct SavedReservation: Sendable, Equatable {
    public var id: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var money: Money
    public var currency: String
    public var tokens: Int64
    public var attribution: Attribution
    /// The API key whose check made it, if one did (see ``CheckRequest/keyName``).
    public var keyName: String?

    public init(id: String, createdAt: Timestamp, expiresAt: Timestamp, money: Money, currency: String, tokens: Int64,
                attribution: Attribution, keyName: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.money = money
        self.currency = currency
        self.tokens = tokens
        self.attribution = attribution
        self.keyName = keyName
    }
}

extension RuleEngine {
    /// Every live reservation, oldest first (ties by id), for the store to keep across a restart.
    public var savedReservations: [SavedReservation] {
        reservations.values
            .map { SavedReservation(id: $0.id, createdAt: $0.createdAt, expiresAt: $0.expiresAt, money: $0.amount.money,
                                    currency: $0.currency, tokens: $0.amount.tokens, attribution: $0.attribution,
                                    keyName: $0.keyName) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Holds saved reservations again, after the budgets were restored from the usage log.
    ///
    /// Why: a restart that forgot them would let new checks spend what agents already hold, and
    /// once those agents report, committed spend would pass a `deny` step at 100%. Each one holds
    /// its estimate on the budgets its attribution matches under the rules now in force, as a
    /// reload re-points holds; quota buckets start empty after a restart, so no quota hold is
    /// made. Expired ones, and ids already live, are skipped; past
    /// ``Configuration/maximumReservations`` (lowered since they were saved) the oldest are
    /// dropped, the newest being the likeliest to be committed. Returns how many were restored,
    /// and the audit rows of budget windows that moved on while planning them.
    public mutating func restoreReservations(_ saved: [SavedReservation], at now: Timestamp) -> (restored: Int, audit: [AuditEvent]) {
        var audit: [AuditEvent] = []
        var restored = 0
        for entry in saved.reversed() where entry.expiresAt > now && reservations[entry.id] == nil {
            guard reservations.count < configuration.maximumReservations else { break }
            let plan = plan(for: entry.attribution, at: now, audit: &audit)
            // Held as a check holds it: money only where the budget limits this currency.
            let holds = plan.budgets.map { stop in
                Reservation.BudgetHold(index: stop.index, slot: stop.slot,
                                       holdsMoney: entry.money != .zero && budgets[stop.index].rule.limit.limitsMoney(in: entry.currency))
            }
            audit += hold(Reservation(id: entry.id, createdAt: entry.createdAt, expiresAt: entry.expiresAt,
                                      amount: UsageAmount(money: entry.money, tokens: entry.tokens), currency: entry.currency,
                                      attribution: plan.attribution, keyName: entry.keyName, budgetHolds: holds, quotaHolds: []),
                        at: now)
            restored += 1
        }
        return (restored, audit)
    }
}
