import Testing
@testable import WardenCore
@testable import WardenServer

/// The check response writes budget reasons from parts the engine rendered when the rule and the
/// instance were created; the body must be the one written from the reasons' fields.
@Suite struct CheckResponseBodyTests {
    static let request = CheckRequest(provider: "openai", model: "gpt-4o",
                                      attribution: Attribution([("org", "acme"), ("team", "se\"arch")]),
                                      estimatedInputTokens: 1200, maxOutputTokens: 800,
                                      estimatedCost: Money(attos: 4_500_000_000_000_000))

    static func reason(rule: String, scope: [AuditLabel], rendered: Bool) -> DecisionReason {
        let figures = BudgetFigures(consumed: UsageAmount(money: Money(attos: 3_000_000_000_000_000_000), tokens: 10),
                                    projected: UsageAmount(money: Money(attos: 3_004_500_000_000_000_000), tokens: 2010),
                                    limit: UsageAmount(money: Money(attos: 500_000_000_000_000_000_000), tokens: 1_000_000),
                                    currency: "USD", limitsTokens: true)
        return DecisionReason(rule: rule, kind: .budget, decision: .warn, message: "at 80%: \"careful\"", figures: figures,
                              scope: scope, retryAfter: 1_500_000_000,
                              rendered: rendered ? RenderedReason(head: RenderedReason.head(rule: rule, kind: .budget),
                                                                  scope: RenderedReason.scope(scope)) : nil)
    }

    static func outcome(rendered: Bool) -> CheckOutcome {
        let reasons = [
            reason(rule: "org-monthly", scope: [AuditLabel(key: "org", value: "acme")], rendered: rendered),
            reason(rule: "team\\daily\n", scope: [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "se\"arch")],
                   rendered: rendered),
            reason(rule: "global", scope: [], rendered: rendered),
            DecisionReason(rule: "max-cost", kind: .policy, decision: .warn, message: "policy matched"),
        ]
        let grant = ReservationGrant(id: "rsv_0123", amount: Money(attos: 4_500_000_000_000_000), currency: "USD", tokens: 2000,
                                     expiresAt: Timestamp(nanosecondsSinceEpoch: 1_795_000_000_123_456_789))
        return CheckOutcome(decision: .warn, reasons: reasons, reservation: grant, retryAfter: nil, quotaStates: [], audit: [])
    }

    @Test func preRenderedReasonsWriteTheSameBodyAsTheirFields() throws {
        let fast = CheckResponseBody.render(Self.outcome(rendered: true), estimate: Self.request)
        let plain = CheckResponseBody.render(Self.outcome(rendered: false), estimate: Self.request)
        #expect(fast == plain)
        let root = try JSONDocument(parsing: fast).root
        let reasons = try #require(root["reasons"]?.elements)
        #expect(reasons.count == 4)
        #expect(reasons[1]["rule"]?.string == "team\\daily\n")
        #expect(reasons[1]["scope"]?["team"]?.string == "se\"arch")
        #expect(reasons[1]["remaining"]?.string == "497 USD and 999990 tokens")
        #expect(reasons[2]["scope"] == nil)
        #expect(root["reservation"]?["expires_at"]?.string == "2026-11-18T11:06:40.123456789Z")
    }

    @Test func aReasonEqualsItselfWithOrWithoutItsRenderedParts() {
        let scope = [AuditLabel(key: "org", value: "acme")]
        #expect(Self.reason(rule: "r", scope: scope, rendered: true) == Self.reason(rule: "r", scope: scope, rendered: false))
        #expect(Set([Self.reason(rule: "r", scope: scope, rendered: true), Self.reason(rule: "r", scope: scope, rendered: false)]).count == 1)
    }
}
