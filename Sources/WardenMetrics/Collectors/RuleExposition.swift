import WardenCore

/// Renders the rule engine's state as the public rule metric families.
///
/// Budget families carry `budget`, the instance's scope labels (the scope's fixed values and the
/// `per:` labels, e.g. `org="acme",team="search"`) and, where amounts are involved, `unit`
/// (`USD` or `tokens`). Counters of every loaded quota and policy are exposed from zero, so
/// `rate()` and `increase()` work before the first throttle or violation.
public struct RuleExposition: MetricsCollector {
    let status: @Sendable () -> RuleEngineStatus
    let checkDuration: Histogram

    public init(status: @escaping @Sendable () -> RuleEngineStatus, checkDuration: Histogram) {
        self.status = status
        self.checkDuration = checkDuration
    }

    public func write(into writer: inout ExpositionWriter) {
        let snapshot = status()
        Self.writeBudgets(snapshot, into: &writer)
        Self.writeDecisions(snapshot, into: &writer)
        Self.writeQuotasAndPolicies(snapshot, into: &writer)
        Self.writeReservationsAndRules(snapshot, into: &writer)
        writer.family("tokenwarden_check_duration_seconds", type: .histogram,
                      help: "Time to decide a pre-flight check, from decoded request to decision.", unit: "seconds")
        writer.histogram("tokenwarden_check_duration_seconds", .empty, checkDuration.snapshot())
    }

    /// Limits, usage, ratios, period ends and steps, one series per budget instance (and unit).
    static func writeBudgets(_ snapshot: RuleEngineStatus, into writer: inout ExpositionWriter) {
        var instanceLabels: [LabelPairs] = []
        instanceLabels.reserveCapacity(snapshot.budgets.count)
        for budget in snapshot.budgets {
            instanceLabels.append(LabelPairs([("budget", budget.budget)] + budget.labels.map { ($0.key, $0.value) }))
        }

        func amounts(_ name: String, help: String, _ value: (BudgetSnapshot.Unit) -> Money) {
            writer.family(name, type: .gauge, help: help)
            for (index, budget) in snapshot.budgets.enumerated() {
                for unit in budget.units {
                    writer.sample(name, instanceLabels[index], extra: ("unit", unit.unit), value(unit).approximateDouble)
                }
            }
        }
        amounts("tokenwarden_budget_limit", help: "The budget's effective limit in the current period, rollover and an active override included (unit: a currency or tokens).") { $0.limit }
        amounts("tokenwarden_budget_used", help: "Committed usage in the current period.") { $0.used }
        amounts("tokenwarden_budget_reserved", help: "Usage reserved by allowed checks that has not been committed, released or expired.") { $0.reserved }
        amounts("tokenwarden_budget_usage_ratio", help: "Used divided by limit (1 = 100%).") { $0.ratio }

        writer.family("tokenwarden_budget_period_end_timestamp_seconds", type: .gauge,
                      help: "When the budget's current period ends (calendar periods only).", unit: "seconds")
        for (index, budget) in snapshot.budgets.enumerated() {
            guard let end = budget.periodEnd else { continue }
            writer.sample("tokenwarden_budget_period_end_timestamp_seconds", instanceLabels[index], end.secondsSinceEpoch)
        }

        writer.family("tokenwarden_budget_override_active", type: .gauge,
                      help: "1 while an approved override changes the budget's limit or exempts it, 0 otherwise.")
        for (index, budget) in snapshot.budgets.enumerated() {
            writer.sample("tokenwarden_budget_override_active", instanceLabels[index], budget.override == nil ? 0 : 1)
        }

        writer.family("tokenwarden_budget_step", type: .gauge,
                      help: "1 for the budget's active threshold step (none, notify, warn, throttle or deny), 0 for the others.")
        for (index, budget) in snapshot.budgets.enumerated() {
            writer.sample("tokenwarden_budget_step", instanceLabels[index], extra: ("step", "none"), budget.activeStep == nil ? 1 : 0)
            for step in budget.steps {
                writer.sample("tokenwarden_budget_step", instanceLabels[index], extra: ("step", step.rawValue), budget.activeStep == step ? 1 : 0)
            }
        }
    }

    static func writeDecisions(_ snapshot: RuleEngineStatus, into writer: inout ExpositionWriter) {
        writer.family("tokenwarden_decisions_total", type: .counter,
                      help: "Pre-flight checks by decision, with the kind and name of the rule that decided (kind none: no rule objected).")
        let decisions = snapshot.counters.decisions.sorted {
            ($0.key.decision.rawValue, $0.key.kind, $0.key.rule) < ($1.key.decision.rawValue, $1.key.kind, $1.key.rule)
        }
        if decisions.isEmpty {
            writer.sample("tokenwarden_decisions_total", LabelPairs([("decision", "allow"), ("kind", "none"), ("rule", "")]), 0)
        }
        for (key, count) in decisions {
            writer.sample("tokenwarden_decisions_total", LabelPairs([("decision", key.decision.rawValue), ("kind", key.kind), ("rule", key.rule)]), count)
        }
    }

    /// Every loaded quota and policy from zero; counts of policies a reload removed stay.
    static func writeQuotasAndPolicies(_ snapshot: RuleEngineStatus, into writer: inout ExpositionWriter) {
        writer.family("tokenwarden_quota_throttled_total", type: .counter, help: "Checks refused by an enforced quota.")
        for name in snapshot.quotaNames {
            writer.sample("tokenwarden_quota_throttled_total", LabelPairs([("quota", name)]), snapshot.counters.quotaThrottled[name] ?? 0)
        }
        writer.family("tokenwarden_quota_shadow_throttled_total", type: .counter,
                      help: "Checks a shadow quota (shadow: true) would have refused; they were allowed.")
        for name in snapshot.quotaNames {
            writer.sample("tokenwarden_quota_shadow_throttled_total", LabelPairs([("quota", name)]), snapshot.counters.quotaShadowThrottled[name] ?? 0)
        }

        writer.family("tokenwarden_policy_violations_total", type: .counter,
                      help: "Checks a policy with a warn, require_approval or deny action matched.")
        var seen = Set<EngineCounters.PolicyKey>()
        for (name, action) in zip(snapshot.policyNames, snapshot.policyActions) where action != .allow {
            let key = EngineCounters.PolicyKey(policy: name, action: action)
            seen.insert(key)
            writer.sample("tokenwarden_policy_violations_total", LabelPairs([("policy", name), ("action", action.rawValue)]),
                          snapshot.counters.policyViolations[key] ?? 0)
        }
        // Counts of policies removed by a reload stay visible (counters never go backwards).
        for (key, count) in snapshot.counters.policyViolations.sorted(by: { ($0.key.policy, $0.key.action.rawValue) < ($1.key.policy, $1.key.action.rawValue) })
        where !seen.contains(key) {
            writer.sample("tokenwarden_policy_violations_total", LabelPairs([("policy", key.policy), ("action", key.action.rawValue)]), count)
        }
    }

    static func writeReservationsAndRules(_ snapshot: RuleEngineStatus, into writer: inout ExpositionWriter) {
        writer.family("tokenwarden_reservations_active", type: .gauge, help: "Reservations held by allowed checks and not yet committed, released or expired.")
        writer.sample("tokenwarden_reservations_active", .empty, snapshot.reservationsActive)
        writer.family("tokenwarden_reservations_expired_total", type: .counter, help: "Reservations that expired unclaimed.")
        writer.sample("tokenwarden_reservations_expired_total", .empty, snapshot.counters.reservationsExpired)
        writer.family("tokenwarden_reservations_refused_total", type: .counter,
                      help: "Allowed checks answered 503 because reservations.max_active reservations were live.")
        writer.sample("tokenwarden_reservations_refused_total", .empty, snapshot.counters.reservationsRefused)

        writer.family("tokenwarden_rules_last_reload_success_timestamp_seconds", type: .gauge,
                      help: "When the rule files were last loaded successfully.", unit: "seconds")
        writer.sample("tokenwarden_rules_last_reload_success_timestamp_seconds", .empty,
                      snapshot.reload.lastSuccess?.approximateSeconds ?? 0)
        writer.family("tokenwarden_rules_last_reload_successful", type: .gauge,
                      help: "1 if the last reload of the rule files succeeded, 0 if it failed (the previous rules stay in force).")
        writer.sample("tokenwarden_rules_last_reload_successful", .empty, snapshot.reload.lastAttemptSucceeded ? 1 : 0)
        writer.family("tokenwarden_rules_loaded", type: .gauge, help: "Rules in force, by kind.")
        for (kind, count) in snapshot.loaded {
            writer.sample("tokenwarden_rules_loaded", LabelPairs([("kind", kind.rawValue)]), count)
        }
        writer.family("tokenwarden_audit_append_failures_total", type: .counter,
                      help: "Audit rows that could not be appended to the audit log (see the log for why).")
        writer.sample("tokenwarden_audit_append_failures_total", .empty, snapshot.auditAppendFailures)
    }
}
