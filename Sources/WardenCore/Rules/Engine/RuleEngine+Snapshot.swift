/// One budget instance as `/metrics` and the spend page show it.
public struct BudgetSnapshot: Sendable {
    public struct Unit: Sendable {
        /// `USD` (the currency) or `tokens`.
        public var unit: String
        /// Exact amounts: money in currency units, tokens as whole numbers in a ``Money``.
        public var limit: Money
        public var used: Money
        public var reserved: Money
        public var ratio: Money
    }

    public var budget: String
    public var labels: [AuditLabel]
    public var units: [Unit]
    /// When the current window ends (nil for `total` and rolling budgets).
    public var periodEnd: Timestamp?
    public var period: String
    /// Every distinct step action of the ladder, in ladder order, and the active one.
    public var steps: [StepAction]
    public var activeStep: StepAction?
    /// The override in force for this instance; ``Unit/limit`` is already the limit it makes.
    public var override: BudgetOverride?
}

extension RuleEngine {
    /// Every budget instance, in rule order then by labels, brought to `now` without changing
    /// state (a snapshot never rolls a window over; ``tick(at:)`` does).
    public func budgetSnapshots(at now: Timestamp) -> [BudgetSnapshot] {
        var result: [BudgetSnapshot] = []
        for tracker in budgets {
            var steps: [StepAction] = []
            for step in tracker.rule.thresholds where !steps.contains(step.action) { steps.append(step.action) }
            let ordered = tracker.instances.values.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
            for var instance in ordered {
                instance.rolling?.advance(to: now)
                let expired = instance.window?.end.map { now >= $0 } ?? false
                let used = expired ? UsageAmount.zero : instance.currentUsed
                let limit = tracker.effectiveLimit(instance)
                var units: [BudgetSnapshot.Unit] = []
                if let money = tracker.rule.limit.money {
                    units.append(.init(unit: money.currency, limit: limit.money, used: used.money, reserved: instance.reserved.money,
                                       ratio: BudgetTracker.ratio(used.money.attos, limit.money.attos)))
                }
                if tracker.rule.limit.tokens != nil {
                    units.append(.init(unit: "tokens", limit: Money(attos: Int128(limit.tokens) * Money.attosPerUnit),
                                       used: Money(attos: Int128(used.tokens) * Money.attosPerUnit),
                                       reserved: Money(attos: Int128(instance.reserved.tokens) * Money.attosPerUnit),
                                       ratio: BudgetTracker.ratio(Int128(used.tokens), Int128(limit.tokens))))
                }
                let active = expired ? nil : instance.activeStep.map { tracker.rule.thresholds[$0].action }
                result.append(BudgetSnapshot(budget: tracker.rule.name, labels: instance.labels, units: units,
                                             periodEnd: expired ? nil : instance.window?.end, period: tracker.rule.period.description,
                                             steps: steps, activeStep: active,
                                             override: tracker.overrides.isEmpty ? nil : tracker.overrides[instance.labels]))
            }
        }
        return result
    }

    /// Per rule kind, how many rules are loaded (`tokenwarden_rules_loaded{kind}`).
    public var loadedRuleCounts: [(kind: RuleKind, count: Int)] {
        [(.budget, rules.budgets.count), (.quota, rules.quotas.count), (.policy, rules.policies.count)]
    }
}
