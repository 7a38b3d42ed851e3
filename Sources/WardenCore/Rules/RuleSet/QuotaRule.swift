/// One `quotas:` entry: a rate limit per scope (`per: [user]`), enforced with GCRA.
public struct QuotaRule: Sendable {
    public var scope: ScopeMatcher
    public var per: [String]
    /// Name, rate, unit and shadow mode, as the limiter needs them.
    public var policy: QuotaPolicy
    public var source: RuleSource

    public init(policy: QuotaPolicy, scope: ScopeMatcher = .everything, per: [String] = [],
                source: RuleSource = RuleSource(file: "")) {
        self.scope = scope
        self.per = per
        self.policy = policy
        self.source = source
    }

    public var name: String { policy.name }

    /// Rules with the same identity keep their buckets across a reload.
    public var identity: String {
        "\(policy.name)\u{1F}\(per.joined(separator: ","))\u{1F}\(scope.description)\u{1F}\(policy.unit)"
    }
}
