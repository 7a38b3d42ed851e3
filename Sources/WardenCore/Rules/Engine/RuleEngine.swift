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
        /// Live reservations one API key may hold at most, so one client cannot take all of
        /// ``maximumReservations``; past it that key's checks that would reserve report
        /// ``CheckOutcome/reservationsFull`` with ``CheckOutcome/reservationsFullForKey``.
        /// Checks without a key are not limited by it.
        public var maximumReservationsPerKey: Int

        public init(reservationTTL: Int64 = 300 * 1_000_000_000, maximumInstances: Int = 10_000,
                    maximumReservations: Int = .max, maximumReservationsPerKey: Int = .max) {
            self.reservationTTL = reservationTTL
            self.maximumInstances = maximumInstances
            self.maximumReservations = maximumReservations
            self.maximumReservationsPerKey = maximumReservationsPerKey
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
    /// What ``applyOverrides(_:at:)`` was last given: a reload applies them to the new rules.
    public internal(set) var activeOverrides: [BudgetOverride] = []
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

    /// Live reservations made with the API key named `name`.
    public func activeReservations(forKey name: String) -> Int { reservations.count(forKey: name) }

    // MARK: check

    /// Decides one pre-flight request and, when it is allowed, reserves its estimate under
    /// `reservationID` (a fresh unique id from the caller).
    ///
    /// Four steps, each adding to one ``CheckProgress``: the budgets of the attribution's plan
    /// answer, then the policies, then the quotas (only for a request nothing has refused); then
    /// the estimate is reserved, or what the quotas and throttles took is given back.
    public mutating func check(_ request: CheckRequest, reservationID: String, at now: Timestamp) -> CheckOutcome {
        var progress = CheckProgress(request: request, budgetCount: budgets.count, readsRatios: anyPolicyReadsRatio)
        let plan = plan(for: request.attribution, at: now, audit: &progress.audit)
        progress.reserveCapacity(for: plan)
        checkBudgets(plan, request, &progress, at: now)
        if !rules.policies.isEmpty { checkPolicies(request, &progress, at: now) }
        if progress.decision.isAllowed && !plan.quotas.isEmpty { checkQuotas(plan, request, &progress, at: now) }
        return settle(plan, request, &progress, reservationID: reservationID, at: now)
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
