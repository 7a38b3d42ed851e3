/// Where an approval request stands. Only `pending` and `approved` can still change.
public enum ApprovalStatus: String, Sendable, Hashable, CaseIterable {
    /// A check matched a `require_approval` policy; waiting for another key to approve it (until
    /// `governance.approval_ttl` after the request).
    case pending
    /// Approved: the requesting key's retries that name it pass its policies, within its estimate,
    /// its uses and its window.
    case approved
    case rejected
    /// Ran out: a request nobody decided in time, or an approval whose window ended with uses left.
    case expired
    /// Every use an approval granted was taken.
    case used

    public var isLive: Bool { self == .pending || self == .approved }

    public static let list = allCases.map(\.rawValue).joined(separator: ", ")
}
