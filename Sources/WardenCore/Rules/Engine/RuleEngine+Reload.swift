extension RuleEngine {
    /// The engine for a new rule set, carrying over the state of every rule whose identity did
    /// not change (budget usage, reservations, grace clocks, quota buckets); ladders and limits
    /// may change, and the steps are re-derived against them (crossings are audited with cause
    /// `reload`). Reservations keep their holds on surviving rules.
    ///
    /// Returns the new engine, the positions of budgets that start without state (the caller
    /// replays their usage from the store, see ``restore(_:onlyBudgets:at:)``), and audit rows.
    public func reloaded(with newRules: RuleSet, at now: Timestamp) -> (engine: RuleEngine, freshBudgets: Set<Int>, audit: [AuditEvent]) {
        var engine = RuleEngine(rules: newRules, configuration: configuration)
        engine.counters = counters
        var fresh = Set<Int>()
        var audit: [AuditEvent] = []
        // The overrides are in place before the steps are re-derived, so a reload does not audit a
        // crossing at the rule's own limit that the override then takes back.
        for override in activeOverrides {
            guard let index = engine.budgets.firstIndex(where: { $0.rule.name == override.budget }),
                  engine.budgets[index].instanceKey(forLabels: override.instance) != nil else { continue }
            engine.budgets[index].overrides[override.instance] = override
        }
        for index in engine.budgets.indices {
            guard let old = budgetIndex[engine.budgets[index].rule.identity] else {
                fresh.insert(index)
                continue
            }
            engine.budgets[index].instances = budgets[old].instances
            for key in engine.budgets[index].instances.keys {
                guard var instance = engine.budgets[index].instances[key] else { continue }
                if engine.budgets[index].rule.thresholds.count != budgets[old].rule.thresholds.count
                    || zip(engine.budgets[index].rule.thresholds, budgets[old].rule.thresholds).contains(where: { $0.at != $1.at || $0.action != $1.action }) {
                    // A different ladder: step indices mean something else now.
                    instance.activeStep = nil
                    instance.stepReachedAt = [:]
                    instance.throttles = [:]
                    let crossings = engine.budgets[index].settleSteps(&instance, at: now, reason: "reload")
                    audit += crossings
                } else {
                    audit += engine.budgets[index].settleSteps(&instance, at: now, reason: "reload")
                }
                engine.budgets[index].instances[key] = instance
            }
        }
        for index in engine.quotas.indices {
            guard let old = quotaIndex[newRules.quotas[index].identity], rules.quotas[old].policy == newRules.quotas[index].policy else { continue }
            engine.quotas[index] = quotas[old]
        }
        // Holds point at positions: re-point them at the new rule set by identity.
        var budgetMoves: [Int: Int] = [:]
        for (identity, old) in budgetIndex { if let new = engine.budgetIndex[identity] { budgetMoves[old] = new } }
        var quotaMoves: [Int: Int] = [:]
        for (identity, old) in quotaIndex { if let new = engine.quotaIndex[identity] { quotaMoves[old] = new } }
        engine.reservations = reservations.mapValues { $0.repointed(budgets: budgetMoves, quotas: quotaMoves) }
        engine.expiries = expiries
        // Fresh budgets get theirs too; their usage is replayed afterwards against the override.
        audit += engine.applyOverrides(activeOverrides, at: now)
        return (engine, fresh, audit)
    }
}
