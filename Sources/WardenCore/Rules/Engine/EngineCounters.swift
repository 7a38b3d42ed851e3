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

    public internal(set) var decisions: [DecisionKey: UInt64] = [:]
    /// Requests refused by an enforced quota, by quota.
    public internal(set) var quotaThrottled: [String: UInt64] = [:]
    /// Requests a shadow quota would have refused, by quota.
    public internal(set) var quotaShadowThrottled: [String: UInt64] = [:]
    public internal(set) var policyViolations: [PolicyKey: UInt64] = [:]
    public internal(set) var reservationsExpired: UInt64 = 0

    public init() {}
}
