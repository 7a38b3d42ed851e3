import Testing
@testable import WardenCore
@testable import WardenFormats

/// The check response writes reasons from the members their ``ReasonSubject`` rendered when the
/// rule or the instance was created, and amounts in parts; the body must say what the reasons'
/// fields say.
@Suite struct CheckResponseBodyTests {
    static let request = CheckRequest(provider: "openai", model: "gpt-4o",
                                      attribution: Attribution([("org", "acme"), ("team", "se\"arch")]),
                                      estimatedInputTokens: 1200, maxOutputTokens: 800,
                                      estimatedCost: Money(attos: 4_500_000_000_000_000))

    static func reason(rule: String, scope: [AuditLabel]) -> DecisionReason {
        let figures = BudgetFigures(consumed: UsageAmount(money: Money(attos: 3_000_000_000_000_000_000), tokens: 10),
                                    projected: UsageAmount(money: Money(attos: 3_004_500_000_000_000_000), tokens: 2010),
                                    limit: UsageAmount(money: Money(attos: 500_000_000_000_000_000_000), tokens: 1_000_000),
                                    currency: "USD", limitsTokens: true)
        return DecisionReason(rule: rule, kind: .budget, decision: .warn, message: "at 80%: \"careful\"", figures: figures,
                              scope: scope, retryAfter: 1_500_000_000)
    }

    static func outcome() -> CheckOutcome {
        let reasons = [
            reason(rule: "org-monthly", scope: [AuditLabel(key: "org", value: "acme")]),
            reason(rule: "team\\daily\n", scope: [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "se\"arch")]),
            reason(rule: "global", scope: []),
            DecisionReason(rule: "max-cost", kind: .policy, decision: .warn, message: "policy matched"),
        ]
        let grant = ReservationGrant(id: "rsv_0123", amount: Money(attos: 4_500_000_000_000_000), currency: "USD", tokens: 2000,
                                     expiresAt: Timestamp(nanosecondsSinceEpoch: 1_795_000_000_123_456_789))
        return CheckOutcome(decision: .warn, reasons: reasons, reservation: grant, retryAfter: nil, quotaStates: [], audit: [])
    }

    /// The body written plainly from the reasons' fields, through the writer's general calls.
    static func referenceBody(_ outcome: CheckOutcome, estimate: CheckRequest) -> [UInt8] {
        var body = JSONWriter()
        body.beginObject()
        body.key("decision"); body.string(outcome.decision.rawValue)
        body.key("reasons")
        body.beginArray()
        for reason in outcome.reasons {
            body.beginObject()
            body.key("rule"); body.string(reason.rule)
            body.key("kind"); body.string(reason.kind.rawValue)
            body.key("decision"); body.string(reason.decision.rawValue)
            body.key("message"); body.string(reason.message)
            if let ratio = reason.usageRatio, let remaining = reason.remaining {
                body.key("usage_ratio"); body.number(text: ratio.exactDecimal)
                body.key("remaining"); body.string(remaining)
            }
            if !reason.scope.isEmpty {
                body.key("scope")
                body.beginObject()
                for label in reason.scope { body.key(label.key); body.string(label.value) }
                body.endObject()
            }
            if let wait = reason.retryAfter { body.key("retry_after_seconds"); body.integer(RateLimitHeaders.retryAfterSeconds(wait)) }
            body.endObject()
        }
        body.endArray()
        body.key("reservation")
        if let grant = outcome.reservation {
            body.beginObject()
            body.key("id"); body.string(grant.id)
            body.key("amount"); body.string(grant.amount.exactDecimal)
            body.key("currency"); body.string(grant.currency)
            body.key("tokens"); body.integer(grant.tokens)
            body.key("expires_at"); body.string(grant.expiresAt.rfc3339)
            body.endObject()
        } else {
            body.null()
        }
        body.key("retry_after_seconds")
        if let wait = outcome.retryAfter { body.integer(RateLimitHeaders.retryAfterSeconds(wait)) } else { body.null() }
        body.key("estimated_cost"); body.string(estimate.estimatedCost.exactDecimal)
        body.key("currency"); body.string(estimate.currency)
        body.endObject()
        return body.bytes
    }

    @Test func preRenderedReasonsWriteTheSameBodyAsTheirFields() throws {
        let fast = CheckResponseBody.render(Self.outcome(), estimate: Self.request)
        #expect(fast == Self.referenceBody(Self.outcome(), estimate: Self.request))
        let root = try JSONDocument(parsing: fast).root
        let reasons = try #require(root["reasons"]?.elements)
        #expect(reasons.count == 4)
        #expect(reasons[1]["rule"]?.string == "team\\daily\n")
        #expect(reasons[1]["scope"]?["team"]?.string == "se\"arch")
        #expect(reasons[1]["remaining"]?.string == "497 USD and 999990 tokens")
        #expect(reasons[2]["scope"] == nil)
        #expect(root["reservation"]?["expires_at"]?.string == "2026-11-18T11:06:40.123456789Z")
    }

    /// Amounts of every size and sign, written in parts, read back as the exact decimal.
    @Test func amountsWrittenInPartsAreTheirExactDecimals() throws {
        var amounts: [Int128] = [0, 1, -1, 10, 1_000_000_000_000_000_000, -4_500_000_000_000_000, Int128.max, Int128.min + 1,
                                 Int128(UInt64.max) * 1_000_000_000_000_000_000, Int128(UInt64.max) * 1_000_000_000_000_000_000 - 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bits = Int.random(in: 1...126, using: &generator)
            let magnitude = Int128.random(in: 0...(Int128(1) << bits), using: &generator)
            amounts.append(Bool.random(using: &generator) ? magnitude : -magnitude)
        }
        for attos in amounts {
            let money = Money(attos: attos)
            var writer = JSONWriter()
            writer.beginArray()
            writer.beginString(); writer.stringPart(money); writer.stringPart(literal: " "); writer.stringPart("U\"SD"); writer.endString()
            writer.number(money)
            writer.endArray()
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "[\"\(money.exactDecimal) U\\\"SD\",\(money.exactDecimal)]")
            var appended: [UInt8] = []
            money.appendExactDecimal(to: &appended)
            #expect(String(decoding: appended, as: UTF8.self) == money.exactDecimal)
            #expect(money.exactDecimal == Self.referenceDecimal(attos))
        }
    }

    /// Exact decimal text by the stdlib's 128-bit division and `String`.
    static func referenceDecimal(_ attos: Int128) -> String {
        let unit: UInt128 = 1_000_000_000_000_000_000
        let magnitude = attos.magnitude
        var text = (attos < 0 ? "-" : "") + String(magnitude / unit)
        let fraction = String(magnitude % unit)
        if magnitude % unit != 0 {
            var digits = String(repeating: "0", count: 18 - fraction.count) + fraction
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    @Test func reasonsWithEqualSubjectsAreEqual() {
        let scope = [AuditLabel(key: "org", value: "acme")]
        #expect(Self.reason(rule: "r", scope: scope) == Self.reason(rule: "r", scope: scope))
        #expect(Set([Self.reason(rule: "r", scope: scope), Self.reason(rule: "r", scope: scope)]).count == 1)
        #expect(Self.reason(rule: "r", scope: scope) != Self.reason(rule: "r", scope: []))
    }

    @Test func theTokensLeftOfABudgetWhoseUsageSaturatedBelowZeroStopAtTheLargestCount() {
        let figures = BudgetFigures(consumed: UsageAmount(tokens: .min), projected: UsageAmount(tokens: .min),
                                    limit: UsageAmount(tokens: 5), currency: nil, limitsTokens: true)
        #expect(figures.remaining == "9223372036854775807 tokens")
    }
}
