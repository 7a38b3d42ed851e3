extension RuleEngine {
    /// Counts durable usage: settles the reservation an event names (releasing what it held and
    /// settling quotas to the actual tokens), or charges quotas for usage that never asked, and
    /// adds the actual cost and tokens to every matching budget. Returns the audit rows of every
    /// step crossed.
    ///
    /// Call it only with events that were newly recorded (not duplicates), after they are durable.
    public mutating func record(_ events: [PricedEvent], at now: Timestamp) -> [AuditEvent] {
        var audit: [AuditEvent] = []
        for event in events {
            let tokens = event.event.tokens.input.addingSaturating(event.event.tokens.output)
            var reservation: Reservation?
            if let id = event.event.reservation { reservation = reservations.removeValue(forKey: id) }
            if let reservation {
                releaseBudgetHolds(reservation)
                for hold in reservation.quotaHolds {
                    let actual = quotaCountsRequests[hold.index] ? 1 : tokens
                    quotas[hold.index].settle(hold.key, reserved: hold.units, actual: actual, at: now)
                }
            } else {
                for index in quotas.indices where rules.quotas[index].scope.matches(event.event.attribution) {
                    let rule = rules.quotas[index]
                    let key = Self.quotaKey(rule.per, event.event.attribution)
                    quotas[index].charge(key, cost: rule.policy.unit == .requests ? 1 : tokens, at: now)
                }
            }
            audit += addToBudgets(event, tokens: tokens, now: now, emitAudit: true)
        }
        return audit
    }

    /// Rebuilds budget usage from recorded events (at start-up, or for budgets a reload added):
    /// no quotas, no reservations, no audit rows — those crossings were audited when they happened.
    /// `budgets` limits the replay to some rules (by position); nil means all.
    public mutating func restore(_ events: some Sequence<PricedEvent>, onlyBudgets: Set<Int>? = nil, at now: Timestamp) {
        for event in events {
            let tokens = event.event.tokens.input.addingSaturating(event.event.tokens.output)
            _ = addToBudgets(event, tokens: tokens, now: now, emitAudit: false, only: onlyBudgets)
        }
    }

    /// The earliest event time a restore must read for every budget's current (and, with
    /// rollover, previous) window: nil when there are no budgets; `Timestamp.min` for `total`.
    public func restoreStart(at now: Timestamp, onlyBudgets: Set<Int>? = nil) -> Timestamp? {
        var earliest: Timestamp?
        for (index, tracker) in budgets.enumerated() where onlyBudgets?.contains(index) ?? true {
            let rule = tracker.rule
            let start: Timestamp
            switch rule.period {
            case .total: start = Timestamp(nanosecondsSinceEpoch: .min)
            case .rolling(let duration): start = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch - duration.nanoseconds)
            default:
                let window = rule.period.window(containing: now, in: rule.timeZone)
                if rule.rollover != nil {
                    start = rule.period.window(containing: Timestamp(nanosecondsSinceEpoch: window.start.nanosecondsSinceEpoch - 1), in: rule.timeZone).start
                } else {
                    start = window.start
                }
            }
            earliest = min(earliest ?? start, start)
        }
        return earliest
    }

    mutating func addToBudgets(_ event: PricedEvent, tokens: Int64, now: Timestamp, emitAudit: Bool, only: Set<Int>? = nil) -> [AuditEvent] {
        var audit: [AuditEvent] = []
        for index in budgets.indices where only?.contains(index) ?? true {
            guard let wanted = budgets[index].instanceKey(for: event.event.attribution) else { continue }
            let (key, transitions) = budgets[index].touch(wanted, at: now)
            if emitAudit { audit += transitions }
            let rule = budgets[index].rule
            let amount = UsageAmount(money: rule.limit.limitsMoney(in: event.currency) ? event.cost : .zero, tokens: tokens)
            guard var instance = budgets[index].instances[key] else { continue }
            let wasSaturated = instance.used.isSaturated
            if instance.rolling != nil {
                instance.rolling!.add(amount, at: event.time, now: now)
            } else if let window = instance.window {
                if event.time >= window.start {
                    instance.used += amount
                } else if rule.rollover != nil,
                          rule.period.window(containing: event.time, in: rule.timeZone).end == window.start {
                    instance.previousUsed += amount
                } else {
                    continue  // an event from an older period: it no longer counts against this budget
                }
            }
            // Crossings are stamped with the event's time, so a replay restores grace clocks.
            let crossings = budgets[index].settleSteps(&instance, at: min(event.time, now), reason: "usage")
            budgets[index].instances[key] = instance
            if emitAudit { audit += crossings }
            if emitAudit && instance.used.isSaturated && !wasSaturated {
                audit.append(budgets[index].saturationEvent(instance, amount: "used", at: now))
            }
        }
        return audit
    }

    /// Releases a reservation the caller no longer needs (`DELETE /v1/reservations/{id}`): its
    /// holds go back to the budgets and its units to the quotas. False when it is unknown
    /// (never made, already committed, released or expired).
    public mutating func release(_ id: String, at now: Timestamp) -> Bool {
        takeReservation(id, at: now) != nil
    }

    /// What ``release(_:byKey:at:)`` did.
    public enum Release: Sendable, Equatable {
        case released
        /// Never made, already committed or released, or expired.
        case unknown
        /// Live, but made by another key (or without one): left as it is.
        case madeByAnotherKey
    }

    /// Releases a reservation on behalf of the API key named `keyName`, which may release only
    /// the reservations its own checks made; nil (an admin key, or no authentication) releases any.
    public mutating func release(_ id: String, byKey keyName: String?, at now: Timestamp) -> Release {
        if let keyName {
            guard let reservation = reservations[id] else { return .unknown }
            guard reservation.keyName == keyName else { return .madeByAnotherKey }
        }
        return takeReservation(id, at: now) != nil ? .released : .unknown
    }

    /// Removes a live reservation and gives back what it held; returns it, or nil when unknown.
    private mutating func takeReservation(_ id: String, at now: Timestamp) -> Reservation? {
        guard let reservation = reservations.removeValue(forKey: id) else { return nil }
        releaseBudgetHolds(reservation)
        for hold in reservation.quotaHolds {
            quotas[hold.index].settle(hold.key, reserved: hold.units, actual: 0, at: now)
        }
        return reservation
    }

    /// Expires unclaimed reservations and moves every budget instance into the window of `now`
    /// (period ends), returning their audit rows. Call it about once a second.
    public mutating func tick(at now: Timestamp) -> [AuditEvent] {
        expireReservations(at: now).audit + advancePeriods(at: now)
    }

    /// The expiry part of ``tick(at:)``, at most `limit` reservations at a time: `finished` is
    /// false while more are due. Why a limit: every allowed check holds a reservation, so at
    /// tens of thousands of checks a second that are never committed, tens of thousands expire
    /// in the same second, and expiring them all in one go held the engine (and every check
    /// waiting for it) for about 100 ms. The server expires them a chunk per lock and writes
    /// their audit rows outside it (``ExpiredReservations/auditEvents()``).
    public mutating func takeExpiredReservations(at now: Timestamp, limit: Int = .max) -> (expired: ExpiredReservations, finished: Bool) {
        let due = expiries.popExpired(at: now, live: reservations, limit: limit)
        var expired: [Reservation] = []
        expired.reserveCapacity(due.count)
        for id in due {
            guard let reservation = takeReservation(id, at: now) else { continue }
            counters.reservationsExpired += 1
            expired.append(reservation)
        }
        return (ExpiredReservations(time: now, reservations: expired), due.count < limit)
    }

    /// ``takeExpiredReservations(at:limit:)`` with the audit rows written at once.
    public mutating func expireReservations(at now: Timestamp, limit: Int = .max) -> (audit: [AuditEvent], finished: Bool) {
        let (expired, finished) = takeExpiredReservations(at: now, limit: limit)
        return (expired.auditEvents(), finished)
    }

    /// The rest of ``tick(at:)``: windows that ended (their transitions as audit rows) and idle
    /// quota buckets let go.
    public mutating func advancePeriods(at now: Timestamp) -> [AuditEvent] {
        var audit: [AuditEvent] = []
        for index in budgets.indices {
            for slot in budgets[index].instances.values.indices {
                let transitions = budgets[index].advanceIfDue(slot: slot, to: now)
                if !transitions.isEmpty { audit += transitions }
            }
        }
        for index in quotas.indices { quotas[index].evictIdle(at: now) }
        return audit
    }

    private mutating func releaseBudgetHolds(_ reservation: Reservation) {
        for hold in reservation.budgetHolds {
            budgets[hold.index].withInstance(at: hold.slot) { $0.reserved = ($0.reserved - hold.amount(of: reservation.amount)).clampedAtZero }
        }
    }
}
