/// Where one attribution lands in the rule set: the budget instances and quota buckets a check
/// with it reads.
///
/// Why cached: agents ask again and again with the same attribution, and finding its instances
/// means matching every budget's and quota's scope and hashing an instance key per budget: more
/// work than the arithmetic of the decision itself. The mapping cannot go stale for the life of
/// an engine: a scope and its `per:` labels depend only on the attribution and the rules (a
/// reload builds a new engine), and an instance, once created, keeps its position. An
/// attribution that landed on `__other__` stays there, because the instance count only grows.
///
/// A class, built once and never changed: a check takes its plan out of the cache by reference,
/// where copying the plan out retained and released each of its arrays and strings.
final class CheckPlan: Sendable {
    struct BudgetStop: Sendable {
        /// Position of the budget in the engine's rules, and of its instance in the tracker.
        var index: Int
        var slot: BudgetTracker.Slot
    }

    struct QuotaStop: Sendable {
        /// Position of the quota in the engine's rules, and the request's bucket in it.
        var index: Int
        var key: QuotaKey
    }

    let budgets: [BudgetStop]
    let quotas: [QuotaStop]
    /// What the response writer derives from the plan once: the `RateLimit-Policy` field of a
    /// check that reached the quotas is the items of exactly ``quotas``, constant for the plan.
    let rendering = RenderingSlot()
    /// The attribution as the cache keeps it: reservations share this one copy instead of each
    /// keeping its request's (about 200 bytes a reservation for a typical five labels).
    let attribution: Attribution

    init(budgets: [BudgetStop], quotas: [QuotaStop], attribution: Attribution) {
        self.budgets = budgets
        self.quotas = quotas
        self.attribution = attribution
    }

    /// Attributions remembered at most; the cache starts over when full (an attribution seen
    /// again is planned again: a cost, never a different answer).
    static let cacheLimit = 4096
}
