extension RuleEngine {
    /// A page of budget statuses in listing order (budget name, then labels), brought to `now`
    /// without changing state: like ``budgetSnapshots(at:)``, a status never rolls a window over.
    ///
    /// Which instances exist: a budget without `per:` always has its one instance, shown with
    /// nothing used before any usage reached it; a `per:` budget lists the instances the engine
    /// tracks (one per value seen since start, restored from recorded usage, and `__other__` past
    /// the instance limit), since the values it has not seen are unknown.
    public func budgetStatuses(_ query: BudgetStatusQuery, at now: Timestamp) -> BudgetStatusPage {
        if let name = query.budget, !budgets.contains(where: { $0.rule.name == name }) {
            return BudgetStatusPage(statuses: [], next: nil, budgetExists: false)
        }
        var matching: [(position: BudgetStatus.Position, tracker: Int, instance: BudgetInstance)] = []
        for (index, tracker) in budgets.enumerated() where query.budget.map({ $0 == tracker.rule.name }) ?? true {
            var instances = tracker.instances.values
            if tracker.rule.per.isEmpty && instances.isEmpty { instances = [tracker.untouchedInstance(at: now)] }
            for instance in instances {
                let labels = instance.labels
                guard query.labels.allSatisfy({ wanted in labels.contains(wanted) }) else { continue }
                let position = BudgetStatus.Position(budget: tracker.rule.name, scope: labels)
                if let after = query.after, !(after < position) { continue }
                matching.append((position, index, instance))
            }
        }
        matching.sort { $0.position < $1.position }
        let page = matching.prefix(max(query.limit, 0))
        let statuses = page.map { budgets[$0.tracker].status(of: $0.instance, at: now) }
        return BudgetStatusPage(statuses: statuses, next: matching.count > page.count ? page.last?.position : nil, budgetExists: true)
    }
}

extension BudgetTracker {
    /// The instance a budget without `per:` gets on first use, as it would be created at `now`.
    func untouchedInstance(at now: Timestamp) -> BudgetInstance {
        var instance = BudgetInstance(rule: rule.name, labels: labels(forKey: ""), now: now)
        if case .rolling(let duration) = rule.period { instance.rolling = RollingUsage(window: duration.nanoseconds) }
        else { instance.window = rule.period.window(containing: now, in: rule.timeZone) }
        return instance
    }

    /// What the override in force on `instance` does to a window whose own limit (base plus
    /// rollover) is `limit`: the one place a status reads overrides from, so its limits and its
    /// `override` follow them.
    func overrideEffect(on instance: BudgetInstance, limit: UsageAmount) -> BudgetOverrideEffect? {
        guard let override = overrides[instance.labels] else { return nil }
        return BudgetOverrideEffect(id: override.id, change: override.change.description, expiresAt: override.expiresAt,
                                    limitChange: override.effectiveLimit(limit) - limit)
    }

    /// `instance` as the status API shows it at `now`: a calendar window that has ended shows
    /// the window that follows it, empty, with what would roll over into it.
    func status(of instance: BudgetInstance, at now: Timestamp) -> BudgetStatus {
        var used = instance.currentUsed
        var limit = self.limit(afterPrevious: instance.previousUsed)
        var step = instance.activeStep
        var window = instance.window
        if var rolling = instance.rolling {
            rolling.advance(to: now)
            used = rolling.total
            window = rule.period.window(containing: now, in: rule.timeZone)
        } else if let current = instance.window, let end = current.end, now >= end {
            let next = rule.period.window(containing: now, in: rule.timeZone)
            limit = self.limit(afterPrevious: next.start == end ? instance.used : .zero)
            used = .zero
            step = highestStep(reachedBy: used, limit: overrides[instance.labels]?.effectiveLimit(limit) ?? limit)
            window = next
        }
        let override = overrideEffect(on: instance, limit: limit)
        let change = override?.limitChange ?? .zero
        let reserved = instance.reserved
        var limits: [BudgetStatus.Limit] = []
        if let money = rule.limit.money {
            limits.append(Self.statusLimit(unit: money.currency, base: baseLimit.money, limit: limit.money, change: change.money,
                                           used: used.money, reserved: reserved.money))
        }
        if rule.limit.tokens != nil {
            func whole(_ count: Int64) -> Money { Money(attos: Int128(count) * Money.attosPerUnit) }
            limits.append(Self.statusLimit(unit: "tokens", base: whole(baseLimit.tokens), limit: whole(limit.tokens),
                                           change: whole(change.tokens), used: whole(used.tokens), reserved: whole(reserved.tokens)))
        }
        let period: BudgetStatus.Period = switch rule.period {
        case .total: .init(start: nil, end: nil, timeZone: rule.timeZone.name)
        case .rolling: .init(start: window?.start, end: nil, timeZone: rule.timeZone.name)
        default: .init(start: window?.start, end: window?.end, timeZone: rule.timeZone.name)
        }
        return BudgetStatus(budget: rule.name, scope: instance.labels, period: period, limits: limits,
                            step: step.map { rule.thresholds[$0].action }, override: override)
    }

    /// One unit's figures; `limit` is the window's limit before any override (base plus rollover).
    static func statusLimit(unit: String, base: Money, limit: Money, change: Money, used: Money, reserved: Money) -> BudgetStatus.Limit {
        let effective = limit + change
        let left = effective - used - reserved
        return BudgetStatus.Limit(unit: unit, base: base, rollover: limit - base, override: change, effective: effective,
                                  used: used, reserved: reserved, remaining: left < .zero ? .zero : left,
                                  usageRatio: ratio(used.attos, effective.attos))
    }
}
