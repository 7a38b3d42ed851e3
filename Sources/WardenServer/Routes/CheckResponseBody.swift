import WardenCore

/// The JSON body of a `/v1/check` answer: the decision, every reason, the reservation, and the
/// estimate it was made for.
///
/// Written straight into bytes, with what is constant for a rule or budget instance taken
/// pre-rendered from the engine (``RenderedReason``): a check matching ten budgets answers with
/// ten reasons, and writing them cost more than the decision itself.
public enum CheckResponseBody {
    public static func render(_ outcome: CheckOutcome, estimate: CheckRequest) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 256 + outcome.reasons.count * 192)
        body.beginObject()
        body.key(literal: "decision"); body.string(outcome.decision.rawValue)
        body.key(literal: "reasons")
        body.beginArray()
        // By position and borrowed: `for reason in` copied every reason (a retain and release
        // of each of its strings and arrays) on the way to writing it.
        outcome.reasons.withUnsafeBufferPointer { reasons in
            for index in reasons.indices { writeReason(reasons[index], into: &body) }
        }
        body.endArray()
        body.key(literal: "reservation")
        if let grant = outcome.reservation {
            body.beginObject()
            body.key(literal: "id"); body.string(grant.id)
            body.key(literal: "amount"); body.string(writing: grant.amount.appendExactDecimal)
            body.key(literal: "currency"); body.string(grant.currency)
            body.key(literal: "tokens"); body.integer(grant.tokens)
            body.key(literal: "expires_at"); body.string(writing: grant.expiresAt.appendRFC3339)
            body.endObject()
        } else {
            body.null()
        }
        body.key(literal: "retry_after_seconds")
        if let wait = outcome.retryAfter { body.integer(RateLimitHeaders.retryAfterSeconds(wait)) } else { body.null() }
        body.key(literal: "estimated_cost"); body.string(writing: estimate.estimatedCost.appendExactDecimal)
        body.key(literal: "currency"); body.string(estimate.currency)
        body.endObject()
        return body.bytes
    }

    private static func writeReason(_ reason: borrowing DecisionReason, into body: inout JSONWriter) {
        body.beginObject()
        if let rendered = reason.rendered {
            body.members(rendered.head)
        } else {
            body.members(RenderedReason.head(rule: reason.rule, kind: reason.kind))
        }
        body.key(literal: "decision"); body.string(reason.decision.rawValue)
        body.key(literal: "message"); body.string(reason.message)
        if let figures = reason.figures {
            body.key(literal: "usage_ratio"); body.number(figures.usageRatio)
            body.key(literal: "remaining"); body.string(writing: figures.appendRemaining)
        }
        if let rendered = reason.rendered {
            body.members(rendered.scope)
        } else {
            body.members(RenderedReason.scope(reason.scope))
        }
        if let wait = reason.retryAfter { body.key(literal: "retry_after_seconds"); body.integer(RateLimitHeaders.retryAfterSeconds(wait)) }
        body.endObject()
    }
}
