/// The last step the audit log recorded for one budget instance: its latest crossing row.
public struct AuditedStep: Sendable, Hashable {
    public var rule: String
    public var scope: [AuditLabel]
    /// True for `threshold_crossed_up` (the step at ``at`` is active), false for
    /// `threshold_crossed_down` (the step below it is).
    public var crossedUp: Bool
    public var at: ThresholdPercent

    public init(rule: String, scope: [AuditLabel], crossedUp: Bool, at: ThresholdPercent) {
        self.rule = rule
        self.scope = scope.sorted()
        self.crossedUp = crossedUp
        self.at = at
    }
}

extension RuleEngine {
    /// Audits what changed while the process was down. ``restore(_:onlyBudgets:at:)`` rebuilds
    /// each budget's steps silently (they were audited when they happened); but a period that
    /// ended during the outage leaves steps no row ever reported as left, and a crash between a
    /// commit and its audit append leaves a crossing never reported. Comparing the restored steps
    /// with the last crossing the log holds for each instance closes both gaps, with cause
    /// `restart`, so the log (and the notifications fed from it) end in the state the engine is in.
    ///
    /// Instances whose rule or ladder changed since (the audited threshold is no longer a step of
    /// the rule) are left alone: the reload that changed them was audited.
    public mutating func reconcile(with audited: [AuditedStep], at now: Timestamp) -> [AuditEvent] {
        var rows: [AuditEvent] = []
        var seen = Set<String>()
        for record in audited {
            guard let index = budgets.firstIndex(where: { $0.rule.name == record.rule }),
                  let step = budgets[index].rule.thresholds.firstIndex(where: { $0.at == record.at }) else { continue }
            let previous: Int? = record.crossedUp ? step : (step > 0 ? step - 1 : nil)
            let tracker = budgets[index]
            if let (key, instance) = tracker.instances.entries.first(where: { $0.1.labels == record.scope }) {
                seen.insert("\(index)\u{1E}\(key)")
                rows += tracker.transitionEvents(from: previous, to: instance.activeStep, instance: instance, at: now, reason: "restart")
            } else if previous != nil {
                // No usage in the current window: the instance is back at no step.
                var idle = BudgetInstance(rule: tracker.rule.name, labels: record.scope, now: now)
                if case .rolling(let duration) = tracker.rule.period { idle.rolling = RollingUsage(window: duration.nanoseconds) }
                else { idle.window = tracker.rule.period.window(containing: now, in: tracker.rule.timeZone) }
                rows += tracker.transitionEvents(from: previous, to: nil, instance: idle, at: now, reason: "restart")
            }
        }
        // Restored steps the log never saw at all (a crash before the first crossing's row).
        let auditedScopes = Set(audited.map { "\($0.rule)\u{1E}\($0.scope.map { "\($0.key)=\($0.value)" }.joined(separator: ","))" })
        for (index, tracker) in budgets.enumerated() {
            for (key, instance) in tracker.instances.entries.sorted(by: { $0.0 < $1.0 })
            where instance.activeStep != nil && !seen.contains("\(index)\u{1E}\(key)") {
                let scopeKey = "\(tracker.rule.name)\u{1E}\(instance.labels.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
                guard !auditedScopes.contains(scopeKey) else { continue }
                rows += tracker.transitionEvents(from: nil, to: instance.activeStep, instance: instance, at: now, reason: "restart")
            }
        }
        return rows
    }
}
