/// The warden: budgets, quotas and policies applied to checks and usage, with reservations.
///
/// A pure value with no I/O and no clock: every operation takes `now`, and returns the audit rows
/// it produced for the caller to append. The server keeps one behind a single lock, which is what
/// makes a check's reservation atomic (all matching budgets and quotas or none) and lets 64
/// racing agents never push committed spend past a deny step.
///
/// ## Evaluation order (deterministic)
/// 1. Budgets, in rule order: each matching budget instance compares `used + reserved + estimate`
///    with its ladder; the highest step that applies gives its action (a step inside its grace
///    only warns; a throttle step with a `rate` lets requests through at that rate).
/// 2. Policies, in rule order (files by name, then file order); an `allow` match ends policy
///    evaluation for the request.
/// 3. Quotas, in rule order, only when nothing so far refused the request (a refused request
///    consumes no quota).
/// The strictest answer wins (allow < warn < throttle < require_approval < deny); every rule
/// that spoke is reported. An allowed request reserves its estimate everywhere it matched.
public struct RuleEngine: Sendable {
    public struct Configuration: Sendable {
        /// How long an unclaimed reservation is held (default 5 minutes).
        public var reservationTTL: Int64
        /// Instances per `per:` budget before new scopes share `__other__`.
        public var maximumInstances: Int
        /// Live reservations at most; an allowed check that would reserve past it reserves
        /// nothing and reports ``CheckOutcome/reservationsFull`` (the server answers 503).
        public var maximumReservations: Int

        public init(reservationTTL: Int64 = 300 * 1_000_000_000, maximumInstances: Int = 10_000,
                    maximumReservations: Int = .max) {
            self.reservationTTL = reservationTTL
            self.maximumInstances = maximumInstances
            self.maximumReservations = maximumReservations
        }
    }

    public private(set) var rules: RuleSet
    public let configuration: Configuration
    var budgets: [BudgetTracker]
    var quotas: [QuotaTable]
    var reservations = ReservationTable()
    var expiries = ExpiryQueue()
    /// Recent attributions and where they land (see ``CheckPlan``).
    var plans: [Attribution: CheckPlan] = [:]
    public internal(set) var counters = EngineCounters()
    /// Rule identity → position, to find a reservation's holds after a reload.
    var budgetIndex: [String: Int] = [:]
    var quotaIndex: [String: Int] = [:]
    // What the check path reads of each rule, by position, kept apart from `rules`: reading a
    // field through `rules.policies[i]` copies the whole rule (a retain and release of every
    // reference it holds), for every rule on every check.

    /// Each quota's policy, and its slot for the header texts the response writer renders once.
    let quotaPolicies: [QuotaPolicy]
    let quotaRendering: [RenderingSlot]
    /// Whether a quota counts requests (else tokens).
    let quotaCountsRequests: [Bool]
    let policyConditions: [CompiledCondition]
    /// Each policy's reason subject (its name, no scope), made once: a policy that speaks on
    /// every check would otherwise render its name for every one.
    let policySubjects: [ReasonSubject]
    /// Each policy's time zone, as a position in ``zones`` (local time is computed again only
    /// where the zone changes from one policy to the next).
    let policyZones: [Int]
    let zones: [TimeZoneRules]
    /// The budgets whose ratio some policy reads (`budget_ratio("…")`): the only ratios a check
    /// computes for policies.
    let policyReadsRatio: [Bool]
    let anyPolicyReadsRatio: Bool

    public init(rules: RuleSet, configuration: Configuration = Configuration()) {
        self.rules = rules
        self.configuration = configuration
        budgets = rules.budgets.map { BudgetTracker(rule: $0, maximumInstances: configuration.maximumInstances) }
        quotas = rules.quotas.map { QuotaTable(policy: $0.policy) }
        for (index, budget) in rules.budgets.enumerated() { budgetIndex[budget.identity] = index }
        for (index, quota) in rules.quotas.enumerated() { quotaIndex[quota.identity] = index }
        quotaPolicies = rules.quotas.map(\.policy)
        quotaRendering = rules.quotas.map { _ in RenderingSlot() }
        quotaCountsRequests = rules.quotas.map { $0.policy.unit == .requests }
        policyConditions = rules.policies.map(\.condition.compiled)
        policySubjects = rules.policies.map { ReasonSubject(rule: $0.name, kind: .policy, scope: []) }
        var zones: [TimeZoneRules] = []
        policyZones = rules.policies.map { policy in
            if let position = zones.firstIndex(where: { $0.name == policy.timeZone.name }) { return position }
            zones.append(policy.timeZone)
            return zones.count - 1
        }
        self.zones = zones
        var reads = [Bool](repeating: false, count: rules.budgets.count)
        for policy in rules.policies {
            for index in policy.condition.budgetRatioIndices where reads.indices.contains(index) { reads[index] = true }
        }
        policyReadsRatio = reads
        anyPolicyReadsRatio = reads.contains(true)
    }

    public var activeReservations: Int { reservations.count }

    // MARK: check

    /// Decides one pre-flight request and, when it is allowed, reserves its estimate under
    /// `reservationID` (a fresh unique id from the caller).
    public mutating func check(_ request: CheckRequest, reservationID: String, at now: Timestamp) -> CheckOutcome {
        var audit: [AuditEvent] = []
        let plan = plan(for: request.attribution, at: now, audit: &audit)
        var reasons: [DecisionReason] = []
        reasons.reserveCapacity(plan.budgets.count + 4)
        var decision = Decision.allow
        let estimate = UsageAmount(money: request.estimatedCost, tokens: request.estimatedTokens)
        // Budget instances this request would hold, and throttle-step rate slots it took (given
        // back if it is refused in the end), by position. The holds live as long as the
        // reservation, so they get exactly the room the plan's budgets need.
        var holds: [Reservation.BudgetHold] = []
        holds.reserveCapacity(plan.budgets.count)
        var rateHolds: [(index: Int, slot: BudgetTracker.Slot, step: Int, cost: Int64)] = []
        var ratios = [Money](repeating: .zero, count: anyPolicyReadsRatio ? budgets.count : 0)
        var retryAfter: Int64?

        // 1. Budgets, each answered in place (see ``BudgetTracker/answer(_:slot:estimate:wantsRatio:at:reasons:)``).
        for stop in plan.budgets {
            let index = stop.index
            let transitions = budgets[index].touch(slot: stop.slot, at: now)
            if !transitions.isEmpty { audit += transitions }
            let answer = budgets[index].answer(request, slot: stop.slot, estimate: estimate, wantsRatio: policyReadsRatio[index],
                                               at: now, reasons: &reasons)
            if policyReadsRatio[index] { ratios[index] = answer.ratio }
            if let rateHold = answer.rateHold { rateHolds.append((index, stop.slot, rateHold.step, rateHold.cost)) }
            if let wait = answer.retryAfter { retryAfter = max(retryAfter ?? 0, wait) }
            decision = max(decision, answer.decision)
            holds.append(.init(index: index, slot: stop.slot, holdsMoney: answer.amount.money != .zero))
        }

        // 2. Policies.
        if !rules.policies.isEmpty {
            var context = ExpressionContext(
                provider: request.provider, model: request.model, attribution: request.attribution,
                estimatedInputTokens: request.estimatedInputTokens, maxOutputTokens: request.maxOutputTokens,
                estimatedCost: request.estimatedCost, budgetRatios: ratios)
            var zone = -1
            for position in policyConditions.indices {
                // A policy is read from `rules` (a copy of all it holds) only once it matched.
                if zone != policyZones[position] {
                    zone = policyZones[position]
                    let local = zones[zone].localDateTime(at: now)
                    context.hour = local.hour
                    context.minute = local.minute
                    context.weekday = local.weekday.rawValue
                }
                guard policyConditions[position].evaluate(context) else { continue }
                let policy = rules.policies[position]
                if policy.action == .allow {
                    reasons.append(DecisionReason(subject: policySubjects[position], decision: .allow,
                                                  message: policy.message ?? "allowed by policy"))
                    break
                }
                let policyDecision: Decision = switch policy.action {
                case .warn: .warn
                case .requireApproval: .requireApproval
                case .deny, .allow: .deny
                }
                let message = policy.message ?? "policy \(policy.name) matched: \(policy.condition.source)"
                reasons.append(DecisionReason(subject: policySubjects[position], decision: policyDecision, message: message))
                decision = max(decision, policyDecision)
                counters.policyViolations[EngineCounters.PolicyKey(policy: policy.name, action: policy.action), default: 0] += 1
                audit.append(policyEvent(policy, request: request, message: message, at: now))
            }
        }

        // 3. Quotas, only for a request nothing has refused.
        var quotaHolds: [Reservation.QuotaHold] = []
        var quotaStates: [CheckOutcome.QuotaState] = []
        if decision.isAllowed && !plan.quotas.isEmpty {
            quotaHolds.reserveCapacity(plan.quotas.count)
            quotaStates.reserveCapacity(plan.quotas.count)
            for stop in plan.quotas {
                let index = stop.index, key = stop.key
                let cost = quotaCountsRequests[index] ? 1 : request.estimatedTokens
                let result = quotas[index].attempt(key, cost: cost, priority: request.priority, at: now)
                quotaStates.append(CheckOutcome.QuotaState(policy: quotaPolicies[index], rendering: quotaRendering[index],
                                                           remaining: result.remaining, resetAfter: result.resetAfter))
                if result.reserved > 0 {
                    quotaHolds.append(.init(index: index, key: key, units: result.reserved))
                }
                guard result.wouldThrottle || !result.isAllowed else { continue }
                let rule = rules.quotas[index]
                if result.wouldThrottle {
                    counters.quotaShadowThrottled[rule.name, default: 0] += 1
                    reasons.append(DecisionReason(rule: rule.name, kind: .quota, decision: .allow,
                                                  message: "shadow quota would throttle (\(rule.policy.rate.limit) \(rule.policy.unit) per \(RuleDuration(nanoseconds: rule.policy.rate.window)))",
                                                  scope: Self.quotaScope(rule, key), retryAfter: result.retryAfter))
                } else if !result.isAllowed {
                    let refused: Decision = result.verdict == .exceedsCapacity ? .deny : .throttle
                    counters.quotaThrottled[rule.name, default: 0] += 1
                    let message = result.verdict == .exceedsCapacity
                        ? "request of \(cost) \(rule.policy.unit) exceeds quota \(rule.name)'s capacity"
                        : "quota \(rule.name) exhausted (\(rule.policy.rate.limit) \(rule.policy.unit) per \(RuleDuration(nanoseconds: rule.policy.rate.window)))"
                    reasons.append(DecisionReason(rule: rule.name, kind: .quota, decision: refused, message: message,
                                                  scope: Self.quotaScope(rule, key), retryAfter: refused == .throttle ? result.retryAfter : nil))
                    if refused == .throttle { retryAfter = max(retryAfter ?? 0, result.retryAfter) }
                    decision = max(decision, refused)
                }
            }
        }

        // 4. Reserve, or give back what the quotas took.
        var grant: ReservationGrant?
        let wouldReserve = decision.isAllowed && (!holds.isEmpty || !quotaHolds.isEmpty)
        let reservationsFull = wouldReserve && reservations.count >= configuration.maximumReservations
        if decision.isAllowed && !reservationsFull {
            if wouldReserve {
                let expiresAt = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch &+ configuration.reservationTTL)
                let saturated = hold(Reservation(id: reservationID, createdAt: now, expiresAt: expiresAt, amount: estimate,
                                                 currency: request.currency, attribution: plan.attribution, budgetHolds: holds,
                                                 quotaHolds: quotaHolds), at: now)
                if !saturated.isEmpty { audit += saturated }
                grant = ReservationGrant(id: reservationID, amount: estimate.money, currency: request.currency,
                                         tokens: estimate.tokens, expiresAt: expiresAt)
            }
        } else {
            for hold in quotaHolds { quotas[hold.index].settle(hold.key, reserved: hold.units, actual: 0, at: now) }
            // A refused request did not go through the throttle, so it must not use up its rate:
            // otherwise requests a policy or another budget refuses would starve the ones it lets
            // through.
            for hold in rateHolds {
                budgets[hold.index].instances.values[hold.slot].throttles[hold.step]?.refund(cost: hold.cost, at: now)
            }
        }

        var outcome = CheckOutcome(decision: decision, reasons: reasons, reservation: grant,
                                   retryAfter: decision == .throttle ? retryAfter : nil,
                                   quotaStates: quotaStates, audit: audit)
        if !quotaStates.isEmpty { outcome.planRendering = plan.rendering }
        if reservationsFull {
            outcome.reservationsFull = true
            // Nothing was held, so the answer is not a decision: the caller must retry, and
            // no budget or quota moved. The next chance is when the oldest reservation expires.
            outcome.retryAfter = expiries.nextExpiry.map { max($0.nanosecondsSinceEpoch - now.nanosecondsSinceEpoch, 0) } ?? 1_000_000_000
            counters.reservationsRefused += 1
            return outcome
        }
        let decider = outcome.decidingReason
        counters.countDecision(decision, decidedBy: decider)
        if decision == .deny, let decider {
            outcome.audit.append(denyEvent(decider, outcome: outcome, request: request, at: now))
        }
        return outcome
    }

    /// Makes `reservation` live: its estimate held on its budget instances (its quota units were
    /// taken when the quotas admitted it), its expiry queued. Returns an audit row for each
    /// instance whose reserved amount saturated.
    @discardableResult
    mutating func hold(_ reservation: Reservation, at now: Timestamp) -> [AuditEvent] {
        var saturated: [AuditEvent] = []
        for budgetHold in reservation.budgetHolds {
            let before = budgets[budgetHold.index].instances.values[budgetHold.slot].reserved
            let after = before + budgetHold.amount(of: reservation.amount)
            budgets[budgetHold.index].instances.values[budgetHold.slot].reserved = after
            if after.isSaturated && !before.isSaturated {
                saturated.append(budgets[budgetHold.index].saturationEvent(
                    budgets[budgetHold.index].instances.values[budgetHold.slot], amount: "reserved", at: now))
            }
        }
        expiries.push(reservation.id, expiresAt: reservation.expiresAt)
        reservations[reservation.id] = reservation
        return saturated
    }

    /// The budget instances and quota buckets `attribution` lands on, from the cache or planned
    /// now (creating the instances it lands on, whose window transitions go to `audit`).
    mutating func plan(for attribution: Attribution, at now: Timestamp, audit: inout [AuditEvent]) -> CheckPlan {
        if let plan = plans[attribution] { return plan }
        var budgetStops: [CheckPlan.BudgetStop] = []
        for index in budgets.indices {
            guard let wanted = budgets[index].instanceKey(for: attribution) else { continue }
            let (slot, transitions) = budgets[index].touchSlot(wanted, at: now)
            if !transitions.isEmpty { audit += transitions }
            budgetStops.append(.init(index: index, slot: slot))
        }
        var quotaStops: [CheckPlan.QuotaStop] = []
        for index in rules.quotas.indices where rules.quotas[index].scope.matches(attribution) {
            quotaStops.append(.init(index: index, key: Self.quotaKey(rules.quotas[index].per, attribution)))
        }
        let plan = CheckPlan(budgets: budgetStops, quotas: quotaStops, attribution: attribution)
        if plans.count >= CheckPlan.cacheLimit { plans.removeAll(keepingCapacity: true) }
        plans[attribution] = plan
        return plan
    }

    /// A quota's bucket key for a request: one `per:` label (the common case) is its value itself.
    static func quotaKey(_ per: [String], _ attribution: Attribution) -> QuotaKey {
        per.count == 1 ? QuotaKey(attribution[per[0]] ?? "") : QuotaKey(labelValues: per.map { attribution[$0] ?? "" })
    }

    /// The labels naming a quota's bucket in a reason (only reasons that refuse or warn carry them).
    static func quotaScope(_ rule: QuotaRule, _ key: QuotaKey) -> [AuditLabel] {
        zip(rule.per, key.labelValues(count: rule.per.count)).map { AuditLabel(key: $0, value: $1) }
    }

    // MARK: audit rows

    func policyEvent(_ policy: PolicyRule, request: CheckRequest, message: String, at now: Timestamp) -> AuditEvent {
        let detail = AuditDetail([("message", .text(message)), ("model", .text(request.model)),
                                  ("provider", .text(request.provider)), ("when", .text(policy.condition.source))])
        return AuditEvent(time: now, rule: policy.name, kind: .policy, action: AuditAction.policyViolation,
                          scope: request.attribution.labels.map { ($0.key, $0.value) },
                          decision: policy.action.rawValue, observed: request.estimatedCost.exactDecimal, detail: detail)
    }

    func denyEvent(_ decider: DecisionReason, outcome: CheckOutcome, request: CheckRequest, at now: Timestamp) -> AuditEvent {
        let reasons = outcome.reasons.filter { $0.decision != .allow }.map { reason in
            AuditDetail.Value.record(AuditDetail([("decision", .text(reason.decision.rawValue)), ("kind", .text(reason.kind.rawValue)),
                                                  ("rule", .text(reason.rule))]))
        }
        var detail = AuditDetail([("message", .text(decider.message)), ("model", .text(request.model)), ("reasons", .list(reasons))])
        if let remaining = decider.remaining { detail["remaining"] = .text(remaining) }
        let kind: AuditKind = switch decider.kind {
        case .budget: .budget
        case .quota: .quota
        case .policy: .policy
        }
        var labels = request.attribution.labels.map { AuditLabel(key: $0.key, value: $0.value) }
        if decider.kind != .policy { labels = decider.scope }
        var event = AuditEvent(time: now, rule: decider.rule, kind: kind, action: AuditAction.deny, decision: Decision.deny.rawValue,
                               observed: decider.observed ?? request.estimatedCost.exactDecimal, limit: decider.limit,
                               detail: detail)
        event.setScope(labels)
        return event
    }
}

extension QuotaKey {
    /// The `per:` label values this key was built from.
    func labelValues(count: Int) -> [String] {
        count == 1 ? [value] : value.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }
}
