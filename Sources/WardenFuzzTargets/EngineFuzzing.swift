import WardenCore
import WardenFormats
import WardenMetrics

/// The rule engine as the server drives it, step by step: the bytes are a sequence of operations
/// (checks with token estimates or explicit costs, usage with and without reservations, releases,
/// clock steps, ticks, reloads, restarts, metrics snapshots) against ``EngineRules``.
///
/// Values come with their full ranges: estimates and counts up to the decoders' bounds, and also
/// raw `Int64` token counts and raw ``Money`` amounts the decoders would refuse, since saturating
/// arithmetic is the engine's own line of defence. While every value stayed within the bounds,
/// no amount may be left reserved once no reservation is live.
enum EngineFuzzing {
    static let configuration = RuleEngine.Configuration(reservationTTL: 60_000_000_000, maximumInstances: 4, maximumReservations: 64)
    static let start = Timestamp(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static let attributions = [
        Attribution(["org": "acme", "team": "search", "user": "u1", "agent": "a1", "project": "p1"]),
        Attribution(["org": "acme", "user": "u2"]),
        Attribution(["org": "acme", "team": "interns", "user": "u3", "agent": "a1"]),
        Attribution(["org": "acme", "team": "finance", "project": "p2"]),
        Attribution(["team": "t5", "region": "eu"]),
        Attribution(["team": "t6"]),
        Attribution(["team": "t7", "user": "u1"]),
        Attribution(),
    ]
    static let models = [("openai", "gpt-4o"), ("anthropic", "claude-opus"), ("local", "llama"), ("openai", "unpriced")]
    /// The largest cost a usage event within the bounds is given (10¹⁵ units, beyond any call a
    /// catalog prices): a run's sums stay far from Money's bound, so nothing saturates.
    static let maxEventCost = Money(attos: 1_000_000_000_000_000 * Money.attosPerUnit)

    struct Run {
        var input: FuzzInput
        var engine = RuleEngine(rules: EngineRules.primary, configuration: configuration)
        var usingPrimary = true
        var now = start
        var issued: [String] = []
        var nextID = 0
        /// Usage recorded so far (the last 256 events), replayed on a restart as the store would.
        var recorded: [PricedEvent] = []
        /// False once a value outside the decoders' bounds went in.
        var inBounds = true

        init(_ bytes: [UInt8]) { input = FuzzInput(bytes) }
    }

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        var run = Run(bytes)
        run.now = Timestamp(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch + Int64(run.input.uint64() % 31_536_000_000_000_000))
        var steps = 0
        while !run.input.isAtEnd && steps < 256 {
            steps += 1
            let liveBefore = run.engine.activeReservations
            switch run.input.byte() % 11 {
            case 0, 1: try check(&run)
            case 2, 3: record(&run)
            case 4: release(&run)
            case 5: advanceClock(&run)
            case 6: tick(&run)
            case 7: reload(&run)
            case 8: restart(&run)
            case 9: snapshot(&run)
            default: try check(&run)
            }
            try require(run.engine.activeReservations <= configuration.maximumReservations,
                        "\(run.engine.activeReservations) live reservations, over the maximum")
            if liveBefore > 0 && run.engine.activeReservations == 0 { try checkNothingReserved(run) }
        }
        if run.engine.activeReservations == 0 { try checkNothingReserved(run) }
    }

    /// Once the last reservation is gone, nothing may stay reserved (unless out-of-bounds values
    /// went in, whose saturated or negative holds cannot be given back exactly).
    static func checkNothingReserved(_ run: Run) throws(InvariantViolation) {
        guard run.inBounds else { return }
        for budget in run.engine.budgetSnapshots(at: run.now) {
            for unit in budget.units {
                try require(unit.reserved == .zero, "\(budget.budget) \(budget.labels) keeps \(unit.reserved) \(unit.unit) reserved without a live reservation")
            }
        }
    }

    static func check(_ run: inout Run) throws(InvariantViolation) {
        let flags = run.input.byte()
        let (provider, model) = run.input.pick(models)
        var request = CheckRequest(provider: provider, model: model, attribution: run.input.pick(attributions),
                                   priority: run.input.pick([QuotaPriority.low, .normal, .high]))
        request.estimatedInputTokens = tokens(&run, raw: flags & 1 != 0)
        request.maxOutputTokens = tokens(&run, raw: flags & 2 != 0)
        switch (flags >> 2) % 4 {
        case 0:
            _ = request.priceEstimate(with: EngineRules.catalog, at: run.now)
        case 1:
            request.estimatedCost = Money(attos: run.input.integer(upTo: InputBounds.maxEstimatedCost.attos))
        case 2:
            request.estimatedCost = Money(attos: run.input.anyInt128())
            if request.estimatedCost < .zero || request.estimatedCost > InputBounds.maxEstimatedCost { run.inBounds = false }
        default:
            break
        }
        if flags & 16 != 0 { request.currency = "EUR" }
        let id = "r\(run.nextID)"
        run.nextID += 1
        let before = run.engine.activeReservations
        let outcome = run.engine.check(request, reservationID: id, at: run.now)
        try checkRendering(outcome, request)
        if outcome.reservation != nil {
            run.issued.append(id)
            if run.issued.count > 128 { run.issued.removeFirst(64) }
            try require(outcome.decision.isAllowed, "a \(outcome.decision) reserved")
            try require(run.engine.activeReservations == before + 1, "a reservation did not become live")
        } else {
            try require(run.engine.activeReservations == before, "a check without a reservation changed the live ones")
        }
    }

    /// A token count: within the bounds, or (`raw`) any `Int64`.
    static func tokens(_ run: inout Run, raw: Bool) -> Int64 {
        guard raw else { return run.input.integer(upTo: InputBounds.maxTokenCount) }
        let value = run.input.anyInt64()
        if !(0...InputBounds.maxTokenCount).contains(value) { run.inBounds = false }
        return value
    }

    static func record(_ run: inout Run) {
        let flags = run.input.byte()
        let (provider, model) = run.input.pick(models)
        let input = tokens(&run, raw: flags & 1 != 0)
        let output = tokens(&run, raw: flags & 2 != 0)
        let cacheRead = input > 0 ? run.input.integer(upTo: input) : 0
        let reasoning = output > 0 ? run.input.integer(upTo: output) : 0
        var reservation: String?
        switch (flags >> 2) % 3 {
        case 0: reservation = run.issued.isEmpty ? nil : run.input.pick(run.issued)
        case 1: reservation = "unknown"
        default: break
        }
        // An event's own time: now, or up to about 400 days either side (late or clock-skewed clients).
        let offset = flags & 32 != 0 ? Int64(Int32(truncatingIfNeeded: run.input.uint64())) * 16_000_000 : 0
        let time = Timestamp(nanosecondsSinceEpoch: run.now.nanosecondsSinceEpoch + offset)
        let event = UsageEvent(id: "e\(run.nextID)", time: time, provider: provider, model: model,
                               tokens: TokenUsage(input: input, output: output, cacheRead: cacheRead, reasoning: reasoning),
                               attribution: run.input.pick(attributions), reservation: reservation)
        run.nextID += 1
        var priced: PricedEvent
        switch (flags >> 3) % 4 {
        case 0, 1:
            let pricer = UsagePricer(catalog: EngineRules.catalog, unknownModels: .recordAtZeroCost)
            guard case .success(let events) = pricer.price([event], receivedAt: run.now), let first = events.first else { return }
            priced = first
        case 2:
            priced = PricedEvent(event: event, time: time, cost: Money(attos: run.input.integer(upTo: maxEventCost.attos)),
                                 currency: "USD", priced: true)
        default:
            priced = PricedEvent(event: event, time: time, cost: Money(attos: run.input.anyInt128()), currency: "USD", priced: true)
            if priced.cost < .zero || priced.cost > maxEventCost { run.inBounds = false }
        }
        if flags & 64 != 0 { priced.currency = "EUR" }
        _ = run.engine.record([priced], at: run.now)
        run.recorded.append(priced)
        if run.recorded.count > 256 { run.recorded.removeFirst(128) }
    }

    static func release(_ run: inout Run) {
        let id = run.issued.isEmpty || run.input.byte() % 8 == 0 ? "unknown" : run.input.pick(run.issued)
        _ = run.engine.release(id, at: run.now)
    }

    /// Mostly forward, by seconds to weeks; sometimes back by up to an hour, as a wall clock may.
    static func advanceClock(_ run: inout Run) {
        let shape = run.input.byte()
        let amount = Int64(run.input.byte()) + 1
        let step: Int64 = switch shape % 6 {
        case 0: amount * 1_000_000_000
        case 1: amount * 60_000_000_000
        case 2: amount * 3_600_000_000_000
        case 3: amount * 86_400_000_000_000
        case 4: -amount * 14_000_000_000
        default: amount * 1_000_000
        }
        run.now = Timestamp(nanosecondsSinceEpoch: run.now.nanosecondsSinceEpoch + step)
    }

    static func tick(_ run: inout Run) {
        if run.input.bool() {
            _ = run.engine.tick(at: run.now)
        } else {
            let (expired, _) = run.engine.takeExpiredReservations(at: run.now, limit: Int(run.input.byte() % 4) + 1)
            _ = expired.auditEvents()
        }
    }

    static func reload(_ run: inout Run) {
        run.usingPrimary.toggle()
        run.engine = run.engine.reloaded(with: run.usingPrimary ? EngineRules.primary : EngineRules.alternate, at: run.now).engine
    }

    /// What a restart does: a new engine, the recorded usage replayed, the saved reservations restored.
    static func restart(_ run: inout Run) {
        let saved = run.engine.savedReservations
        var engine = RuleEngine(rules: run.usingPrimary ? EngineRules.primary : EngineRules.alternate, configuration: configuration)
        if let since = engine.restoreStart(at: run.now) {
            engine.restore(run.recorded.filter { $0.time >= since }, at: run.now)
        }
        _ = engine.restoreReservations(saved, at: run.now)
        run.engine = engine
    }

    /// The metrics families of the engine's state, in either format.
    static func snapshot(_ run: inout Run) {
        let engine = run.engine
        let now = run.now
        let status = RuleEngineStatus(budgets: engine.budgetSnapshots(at: now), counters: engine.counters,
                                      reservationsActive: engine.activeReservations, loaded: engine.loadedRuleCounts,
                                      quotaNames: engine.rules.quotas.map(\.name), policyNames: engine.rules.policies.map(\.name),
                                      policyActions: engine.rules.policies.map(\.action), reload: RuleReloadStatus(),
                                      auditAppendFailures: 0)
        var writer = ExpositionWriter(format: run.input.bool() ? .openMetrics : .prometheusText)
        RuleExposition(status: { status }, checkDuration: Histogram()).write(into: &writer)
        _ = writer.finish()
    }

    /// The `/v1/check` response as the server renders it: the body must be JSON, the headers
    /// single lines.
    static func checkRendering(_ outcome: CheckOutcome, _ request: CheckRequest) throws(InvariantViolation) {
        let body = CheckResponseBody.render(outcome, estimate: request)
        do {
            _ = try JSONDocument(parsing: body)
        } catch {
            throw InvariantViolation("the check response is not JSON (\(error)): \(String(decoding: body, as: UTF8.self))")
        }
        for audit in outcome.audit { _ = audit.summaryLine }
        if !outcome.quotaStates.isEmpty {
            for field in [outcome.rateLimitPolicyField, outcome.rateLimitField] {
                try require(!field.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }), "a line break in a RateLimit header: \(field)")
            }
        }
        _ = RateLimitHeaders.retryAfterSeconds(outcome.retryAfter ?? 0)
    }
}
