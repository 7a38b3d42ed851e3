/// One approval request made by a check that a `require_approval` policy refused, and what
/// became of it: the request as the check described it (its estimate, model and attribution),
/// the key that asked, who decided, and how many of its uses were taken.
public struct ApprovalRecord: GovernedRecord, Hashable {
    public var id: String
    /// The `require_approval` policies that refused the check, in rule order: an approval lets
    /// all of them pass on a retry.
    public var policies: [String]
    public var provider: String
    public var model: String
    /// The check's attribution (after its key's scope and pseudonyms), sorted.
    public var attribution: [AuditLabel]
    /// The check's estimate: a retry may cost and use at most this much.
    public var estimatedCost: Money
    public var currency: String
    public var estimatedTokens: Int64
    /// The audit actor of the requesting key (`key:<name>/<id>`).
    public var requestedBy: String
    /// The requesting key's name: only its retries may use the approval, and it may not approve.
    public var requesterKey: String
    public var created: Timestamp
    public var status: ApprovalStatus
    /// A pending request expires undecided at this time.
    public var approvalExpiresAt: Timestamp
    /// How many allowed retries an approval grants (set when approved).
    public var uses: Int64
    /// How many of them were taken.
    public var used: Int64
    /// When an approval's uses lapse (set when approved).
    public var expiresAt: Timestamp?
    public var decidedBy: String?
    public var decided: Timestamp?
    /// When it stopped being live (rejected, expired, used up).
    public var ended: Timestamp?

    public init(id: String, policies: [String], provider: String, model: String, attribution: [AuditLabel],
                estimatedCost: Money, currency: String, estimatedTokens: Int64, requestedBy: String, requesterKey: String,
                created: Timestamp, status: ApprovalStatus, approvalExpiresAt: Timestamp, uses: Int64 = 0, used: Int64 = 0,
                expiresAt: Timestamp? = nil, decidedBy: String? = nil, decided: Timestamp? = nil, ended: Timestamp? = nil) {
        self.id = id
        self.policies = policies
        self.provider = provider
        self.model = model
        self.attribution = attribution.sorted()
        self.estimatedCost = estimatedCost
        self.currency = currency
        self.estimatedTokens = estimatedTokens
        self.requestedBy = requestedBy
        self.requesterKey = requesterKey
        self.created = created
        self.status = status
        self.approvalExpiresAt = approvalExpiresAt
        self.uses = uses
        self.used = used
        self.expiresAt = expiresAt
        self.decidedBy = decidedBy
        self.decided = decided
        self.ended = ended
    }

    public var isPending: Bool { status == .pending }
    public var isGranted: Bool { status == .approved }
    public var statusName: String { status.rawValue }
    public mutating func markExpired() { status = .expired }

    /// Uses an approval still grants.
    public var remainingUses: Int64 { max(0, uses - used) }

    /// `team=search,org=acme`, or `(none)`.
    public var attributionText: String {
        attribution.isEmpty ? "(none)" : attribution.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
