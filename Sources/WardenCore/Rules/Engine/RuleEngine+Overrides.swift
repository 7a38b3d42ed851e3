extension RuleEngine {
    /// Makes `overrides` the active overrides, replacing all others: each changes its budget
    /// instance's effective limit (or exempts it) from now on. The instances they name are
    /// created if missing (so their effective limit shows before any usage), and the steps of
    /// every instance whose override came or went are settled again (crossings audited with cause
    /// `override`). Overrides for a budget that is not loaded, or for labels that name none of its
    /// instances (a reload changed its `per:`), wait: they apply again once the budget fits.
    public mutating func applyOverrides(_ overrides: [BudgetOverride], at now: Timestamp) -> [AuditEvent] {
        var touched: [(index: Int, labels: [AuditLabel])] = []
        for index in budgets.indices {
            for labels in budgets[index].overrides.keys { touched.append((index, labels)) }
            budgets[index].overrides = [:]
        }
        var audit: [AuditEvent] = []
        for override in overrides {
            guard let index = budgets.firstIndex(where: { $0.rule.name == override.budget }),
                  let key = budgets[index].instanceKey(forLabels: override.instance) else { continue }
            budgets[index].overrides[override.instance] = override
            audit += budgets[index].touch(key, at: now).transitions
            touched.append((index, override.instance))
        }
        for (index, labels) in touched {
            guard let key = budgets[index].instanceKey(forLabels: labels), var instance = budgets[index].instances[key] else { continue }
            audit += budgets[index].settleSteps(&instance, at: now, reason: "override")
            budgets[index].instances[key] = instance
        }
        activeOverrides = overrides
        return audit
    }

    /// The override in force for the instance of `budget` labelled `instance` (sorted labels, as
    /// ``BudgetOverride/instance``), if any.
    public func activeOverride(budget: String, instance: [AuditLabel]) -> BudgetOverride? {
        guard let tracker = budgets.first(where: { $0.rule.name == budget }) else { return nil }
        return tracker.overrides[instance.sorted()]
    }

    /// The sorted labels of the instance of budget `name` that `given` names, after checking that
    /// `change` fits the budget's limits (see ``OverrideTerms/instance(of:given:)``).
    public func overrideTarget(budget name: String, instance given: [(key: String, value: String)],
                               change: OverrideChange) -> Result<[AuditLabel], OverrideTerms.Problem> {
        rules.overrideTarget(budget: name, instance: given, change: change)
    }
}

extension RuleSet {
    /// ``RuleEngine/overrideTarget(budget:instance:change:)`` against the rules alone (the
    /// command line checks a request without an engine).
    public func overrideTarget(budget name: String, instance given: [(key: String, value: String)],
                               change: OverrideChange) -> Result<[AuditLabel], OverrideTerms.Problem> {
        guard let rule = budgets.first(where: { $0.name == name }) else {
            let known = budgets.map(\.name).joined(separator: ", ")
            return .failure(.init(field: "budget", message: "no budget named \"\(name)\"" + (known.isEmpty ? " (no budgets are loaded)" : "; budgets: \(known)")))
        }
        if let problem = change.problem(for: rule.limit) {
            return .failure(.init(field: "change", message: "\(problem) (budget \(name) limits \(rule.limit))"))
        }
        return OverrideTerms.instance(of: rule, given: given)
    }
}
