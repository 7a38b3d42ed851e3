/// Where an override request stands. Only `pending` and `active` can still change.
public enum OverrideStatus: String, Sendable, Hashable, CaseIterable {
    /// Requested, waiting for a second key to approve it (until its approval window ends).
    case pending
    /// Approved (or approved automatically): the budget's limit is changed until it expires.
    case active
    /// Ran out: an active override past its end, or a request nobody decided in time.
    case expired
    case rejected
    case revoked

    public var isLive: Bool { self == .pending || self == .active }

    public static let list = allCases.map(\.rawValue).joined(separator: ", ")
}
