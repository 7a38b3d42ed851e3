import WardenCore
import WardenFormats

/// Rule files (`budgets:`, `quotas:`, `policies:`): the bytes are one file's text, parsed with a
/// fixed set of time zones. Every error must point into the file; a rule set that loads runs
/// through a short fixed scenario in an engine (checks, usage, a day later, a reload), whose
/// responses must render as JSON.
enum RuleFileFuzzing {
    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let rules: RuleSet
        do {
            rules = try RuleSetParser.parse(files: [("rules.yaml", text)], schema: UsageDecoderFuzzing.schema,
                                            timeZone: FixedZones.resolve)
        } catch {
            try checkLocations(error, in: text)
            return
        }
        try scenario(rules)
    }

    static func checkLocations(_ errors: ConfigErrors, in text: String) throws(InvariantViolation) {
        try require(!errors.errors.isEmpty, "a failed load without errors")
        // Generous: YAML also breaks lines at CR, NEL, LS and PS.
        let lines = text.unicodeScalars.reduce(1) { count, scalar in
            ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) ? count + 1 : count
        }
        for error in errors.errors {
            try require(error.file == "rules.yaml", "error in file \(error.file)")
            try require((0...lines + 1).contains(error.line) && error.column >= 0, "error at \(error.line):\(error.column) outside \(lines) lines: \(error)")
        }
    }

    static let start = Timestamp(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// A few checks, the usage of one of them, a tick a day later and a reload onto the same rules.
    static func scenario(_ rules: RuleSet) throws(InvariantViolation) {
        var engine = RuleEngine(rules: rules, configuration: .init(maximumInstances: 8, maximumReservations: 16))
        let attributions = [
            Attribution(["org": "acme", "team": "search", "user": "u1", "agent": "a1", "project": "p1"]),
            Attribution(["org": "acme", "team": "interns", "region": "eu"]),
            Attribution(),
        ]
        var now = start
        var reservations: [String] = []
        for (index, attribution) in attributions.enumerated() {
            for cost in [Money(attos: 250_000_000_000_000_000), InputBounds.maxEstimatedCost] {
                var request = CheckRequest(provider: "openai", model: "gpt-4o", attribution: attribution,
                                           estimatedInputTokens: 1_200, maxOutputTokens: InputBounds.maxTokenCount,
                                           estimatedCost: cost, priority: index == 1 ? .low : .normal)
                if index == 2 { request.currency = "EUR" }
                let id = "r\(reservations.count)"
                let outcome = engine.check(request, reservationID: id, at: now)
                try EngineFuzzing.checkRendering(outcome, request)
                if outcome.reservation != nil { reservations.append(id) }
            }
        }
        let usage = UsageEvent(id: "e1", time: now, provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: InputBounds.maxTokenCount, output: 5), attribution: attributions[0],
                               reservation: reservations.first)
        _ = engine.record([PricedEvent(event: usage, time: now, cost: Money(attos: 3 * Money.attosPerUnit), currency: "USD", priced: true)], at: now)
        now = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + 86_400_000_000_000)
        _ = engine.tick(at: now)
        _ = engine.budgetSnapshots(at: now)
        let reloaded = engine.reloaded(with: rules, at: now).engine
        try require(reloaded.activeReservations == engine.activeReservations,
                    "a reload onto the same rules kept \(reloaded.activeReservations) of \(engine.activeReservations) reservations")
    }
}
