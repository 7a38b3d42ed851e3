/// What a rule test expects of one check: every field given must match, the others are not
/// looked at (so a test states only what it is about).
public struct ExpectedDecision: Sendable {
    public var decision: Decision?
    /// Each must match one of the check's reasons, in any order; other reasons may be present.
    public var reasons: [ExpectedReason]
    /// Whether the check must (true) or must not (false) have been granted a reservation.
    public var reservation: Bool?

    public init(decision: Decision? = nil, reasons: [ExpectedReason] = [], reservation: Bool? = nil) {
        self.decision = decision
        self.reasons = reasons
        self.reservation = reservation
    }

    /// One message per mismatch, each saying what was expected and what the check gave.
    public func mismatches(_ outcome: CheckOutcome) -> [String] {
        var problems: [String] = []
        let got = outcome.reasons.isEmpty ? "no reasons" : outcome.reasons.map(\.summary).joined(separator: "; ")
        if let decision, decision != outcome.decision {
            problems.append("decision: expected \(decision.rawValue), got \(outcome.decision.rawValue) (\(got))")
        }
        for expected in reasons where !outcome.reasons.contains(where: expected.matches) {
            problems.append("no reason matches \(expected); got \(got)")
        }
        switch (reservation, outcome.reservation) {
        case (true?, nil):
            problems.append("reservation: expected one, got none (decision \(outcome.decision.rawValue))")
        case (false?, let grant?):
            problems.append("reservation: expected none, got \(grant.id)")
        default:
            break
        }
        return problems
    }
}

/// A reason a check must give, on the fields written: `rule`, `kind`, `decision`, `scope` (these
/// labels among the reason's), `remaining` (exact text), `message` (a substring).
public struct ExpectedReason: Sendable, CustomStringConvertible {
    public var rule: String?
    public var kind: RuleKind?
    public var decision: Decision?
    public var scope: [AuditLabel]
    public var remaining: String?
    public var message: String?

    public init(rule: String? = nil, kind: RuleKind? = nil, decision: Decision? = nil, scope: [AuditLabel] = [],
                remaining: String? = nil, message: String? = nil) {
        self.rule = rule
        self.kind = kind
        self.decision = decision
        self.scope = scope
        self.remaining = remaining
        self.message = message
    }

    public func matches(_ reason: DecisionReason) -> Bool {
        if let rule, rule != reason.rule { return false }
        if let kind, kind != reason.kind { return false }
        if let decision, decision != reason.decision { return false }
        if let remaining, remaining != reason.remaining { return false }
        if let message, !reason.message.contains(message) { return false }
        return scope.allSatisfy(reason.scope.contains)
    }

    /// The fields as written: `{rule: team-budgets, decision: warn}`.
    public var description: String {
        var fields: [String] = []
        if let rule { fields.append("rule: \(rule)") }
        if let kind { fields.append("kind: \(kind.rawValue)") }
        if let decision { fields.append("decision: \(decision.rawValue)") }
        if !scope.isEmpty { fields.append("scope: {\(scope.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}") }
        if let remaining { fields.append("remaining: \(remaining)") }
        if let message { fields.append("message: \(message)") }
        return "{\(fields.joined(separator: ", "))}"
    }
}

extension DecisionReason {
    /// `team-budgets{team=search} warn "budget team-budgets at 80%: warn"`, for test messages.
    var summary: String {
        let labels = scope.isEmpty ? "" : "{" + scope.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
        return "\(rule)\(labels) \(decision.rawValue) \"\(message)\""
    }
}
