@testable import WardenCore

/// Shorthands for the rule engine tests: rule sets are built in code (not from rule files), and
/// every instant is a fixed RFC 3339 timestamp, so no test reads a clock.
enum EngineFixtures {
    static let second: Int64 = 1_000_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute

    /// Monday 2025-03-10T12:00:00Z: mid-month, the March window ends 2025-04-01T00:00:00Z (UTC).
    static let t0 = at("2025-03-10T12:00:00Z")
    static let endOfMarchUTC = at("2025-04-01T00:00:00Z")

    static func at(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }
    static func after(_ time: Timestamp, _ nanoseconds: Int64) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch + nanoseconds)
    }

    static func money(_ text: String) -> Money { try! Money(exactly: text) }
    static func percent(_ text: String) -> ThresholdPercent { try! ThresholdPercent(parsing: text) }
    static func duration(_ text: String) -> RuleDuration { try! RuleDuration(parsing: text) }

    static func usd(_ amount: String) -> BudgetLimit {
        BudgetLimit(money: .init(amount: money(amount), currency: "USD"))
    }

    static func tokens(_ count: Int64) -> BudgetLimit { BudgetLimit(tokens: count) }

    static func step(_ at: String, _ action: StepAction, grace: String? = nil, rate: String? = nil,
                     message: String? = nil) -> ThresholdStep {
        ThresholdStep(at: percent(at), action: action, grace: grace.map(duration), message: message,
                      rate: rate.map { try! StepRate(parsing: $0) })
    }

    /// The ladder of the issue: 50% notify, 80% warn, 100% throttle, 120% deny.
    static let ladder = [step("50%", .notify), step("80%", .warn), step("100%", .throttle), step("120%", .deny)]
    static let denyAtLimit = [step("100%", .deny)]

    static func budget(_ name: String = "b", scope: ScopeMatcher = .everything, per: [String] = [],
                       period: BudgetPeriod = .monthly, timeZone: TimeZoneRules = .utc,
                       limit: BudgetLimit = usd("100"), rollover: BudgetRollover? = nil,
                       thresholds: [ThresholdStep] = denyAtLimit) -> BudgetRule {
        BudgetRule(name: name, scope: scope, per: per, period: period, timeZone: timeZone, limit: limit,
                   rollover: rollover, thresholds: thresholds)
    }

    static func scope(_ conditions: [(String, ScopeMatcher.Condition)]) -> ScopeMatcher {
        ScopeMatcher(conditions.map { (key: $0.0, condition: $0.1) })
    }

    static func regex(_ pattern: String) -> ScopeMatcher.Condition {
        .matches(pattern: pattern, regex: try! AnchoredPattern(pattern))
    }

    /// A policy whose condition may call `budget_ratio` with `budgets` (the rule set's budget
    /// names, in order, as the engine passes the ratios).
    static func policy(_ name: String, _ when: String, _ action: PolicyAction, message: String? = nil,
                       budgets: [String] = [], timeZone: TimeZoneRules = .utc) -> PolicyRule {
        let variables = ExpressionVariables(attributionKeys: AttributionSchema.standard.allowedKeys, budgetNames: budgets)
        return PolicyRule(name: name, condition: try! CompiledExpression(parsing: when, variables: variables),
                          action: action, message: message, timeZone: timeZone)
    }

    static func quota(_ name: String, _ limit: Int64, _ unit: QuotaPolicy.Unit, per window: Int64 = minute,
                      burst: Int64 = 0, shadow: Bool = false, scope: ScopeMatcher = .everything,
                      perLabels: [String] = ["user"]) -> QuotaRule {
        let rate = try! QuotaRate(limit: limit, window: window, burst: burst)
        return QuotaRule(policy: QuotaPolicy(name: name, rate: rate, unit: unit, isShadow: shadow), scope: scope, per: perLabels)
    }

    static func engine(_ budgets: [BudgetRule] = [], quotas: [QuotaRule] = [], policies: [PolicyRule] = [],
                       ttl: Int64 = 5 * minute) -> RuleEngine {
        RuleEngine(rules: RuleSet(budgets: budgets, quotas: quotas, policies: policies),
                   configuration: .init(reservationTTL: ttl))
    }

    static let acme = Attribution(["org": "acme", "team": "search", "user": "u1", "agent": "a1", "project": "p1"])

    static func attribution(_ labels: [String: String]) -> Attribution { Attribution(labels) }

    static func request(cost: String = "0", input: Int64 = 0, output: Int64 = 0, model: String = "gpt-4o",
                        attribution: Attribution = acme, priority: QuotaPriority = .normal) -> CheckRequest {
        CheckRequest(provider: "openai", model: model, attribution: attribution, estimatedInputTokens: input,
                     maxOutputTokens: output, estimatedCost: money(cost), priority: priority)
    }

    static func usage(cost: String = "0", input: Int64 = 0, output: Int64 = 0, at time: Timestamp,
                      attribution: Attribution = acme, reservation: String? = nil, currency: String = "USD") -> PricedEvent {
        let event = UsageEvent(id: "e-\(time.nanosecondsSinceEpoch)", time: time, provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: input, output: output), attribution: attribution,
                               reservation: reservation)
        return PricedEvent(event: event, time: time, cost: money(cost), currency: currency, priced: true)
    }
}

extension RuleEngine {
    /// Records one event at its own time (the usual case: usage arrives as it happens).
    @discardableResult
    mutating func record(_ event: PricedEvent) -> [AuditEvent] { record([event], at: event.time) }

    /// The only instance of a budget without `per:` (tests of single-scope budgets).
    func instance(_ budget: Int = 0, key: String = "") -> BudgetInstance? { budgets[budget].instances[key] }
}

extension AuditEvent {
    /// `"cause"` of a budget crossing row's detail JSON, for readable assertions.
    var detailCause: String? {
        detail.text("cause")
    }
}

extension CheckOutcome {
    func reason(_ rule: String) -> DecisionReason? { reasons.first { $0.rule == rule } }
}
