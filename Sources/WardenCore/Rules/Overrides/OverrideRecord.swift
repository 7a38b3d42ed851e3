/// One override request and everything that happened to it, as stored: who asked for what and
/// why, who decided, and when it ends.
public struct OverrideRecord: GovernedRecord, Hashable {
    public var id: String
    public var budget: String
    /// Sorted labels of the budget instance (empty for a budget without `per:` or fixed labels).
    public var instance: [AuditLabel]
    public var change: OverrideChange
    /// `"for"`: how long the override lasts once active (nil when ``until`` is given).
    public var duration: RuleDuration?
    /// `"until"`: when it ends, whenever it is approved.
    public var until: Timestamp?
    public var reason: String
    /// The audit actor of the requester (`key:<name>/<id>`, `local:<user>`).
    public var requestedBy: String
    /// The requesting key's name: four eyes compares it with the approver's (nil for a request
    /// made offline, which any approver's key may approve).
    public var requesterKey: String?
    public var created: Timestamp
    public var status: OverrideStatus
    /// A pending request expires unapproved at this time.
    public var approvalExpiresAt: Timestamp
    /// When an active override ends (set when it becomes active).
    public var expiresAt: Timestamp?
    /// Who approved, rejected or revoked it, and when.
    public var decidedBy: String?
    public var decided: Timestamp?
    /// When it stopped being live (rejected, revoked, expired).
    public var ended: Timestamp?

    public init(id: String, budget: String, instance: [AuditLabel], change: OverrideChange, duration: RuleDuration?,
                until: Timestamp?, reason: String, requestedBy: String, requesterKey: String?, created: Timestamp,
                status: OverrideStatus, approvalExpiresAt: Timestamp, expiresAt: Timestamp? = nil, decidedBy: String? = nil,
                decided: Timestamp? = nil, ended: Timestamp? = nil) {
        self.id = id
        self.budget = budget
        self.instance = instance.sorted()
        self.change = change
        self.duration = duration
        self.until = until
        self.reason = reason
        self.requestedBy = requestedBy
        self.requesterKey = requesterKey
        self.created = created
        self.status = status
        self.approvalExpiresAt = approvalExpiresAt
        self.expiresAt = expiresAt
        self.decidedBy = decidedBy
        self.decided = decided
        self.ended = ended
    }

    /// When the override ends if it becomes active at `time`: its `until`, or `time` plus its `for`.
    public func end(ifActivatedAt time: Timestamp) -> Timestamp {
        if let until { return until }
        return Timestamp(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch.addingSaturating(duration?.nanoseconds ?? 0))
    }

    public var isPending: Bool { status == .pending }
    public var isGranted: Bool { status == .active }
    public var statusName: String { status.rawValue }
    public mutating func markExpired() { status = .expired }

    /// What the engine applies while the override is active.
    public var effect: BudgetOverride? {
        guard status == .active, let expiresAt else { return nil }
        return BudgetOverride(id: id, budget: budget, instance: instance, change: change, expiresAt: expiresAt)
    }

    /// `team=search,org=acme`, or `(whole budget)`.
    public var instanceText: String {
        instance.isEmpty ? "(whole budget)" : instance.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
