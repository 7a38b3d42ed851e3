/// The rule engine's counters, exposed as `tokenwarden_decisions_total`,
/// `tokenwarden_quota_throttled_total` and `tokenwarden_policy_violations_total`.
///
/// Kept inside the engine (under its lock) so a check updates them in the same critical section
/// as the decision: a scrape never sees a decision without its count. They start from zero with
/// the process, as Prometheus counters may.
public struct EngineCounters: Sendable {
    public struct DecisionKey: Sendable, Hashable {
        public var decision: Decision
        /// The kind of the deciding rule, or `none` for an allow no rule spoke about.
        public var kind: String
        public var rule: String

        public init(decision: Decision, kind: String, rule: String) {
            self.decision = decision
            self.kind = kind
            self.rule = rule
        }
    }

    public struct PolicyKey: Sendable, Hashable {
        public var policy: String
        public var action: PolicyAction

        public init(policy: String, action: PolicyAction) {
            self.policy = policy
            self.action = action
        }
    }

    /// Decisions by decision and deciding rule.
    public var decisions: [DecisionKey: UInt64] {
        guard plainAllows > 0 else { return decidedBy }
        var all = decidedBy
        all[Self.plainAllow, default: 0] += plainAllows
        return all
    }
    /// Decisions a rule decided (warn, throttle, deny, …, or an allow a policy gave).
    var decidedBy: [DecisionKey: UInt64] = [:]
    /// Allows no rule spoke about, the common case, counted without hashing a key per check.
    var plainAllows: UInt64 = 0
    static let plainAllow = DecisionKey(decision: .allow, kind: "none", rule: "")

    mutating func countDecision(_ decision: Decision, decidedBy decider: DecisionReason?) {
        guard let decider else {
            if decision == .allow { plainAllows += 1 } else { decidedBy[DecisionKey(decision: decision, kind: "none", rule: ""), default: 0] += 1 }
            return
        }
        decidedBy[DecisionKey(decision: decision, kind: decider.kind.rawValue, rule: decider.rule), default: 0] += 1
    }
    /// Requests refused by an enforced quota, by quota.
    public internal(set) var quotaThrottled: [String: UInt64] = [:]
    /// Requests a shadow quota would have refused, by quota.
    public internal(set) var quotaShadowThrottled: [String: UInt64] = [:]
    public internal(set) var policyViolations: [PolicyKey: UInt64] = [:]
    public internal(set) var reservationsExpired: UInt64 = 0
    /// Allowed checks answered 503 because ``RuleEngine/Configuration/maximumReservations`` were live.
    public internal(set) var reservationsRefused: UInt64 = 0

    public init() {}
}
