/// One `policies:` entry: a condition over the request and what to do when it holds.
public struct PolicyRule: Sendable {
    public var name: String
    public var condition: CompiledExpression
    public var action: PolicyAction
    public var message: String?
    /// The zone `hour`, `minute` and `weekday` are read in (UTC by default).
    public var timeZone: TimeZoneRules
    public var source: RuleSource

    public init(name: String, condition: CompiledExpression, action: PolicyAction, message: String? = nil,
                timeZone: TimeZoneRules = .utc, source: RuleSource = RuleSource(file: "")) {
        self.name = name
        self.condition = condition
        self.action = action
        self.message = message
        self.timeZone = timeZone
        self.source = source
    }
}

/// What a matching policy does. `allow` is an exception: it ends policy evaluation (later
/// policies are not evaluated for this request) but does not exempt it from budgets or quotas.
public enum PolicyAction: String, Sendable, Hashable, CaseIterable {
    case allow
    case warn
    case requireApproval = "require_approval"
    case deny
}
