/// The steps of ``RuleEngine/check(_:reservationID:at:)``, and what they add up as they go.
extension RuleEngine {
    /// What a check has gathered so far. The request itself is not kept here but passed to each
    /// step: a copy in this struct retained and released every string the request holds.
    struct CheckProgress {
        let estimate: UsageAmount
        var reasons: [DecisionReason] = []
        var decision = Decision.allow
        var audit: [AuditEvent] = []
        /// Budget instances this request would hold, by position. The holds live as long as the
        /// reservation, so they get exactly the room the plan's budgets need.
        var holds: [Reservation.BudgetHold] = []
        /// Throttle-step rate slots the request took, given back if it is refused in the end.
        var rateHolds: [(index: Int, slot: BudgetTracker.Slot, step: Int, cost: Int64)] = []
        /// Budget ratios, by budget position, only when some policy reads them.
        var ratios: [Money]
        var retryAfter: Int64?
        var quotaHolds: [Reservation.QuotaHold] = []
        var quotaStates: [CheckOutcome.QuotaState] = []

        init(request: borrowing CheckRequest, budgetCount: Int, readsRatios: Bool) {
            estimate = UsageAmount(money: request.estimatedCost, tokens: request.estimatedTokens)
            ratios = [Money](repeating: .zero, count: readsRatios ? budgetCount : 0)
        }

        mutating func reserveCapacity(for plan: CheckPlan) {
            reasons.reserveCapacity(plan.budgets.count + 4)
            holds.reserveCapacity(plan.budgets.count)
        }

        mutating func waitAtLeast(_ nanoseconds: Int64) { retryAfter = max(retryAfter ?? 0, nanoseconds) }
    }

    /// 1. Budgets, each answered in place (see ``BudgetTracker/answer(_:slot:estimate:wantsRatio:at:reasons:)``).
    mutating func checkBudgets(_ plan: CheckPlan, _ request: CheckRequest, _ progress: inout CheckProgress, at now: Timestamp) {
        for stop in plan.budgets {
            let index = stop.index
            let transitions = budgets[index].touch(slot: stop.slot, at: now)
            if !transitions.isEmpty { progress.audit += transitions }
            let answer = budgets[index].answer(request, slot: stop.slot, estimate: progress.estimate,
                                               wantsRatio: policyReadsRatio[index], at: now, reasons: &progress.reasons)
            if policyReadsRatio[index] { progress.ratios[index] = answer.ratio }
            if let rateHold = answer.rateHold { progress.rateHolds.append((index, stop.slot, rateHold.step, rateHold.cost)) }
            if let wait = answer.retryAfter { progress.waitAtLeast(wait) }
            progress.decision = max(progress.decision, answer.decision)
            progress.holds.append(.init(index: index, slot: stop.slot, holdsMoney: answer.amount.money != .zero))
        }
    }

    /// 2. Policies, in order; an `allow` that matches ends them.
    mutating func checkPolicies(_ request: CheckRequest, _ progress: inout CheckProgress, at now: Timestamp) {
        var context = ExpressionContext(
            provider: request.provider, model: request.model, attribution: request.attribution,
            estimatedInputTokens: request.estimatedInputTokens, maxOutputTokens: request.maxOutputTokens,
            estimatedCost: request.estimatedCost, budgetRatios: progress.ratios)
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
                progress.reasons.append(DecisionReason(subject: policySubjects[position], decision: .allow,
                                                       message: policy.message ?? "allowed by policy"))
                return
            }
            if policy.action == .requireApproval, !request.approvedPolicies.isEmpty, request.approvedPolicies.contains(policy.name) {
                // An approval passes this policy (and only it): the others, the budgets and the
                // quotas still have their say.
                progress.reasons.append(DecisionReason(subject: policySubjects[position], decision: .allow,
                                                       message: "policy \(policy.name) passed by approval"))
                continue
            }
            let policyDecision: Decision = switch policy.action {
            case .warn: .warn
            case .requireApproval: .requireApproval
            case .deny, .allow: .deny
            }
            let message = policy.message ?? "policy \(policy.name) matched: \(policy.condition.source)"
            progress.reasons.append(DecisionReason(subject: policySubjects[position], decision: policyDecision, message: message))
            progress.decision = max(progress.decision, policyDecision)
            counters.policyViolations[EngineCounters.PolicyKey(policy: policy.name, action: policy.action), default: 0] += 1
            progress.audit.append(policyEvent(policy, request: request, message: message, at: now))
        }
    }

    /// 3. Quotas: each takes the request's units (held until the reservation settles), or refuses.
    mutating func checkQuotas(_ plan: CheckPlan, _ request: CheckRequest, _ progress: inout CheckProgress, at now: Timestamp) {
        progress.quotaHolds.reserveCapacity(plan.quotas.count)
        progress.quotaStates.reserveCapacity(plan.quotas.count)
        for stop in plan.quotas {
            let index = stop.index, key = stop.key
            let cost = quotaCountsRequests[index] ? 1 : request.estimatedTokens
            let result = quotas[index].attempt(key, cost: cost, priority: request.priority, at: now)
            progress.quotaStates.append(CheckOutcome.QuotaState(policy: quotaPolicies[index], rendering: quotaRendering[index],
                                                                remaining: result.remaining, resetAfter: result.resetAfter))
            if result.reserved > 0 {
                progress.quotaHolds.append(.init(index: index, key: key, units: result.reserved))
            }
            guard result.wouldThrottle || !result.isAllowed else { continue }
            let rule = rules.quotas[index]
            let rate = "\(rule.policy.rate.limit) \(rule.policy.unit) per \(RuleDuration(nanoseconds: rule.policy.rate.window))"
            if result.wouldThrottle {
                counters.quotaShadowThrottled[rule.name, default: 0] += 1
                progress.reasons.append(DecisionReason(rule: rule.name, kind: .quota, decision: .allow,
                                                       message: "shadow quota would throttle (\(rate))",
                                                       scope: Self.quotaScope(rule, key), retryAfter: result.retryAfter))
            } else {
                let refused: Decision = result.verdict == .exceedsCapacity ? .deny : .throttle
                counters.quotaThrottled[rule.name, default: 0] += 1
                let message = result.verdict == .exceedsCapacity
                    ? "request of \(cost) \(rule.policy.unit) exceeds quota \(rule.name)'s capacity"
                    : "quota \(rule.name) exhausted (\(rate))"
                progress.reasons.append(DecisionReason(rule: rule.name, kind: .quota, decision: refused, message: message,
                                                       scope: Self.quotaScope(rule, key),
                                                       retryAfter: refused == .throttle ? result.retryAfter : nil))
                if refused == .throttle { progress.waitAtLeast(result.retryAfter) }
                progress.decision = max(progress.decision, refused)
            }
        }
    }

    /// 4. Reserve the estimate, or give back what the quotas and throttles took; count the
    /// decision and audit a deny.
    mutating func settle(_ plan: CheckPlan, _ request: CheckRequest, _ progress: inout CheckProgress, reservationID: String,
                         at now: Timestamp) -> CheckOutcome {
        let decision = progress.decision
        var grant: ReservationGrant?
        let wouldReserve = decision.isAllowed && (!progress.holds.isEmpty || !progress.quotaHolds.isEmpty)
        let keyFull = wouldReserve && request.keyName.map {
            reservations.count(forKey: $0) >= configuration.maximumReservationsPerKey
        } ?? false
        let reservationsFull = wouldReserve && (keyFull || reservations.count >= configuration.maximumReservations)
        if decision.isAllowed && !reservationsFull {
            if wouldReserve {
                let expiresAt = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch &+ configuration.reservationTTL)
                let saturated = hold(Reservation(id: reservationID, createdAt: now, expiresAt: expiresAt, amount: progress.estimate,
                                                 currency: request.currency, attribution: plan.attribution, keyName: request.keyName,
                                                 budgetHolds: progress.holds, quotaHolds: progress.quotaHolds), at: now)
                if !saturated.isEmpty { progress.audit += saturated }
                grant = ReservationGrant(id: reservationID, amount: progress.estimate.money, currency: request.currency,
                                         tokens: progress.estimate.tokens, expiresAt: expiresAt)
            }
        } else {
            for hold in progress.quotaHolds { quotas[hold.index].settle(hold.key, reserved: hold.units, actual: 0, at: now) }
            // A refused request did not go through the throttle, so it must not use up its rate:
            // otherwise requests a policy or another budget refuses would starve the ones it lets
            // through.
            for hold in progress.rateHolds {
                budgets[hold.index].instances.values[hold.slot].throttles[hold.step]?.refund(cost: hold.cost, at: now)
            }
        }

        var outcome = CheckOutcome(decision: decision, reasons: progress.reasons, reservation: grant,
                                   retryAfter: decision == .throttle ? progress.retryAfter : nil,
                                   quotaStates: progress.quotaStates, audit: progress.audit)
        if !progress.quotaStates.isEmpty { outcome.planRendering = plan.rendering }
        if reservationsFull {
            outcome.reservationsFull = true
            outcome.reservationsFullForKey = keyFull
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
}
