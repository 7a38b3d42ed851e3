extension BudgetTracker {
    /// What one budget's answer to a check means for the rest of the check (its reason is
    /// appended to the check's reasons directly, so that it is not copied again).
    struct CheckAnswer {
        var decision: Decision
        var retryAfter: Int64?
        /// The estimate in this budget's units: what an allowed check reserves here.
        var amount: UsageAmount
        /// The throttle step whose rate let the request through, and the cost it took (given
        /// back when the request is refused in the end).
        var rateHold: (step: Int, cost: Int64)?
        /// Committed usage ÷ limit, when the caller asked for it (a policy reads it).
        var ratio: Money
    }

    /// Answers a check for the instance at `slot` (already brought to `now`): compares used +
    /// reserved + estimate with the ladder, applies the step that applies, and appends the
    /// budget's reason to `reasons`.
    ///
    /// Why `mutating`, even where it only reads: it is called as `budgets[i].answer(…)`, which
    /// goes through `Array`'s in-place accessor. A non-mutating call on `budgets[i]` gets the
    /// tracker by copy, a retain and release of every reference the rule holds, and the check
    /// path makes several per budget. Instances are read the same way (``withInstance(at:_:)``).
    mutating func answer(_ request: CheckRequest, slot: Slot, estimate: UsageAmount, wantsRatio: Bool, at now: Timestamp,
                         reasons: inout [DecisionReason]) -> CheckAnswer {
        let amount = UsageAmount(money: rule.limit.limitsMoney(in: request.currency) ? estimate.money : .zero,
                                 tokens: estimate.tokens)
        let hasRollover = rule.rollover != nil
        let (used, reserved, previousUsed, subject) = withInstance(at: slot) {
            ($0.currentUsed, $0.reserved, hasRollover ? $0.previousUsed : .zero, $0.subject)
        }
        let consumed = used + reserved
        var limit = hasRollover ? self.limit(afterPrevious: previousUsed) : baseLimit
        let override = overrides.isEmpty ? nil : overrides[subject.scope]
        if let override { limit = override.effectiveLimit(limit) }
        let projected = consumed + amount
        var answer = CheckAnswer(decision: .allow, retryAfter: nil, amount: amount, rateHold: nil,
                                 ratio: wantsRatio ? ratio(used, limit: limit) : .zero)
        var message = DecisionReason.withinBudget
        var observed: String?, limitText: String?
        if let step = applicableStep(used: used, projected: projected, limit: limit) {
            let verdict = applyStep(step, slot: slot, request: request, exemptBy: override?.exemptsEnforcement == true ? override : nil, at: now)
            if let cost = verdict.rateCost { answer.rateHold = (step, cost) }
            answer.decision = verdict.decision
            answer.retryAfter = verdict.retryAfter
            message = verdict.message
            if verdict.decision == .deny {
                // Only a deny's audit row records the amounts: no text is built on the allow path.
                observed = observedText(projected)
                limitText = self.limitText(limit)
            }
        }
        reasons.append(DecisionReason(
            subject: subject, decision: answer.decision, message: message,
            figures: BudgetFigures(consumed: consumed, projected: projected, limit: limit,
                                   currency: rule.limit.money?.currency, limitsTokens: rule.limit.tokens != nil),
            retryAfter: answer.retryAfter, observed: observed, limit: limitText))
        return answer
    }

    /// Runs `body` on the instance at `slot` in place (`Array`'s getter would copy it whole; its
    /// in-place accessor does not). `body` must not reach back into the tracker.
    mutating func withInstance<Result>(at slot: Slot, _ body: (inout BudgetInstance) -> Result) -> Result {
        body(&instances.values[slot])
    }

    /// What step `step` answers now: its action, softened to `warn` inside its grace, and for a
    /// throttle step with a rate, whether this request fits the rate (`rateCost` is what the rate
    /// let through, for the caller to refund if the request is refused in the end).
    mutating func applyStep(_ step: Int, slot: Slot, request: CheckRequest, exemptBy exemption: BudgetOverride? = nil, at now: Timestamp)
        -> (decision: Decision, message: String, retryAfter: Int64?, rateCost: Int64?) {
        let threshold = rule.thresholds[step]
        let reachedAt = withInstance(at: slot) { instance in
            if let reached = instance.stepReachedAt[step] { return reached }
            instance.stepReachedAt[step] = now
            return now
        }
        let text = threshold.message ?? "budget \(rule.name) at \(threshold.at): \(threshold.action.rawValue)"
        switch threshold.action {
        case .notify:
            return (.allow, text, nil, nil)
        case .warn:
            return (.warn, text, nil, nil)
        case .throttle, .deny:
            if let grace = threshold.grace, now.nanosecondsSinceEpoch < reachedAt.nanosecondsSinceEpoch &+ grace.nanoseconds {
                let ends = Timestamp(nanosecondsSinceEpoch: reachedAt.nanosecondsSinceEpoch &+ grace.nanoseconds)
                return (.warn, "\(text) (in grace until \(ends))", nil, nil)
            }
            if let exemption {
                return (.warn, "\(text) (exempt by override \(exemption.id) until \(exemption.expiresAt.rfc3339))", nil, nil)
            }
            if threshold.action == .deny { return (.deny, text, nil, nil) }
            guard let rate = threshold.rate else {
                return (.throttle, text, throttleWait(slot: slot, at: now), nil)
            }
            let cost = rate.unit == .requests ? 1 : request.estimatedTokens
            let result = withInstance(at: slot) { instance in
                var limiter = instance.throttles[step] ?? GCRA(rate: rate.quotaRate)
                let result = limiter.attempt(cost: cost, at: now)
                instance.throttles[step] = limiter
                return result
            }
            if result.verdict == .allowed {
                return (.warn, "\(text); throttled to \(rate)", nil, result.reserved)
            }
            if result.verdict == .exceedsCapacity {
                // Larger than the rate can ever admit: waiting cannot help, so refuse outright.
                return (.deny, "\(text); the request exceeds the throttle rate \(rate)", nil, nil)
            }
            return (.throttle, "\(text); throttled to \(rate)", max(result.retryAfter, 1), nil)
        }
    }

    /// A throttle without a rate lasts until the period ends (or, for a rolling window, until the
    /// oldest usage leaves it). A `total` budget never resets: clients are told to come back in a
    /// minute (the step may be lifted by a reload or a limit change), not hammered every second.
    mutating func throttleWait(slot: Slot, at now: Timestamp) -> Int64? {
        let fallback: Int64 = 60_000_000_000
        return withInstance(at: slot) { instance in
            if let end = instance.window?.end { return max(end.nanosecondsSinceEpoch - now.nanosecondsSinceEpoch, 1) }
            return instance.rolling?.nextExpiry(after: now) ?? fallback
        }
    }
}
