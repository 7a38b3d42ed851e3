/// The live state of one budget for one scope (one value of its `per:` labels): what was used in
/// the current period, what is reserved by checks in flight, and which step of the ladder is active.
///
/// Usage is counted by the event's own time: an event in the current window counts now, one from
/// the previous window counts there (it changes what rolls over), older ones are ignored here.
struct BudgetInstance: Sendable {
    /// The rule and the labels that identify this instance in metrics, reasons and audit rows,
    /// as every check's reason about it shares them (see ``ReasonSubject``).
    let subject: ReasonSubject
    /// The current calendar window (nil for rolling periods).
    var window: PeriodWindow?
    var used = UsageAmount.zero
    /// Usage of the window just before ``window``, for rollover.
    var previousUsed = UsageAmount.zero
    var rolling: RollingUsage?
    var reserved = UsageAmount.zero
    /// The highest step reached by committed usage, as an index into the rule's thresholds.
    var activeStep: Int?
    /// When each step was first reached in this window (by committed usage or a check's
    /// projection): grace runs from here.
    var stepReachedAt: [Int: Timestamp] = [:]
    /// Throttle-step rate limiters, by step index, created when first needed.
    var throttles: [Int: GCRA] = [:]
    var lastTouched: Timestamp

    init(rule: String, labels: [AuditLabel], now: Timestamp) {
        subject = ReasonSubject(rule: rule, kind: .budget, scope: labels)
        lastTouched = now
    }

    /// The labels that identify this instance.
    var labels: [AuditLabel] { subject.scope }

    /// Committed usage in the current window.
    var currentUsed: UsageAmount { rolling?.total ?? used }

    /// Whether ``BudgetTracker/advance(_:to:)`` has anything to do at `now`: a calendar window
    /// that ended, or rolling usage that left the window.
    func needsAdvance(to now: Timestamp) -> Bool {
        if let rolling { return rolling.hasExpired(at: now) }
        guard let end = window?.end else { return false }
        return now >= end
    }
}

/// One budget rule with its instances and the limits its steps start at.
struct BudgetTracker: Sendable {
    let rule: BudgetRule
    var instances = BudgetInstances()
    /// Instances beyond this count share one `__other__` instance, so a label explosion in a
    /// `per:` label cannot exhaust memory.
    let maximumInstances: Int

    /// The rule's own limit, and where each step starts against it. A window without rollover
    /// (the usual case) compares with these, so a check does not multiply and divide 128-bit
    /// numbers for every step of every budget.
    let baseLimit: UsageAmount
    let baseStepStarts: [UsageAmount]
    /// Active overrides by instance labels (``BudgetOverride/instance``): usually empty, and then
    /// the check path never looks.
    var overrides: [[AuditLabel]: BudgetOverride] = [:]

    init(rule: BudgetRule, maximumInstances: Int) {
        self.rule = rule
        self.maximumInstances = maximumInstances
        let limit = UsageAmount(money: rule.limit.money?.amount ?? .zero, tokens: rule.limit.tokens ?? 0)
        baseLimit = limit
        baseStepStarts = rule.thresholds.indices.map { Self.stepStart(rule, step: $0, limit: limit) }
    }

    /// Where step `index` starts against `limit`, in the units the rule limits (zero in the others).
    static func stepStart(_ rule: BudgetRule, step index: Int, limit: UsageAmount) -> UsageAmount {
        let at = rule.thresholds[index].at
        return UsageAmount(money: rule.limit.money != nil ? at.amount(of: limit.money) : .zero,
                           tokens: rule.limit.tokens != nil ? at.tokens(of: limit.tokens) : 0)
    }

    func stepStart(_ index: Int, limit: UsageAmount) -> UsageAmount {
        limit == baseLimit ? baseStepStarts[index] : Self.stepStart(rule, step: index, limit: limit)
    }

    /// The instance key and labels for an attribution, or nil when the rule does not apply.
    func instanceKey(for attribution: Attribution) -> String? {
        guard rule.scope.matches(attribution) else { return nil }
        if rule.per.isEmpty { return "" }
        if rule.per.count == 1 { return attribution[rule.per[0]] ?? "" }
        return rule.per.map { attribution[$0] ?? "" }.joined(separator: "\u{1F}")
    }

    func labels(forKey key: String) -> [AuditLabel] {
        var labels: [AuditLabel] = []
        for (label, condition) in rule.scope.conditions where !rule.per.contains(label) {
            if case .equals(let value) = condition { labels.append(AuditLabel(key: label, value: value)) }
        }
        let values = rule.per.count == 1 ? [key] : key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        for (label, value) in zip(rule.per, values) { labels.append(AuditLabel(key: label, value: value)) }
        return labels.sorted()
    }

    static let otherKey = "\u{1F}__other__"

    /// The instance for `key`, created (and brought to `now`'s window) when missing.
    mutating func touch(_ key: String, at now: Timestamp) -> (key: String, transitions: [AuditEvent]) {
        var key = key
        if instances[key] == nil {
            if instances.count >= maximumInstances {
                key = Self.otherKey
            }
            if instances[key] == nil {
                let labels = key == Self.otherKey ? rule.per.map { AuditLabel(key: $0, value: "__other__") } : labels(forKey: key)
                var instance = BudgetInstance(rule: rule.name, labels: labels, now: now)
                if case .rolling(let duration) = rule.period { instance.rolling = RollingUsage(window: duration.nanoseconds) }
                else { instance.window = rule.period.window(containing: now, in: rule.timeZone) }
                instances[key] = instance
                return (key, [])
            }
        }
        let transitions = advance(key, to: now)
        instances[key]!.lastTouched = max(instances[key]!.lastTouched, now)
        return (key, transitions)
    }

    /// An instance's position in ``instances``: stable for the engine's life.
    typealias Slot = Int

    /// ``touch(_:at:)`` for the check path: the instance's position in ``instances``, so the
    /// check reads and updates it in place instead of hashing its key again for every field.
    mutating func touchSlot(_ key: String, at now: Timestamp) -> (slot: Slot, transitions: [AuditEvent]) {
        if let slot = instances.position(of: key) { return (slot, touch(slot: slot, at: now)) }
        let (actual, transitions) = touch(key, at: now)
        return (instances.position(of: actual)!, transitions)
    }

    /// Brings the instance at `slot` to `now`'s window. One already there is not rewritten (its
    /// steps cannot have moved: every change of usage or limit settles them).
    mutating func touch(slot: Slot, at now: Timestamp) -> [AuditEvent] {
        let current = withInstance(at: slot) { instance in
            guard !instance.needsAdvance(to: now) else { return false }
            if instance.lastTouched < now { instance.lastTouched = now }
            return true
        }
        if current { return [] }
        let transitions = advance(instances.keys[slot], to: now)
        withInstance(at: slot) { $0.lastTouched = max($0.lastTouched, now) }
        return transitions
    }

    /// ``advance(_:to:)`` for the instance at `slot`, only when it is due: the once-a-second tick
    /// visits every instance, and most have nothing to do (no key is hashed, nothing rewritten).
    mutating func advanceIfDue(slot: Slot, to now: Timestamp) -> [AuditEvent] {
        guard withInstance(at: slot, { $0.needsAdvance(to: now) }) else { return [] }
        return advance(instances.keys[slot], to: now)
    }

    /// Moves an instance into the window containing `now`: a new period starts from zero (what
    /// rolls over is derived from the previous window's usage) and leaves its steps.
    mutating func advance(_ key: String, to now: Timestamp) -> [AuditEvent] {
        guard var instance = instances[key] else { return [] }
        defer { instances[key] = instance }
        if instance.rolling != nil {
            instance.rolling!.advance(to: now)
            return settleSteps(&instance, at: now, reason: "window")
        }
        guard let window = instance.window, let end = window.end, now >= end else { return [] }
        let next = rule.period.window(containing: now, in: rule.timeZone)
        instance.previousUsed = next.start == end ? instance.used : .zero
        instance.used = .zero
        instance.window = next
        instance.stepReachedAt = [:]
        instance.throttles = [:]
        return settleSteps(&instance, at: now, reason: "period_end")
    }

    // MARK: limits

    /// The highest step that applies to a request: one committed usage has reached, or one the
    /// request's projection (used + reserved + estimate) would pass.
    func applicableStep(used: UsageAmount, projected: UsageAmount, limit: UsageAmount) -> Int? {
        var index = rule.thresholds.count - 1
        while index >= 0 {
            if reaches(used, step: index, limit: limit) || exceeds(projected, step: index, limit: limit) { return index }
            index -= 1
        }
        return nil
    }

    /// The limit of the current window: the rule's limit plus what rolled over, changed by the
    /// instance's active override.
    func effectiveLimit(_ instance: BudgetInstance) -> UsageAmount {
        let limit = limit(afterPrevious: instance.previousUsed)
        guard !overrides.isEmpty, let override = overrides[instance.labels] else { return limit }
        return override.effectiveLimit(limit)
    }

    /// The instance key of the instance labelled `labels` (as ``labels(forKey:)`` makes them), or
    /// nil when they do not name one of this rule's instances.
    func instanceKey(forLabels labels: [AuditLabel]) -> String? {
        var values: [String] = []
        for label in rule.per {
            guard let value = labels.first(where: { $0.key == label })?.value else { return nil }
            values.append(value)
        }
        let key = rule.per.isEmpty ? "" : values.joined(separator: "\u{1F}")
        return self.labels(forKey: key) == labels.sorted() ? key : nil
    }

    /// The rule's limit plus what rolls over from a previous window that used `previousUsed`.
    func limit(afterPrevious previousUsed: UsageAmount) -> UsageAmount {
        var limit = baseLimit
        guard let rollover = rule.rollover else { return limit }
        let unspent = (limit - previousUsed).clampedAtZero
        if rule.limit.money != nil { limit.money += rollover.carry(money: unspent.money) }
        if rule.limit.tokens != nil { limit.tokens = limit.tokens.addingSaturating(rollover.carry(tokens: unspent.tokens)) }
        return limit
    }

    /// Whether `amount` has reached step `index` (at or above its threshold in any limited unit).
    func reaches(_ amount: UsageAmount, step index: Int, limit: UsageAmount) -> Bool {
        let start = stepStart(index, limit: limit)
        if rule.limit.money != nil, amount.money >= start.money { return true }
        if rule.limit.tokens != nil, amount.tokens >= start.tokens { return true }
        return false
    }

    /// Whether `amount` is strictly above step `index`'s threshold in any limited unit.
    func exceeds(_ amount: UsageAmount, step index: Int, limit: UsageAmount) -> Bool {
        let start = stepStart(index, limit: limit)
        if rule.limit.money != nil, amount.money > start.money { return true }
        if rule.limit.tokens != nil, amount.tokens > start.tokens { return true }
        return false
    }

    /// The highest step `amount` has reached.
    func highestStep(reachedBy amount: UsageAmount, limit: UsageAmount) -> Int? {
        var index = rule.thresholds.count - 1
        while index >= 0 {
            if reaches(amount, step: index, limit: limit) { return index }
            index -= 1
        }
        return nil
    }

    /// `amount ÷ limit`, the larger of the money and token ratios, exact to 10⁻⁹.
    func ratio(_ amount: UsageAmount, limit: UsageAmount) -> Money {
        var best = Money.zero
        if rule.limit.money != nil { best = max(best, Self.ratio(amount.money.attos, limit.money.attos)) }
        if rule.limit.tokens != nil { best = max(best, Self.ratio(Int128(amount.tokens), Int128(limit.tokens))) }
        return best
    }

    static func ratio(_ numerator: Int128, _ denominator: Int128) -> Money {
        guard denominator > 0 else { return .zero }
        var numerator = max(numerator, 0)
        var denominator = denominator
        // Keep remainder × 10⁹ inside Int128 for any realistic limit.
        while denominator > 1 << 96 { numerator /= 1024; denominator /= 1024 }
        let (whole, rest) = numerator.quotientAndRemainder(dividingBy: denominator)
        let nanos = rest * 1_000_000_000 / denominator
        return Money(attos: whole * Money.attosPerUnit + nanos * 1_000_000_000)
    }

    /// What is left of `limit` after `consumed`, in the rule's units: `"12.50 USD and 300 tokens"`.
    func remainingText(limit: UsageAmount, consumed: UsageAmount) -> String {
        var terms: [String] = []
        if let money = rule.limit.money {
            let left = limit.money - consumed.money
            terms.append("\((left < .zero ? .zero : left).exactDecimal) \(money.currency)")
        }
        if rule.limit.tokens != nil { terms.append("\(max(limit.tokens - consumed.tokens, 0)) tokens") }
        return terms.joined(separator: " and ")
    }

    // MARK: steps

    /// Re-derives the active step from committed usage and returns the audit rows for every step
    /// crossed, one row per step, in the order they were crossed.
    mutating func settleSteps(_ instance: inout BudgetInstance, at time: Timestamp, reason: String) -> [AuditEvent] {
        let limit = effectiveLimit(instance)
        let new = highestStep(reachedBy: instance.currentUsed, limit: limit)
        let old = instance.activeStep
        guard new != old else { return [] }
        instance.activeStep = new
        if (new ?? -1) > (old ?? -1) {
            for index in ((old ?? -1) + 1)...(new!) where instance.stepReachedAt[index] == nil {
                instance.stepReachedAt[index] = time
            }
        }
        return transitionEvents(from: old, to: new, instance: instance, at: time, reason: reason)
    }

    /// The audit rows for moving from step `old` to step `new`: one crossing per step passed, in
    /// the order they were passed, and a throttle start or end when that changed.
    func transitionEvents(from old: Int?, to new: Int?, instance: BudgetInstance, at time: Timestamp, reason: String) -> [AuditEvent] {
        guard new != old else { return [] }
        let limit = effectiveLimit(instance)
        let observed = observedText(instance.currentUsed)
        var events: [AuditEvent] = []
        if (new ?? -1) > (old ?? -1) {
            for index in ((old ?? -1) + 1)...(new!) {
                events.append(stepEvent(AuditAction.thresholdCrossedUp, step: index, instance: instance, observed: observed, limit: limit, time: time, reason: reason))
            }
        } else {
            for index in stride(from: old!, to: new ?? -1, by: -1) {
                events.append(stepEvent(AuditAction.thresholdCrossedDown, step: index, instance: instance, observed: observed, limit: limit, time: time, reason: reason))
            }
        }
        let wasThrottling = isThrottling(old), isNowThrottling = isThrottling(new)
        if wasThrottling != isNowThrottling, let step = firstThrottleStep {
            events.append(stepEvent(isNowThrottling ? AuditAction.throttleStarted : AuditAction.throttleEnded, step: step,
                                    instance: instance, observed: observed, limit: limit, time: time, reason: reason))
        }
        return events
    }

    private var firstThrottleStep: Int? { rule.thresholds.firstIndex { $0.action == .throttle } }

    /// A throttle step is in force while the active step is at or above it.
    func isThrottling(_ step: Int?) -> Bool {
        guard let step, let first = firstThrottleStep else { return false }
        return step >= first
    }

    func observedText(_ amount: UsageAmount) -> String {
        var terms: [String] = []
        if rule.limit.money != nil { terms.append(amount.money.exactDecimal) }
        if rule.limit.tokens != nil { terms.append(String(amount.tokens)) }
        return terms.joined(separator: " ")
    }

    func limitText(_ limit: UsageAmount) -> String {
        var terms: [String] = []
        if rule.limit.money != nil { terms.append(limit.money.exactDecimal) }
        if rule.limit.tokens != nil { terms.append(String(limit.tokens)) }
        return terms.joined(separator: " ")
    }

    private func stepEvent(_ action: String, step index: Int, instance: BudgetInstance, observed: String,
                           limit: UsageAmount, time: Timestamp, reason: String) -> AuditEvent {
        let step = rule.thresholds[index]
        var detail = AuditDetail([("at", .text(step.at.description)), ("step", .text(step.action.rawValue)),
                                  ("unit", .text(unitText)), ("cause", .text(reason))])
        if let window = instance.window { detail["period"] = .text(window.identifier) }
        if let message = step.message { detail["message"] = .text(message) }
        var event = AuditEvent(time: time, rule: rule.name, kind: .budget, action: action,
                               decision: step.action.rawValue, observed: observed, limit: limitText(limit), detail: detail)
        event.setScope(instance.labels)
        return event
    }

    /// The row for an instance whose `amount` ("used" or "reserved") reached its type's bound.
    func saturationEvent(_ instance: BudgetInstance, amount: String, at time: Timestamp) -> AuditEvent {
        let value = amount == "used" ? instance.used : instance.reserved
        var detail = AuditDetail([("amount", .text(amount)), ("unit", .text(unitText))])
        if let window = instance.window { detail["period"] = .text(window.identifier) }
        var event = AuditEvent(time: time, rule: rule.name, kind: .budget, action: AuditAction.amountSaturated,
                               observed: "\(value.money.exactDecimal) \(value.tokens)", detail: detail)
        event.setScope(instance.labels)
        return event
    }

    /// `USD`, `tokens`, or `USD+tokens` for a budget with both limits.
    var unitText: String {
        [rule.limit.money?.currency, rule.limit.tokens.map { _ in "tokens" }].compactMap { $0 }.joined(separator: "+")
    }
}
