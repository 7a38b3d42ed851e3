import WardenCore

/// The JSON body of a `/v1/check` answer: the decision, every reason, the reservation, and the
/// estimate it was made for.
///
/// Written straight into bytes, with what is constant for a rule or budget instance taken
/// pre-rendered from the reason's ``ReasonSubject``: a check matching ten budgets answers with
/// ten reasons, and writing them cost more than the decision itself.
public enum CheckResponseBody {
    /// `approval`: the approval request a `require_approval` refusal made or repeated, written as
    /// `"approval": {"id", "status"}` (absent otherwise).
    public static func render(_ outcome: CheckOutcome, estimate: CheckRequest, approval: ApprovalRecord? = nil) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 256 + outcome.reasons.count * 192)
        body.beginObject()
        body.key(literal: "decision"); body.string(outcome.decision.rawValue)
        body.key(literal: "reasons")
        body.beginArray()
        // Through a pointer: reading `reasons[index]` (even into a `borrowing` parameter)
        // copied every reason on the way, a retain and release of all it holds.
        outcome.reasons.withUnsafeBufferPointer { reasons in
            guard let first = reasons.baseAddress else { return }
            for index in reasons.indices { writeReason(first + index, into: &body) }
        }
        body.endArray()
        body.key(literal: "reservation")
        if let grant = outcome.reservation {
            body.beginObject()
            body.key(literal: "id"); body.string(grant.id)
            body.key(literal: "amount"); body.beginString(); body.stringPart(grant.amount); body.endString()
            body.key(literal: "currency"); body.string(grant.currency)
            body.key(literal: "tokens"); body.integer(grant.tokens)
            body.key(literal: "expires_at"); body.string(writing: grant.expiresAt.appendRFC3339)
            body.endObject()
        } else {
            body.null()
        }
        body.key(literal: "retry_after_seconds")
        if let wait = outcome.retryAfter { body.integer(RateLimitHeaders.retryAfterSeconds(wait)) } else { body.null() }
        body.key(literal: "estimated_cost"); body.beginString(); body.stringPart(estimate.estimatedCost); body.endString()
        body.key(literal: "currency"); body.string(estimate.currency)
        if let approval {
            body.key(literal: "approval")
            body.beginObject()
            body.key(literal: "id"); body.string(approval.id)
            body.key(literal: "status"); body.string(approval.status.rawValue)
            body.endObject()
        }
        body.endObject()
        return body.bytes
    }

    private static func writeReason(_ reason: UnsafePointer<DecisionReason>, into body: inout JSONWriter) {
        body.beginObject()
        let subject = reason.pointee.subject.renderedMembers
        body.members(subject.head)
        if reason.pointee.decision == .allow && reason.pointee.message == DecisionReason.withinBudget {
            body.members(withinBudgetMembers)
        } else {
            body.members(decisionMember(reason.pointee.decision))
            body.key(literal: "message"); body.string(reason.pointee.message)
        }
        if let figures = reason.pointee.figures {
            body.key(literal: "usage_ratio"); body.number(figures.usageRatio)
            body.key(literal: "remaining"); figures.writeRemaining(into: &body)
        }
        body.members(subject.scope)
        if let wait = reason.pointee.retryAfter {
            body.key(literal: "retry_after_seconds"); body.integer(RateLimitHeaders.retryAfterSeconds(wait))
        }
        body.endObject()
    }

    /// `"decision":"allow","message":"within budget"`, what most reasons say.
    private static let withinBudgetMembers: [UInt8] = {
        var members = JSONWriter(reservingCapacity: 64)
        members.key(literal: "decision"); members.string(Decision.allow.rawValue)
        members.key(literal: "message"); members.string(DecisionReason.withinBudget)
        return members.bytes
    }()

    /// `"decision":"…"` for each decision, rendered once, in strictness order.
    private static let decisionMembers: [[UInt8]] = [Decision.allow, .warn, .throttle, .requireApproval, .deny].map { decision in
        var member = JSONWriter(reservingCapacity: 32)
        member.key(literal: "decision"); member.string(decision.rawValue)
        return member.bytes
    }

    private static func decisionMember(_ decision: Decision) -> [UInt8] {
        switch decision {
        case .allow: decisionMembers[0]
        case .warn: decisionMembers[1]
        case .throttle: decisionMembers[2]
        case .requireApproval: decisionMembers[3]
        case .deny: decisionMembers[4]
        }
    }
}
