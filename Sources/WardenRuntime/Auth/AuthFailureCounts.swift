import Synchronization

/// Requests refused by authentication, by reason (`tokenwarden_auth_failures_total{reason}`).
public final class AuthFailureCounts: Sendable {
    public enum Reason: String, Sendable, CaseIterable {
        /// No `Authorization` header (or an empty one).
        case missing
        /// A key that is malformed, has an unknown id, or whose secret does not match.
        case unknown
        case revoked
        /// Past its expiry, or past the grace period of a rotation.
        case expired
        /// A valid key without the route's role, a scoped key on `/metrics`, or a request outside
        /// the key's scope.
        case forbidden
    }

    private let missing = Atomic<Int>(0)
    private let unknown = Atomic<Int>(0)
    private let revoked = Atomic<Int>(0)
    private let expired = Atomic<Int>(0)
    private let forbidden = Atomic<Int>(0)

    public init() {}

    public func count(_ reason: Reason) {
        switch reason {
        case .missing: missing.add(1, ordering: .relaxed)
        case .unknown: unknown.add(1, ordering: .relaxed)
        case .revoked: revoked.add(1, ordering: .relaxed)
        case .expired: expired.add(1, ordering: .relaxed)
        case .forbidden: forbidden.add(1, ordering: .relaxed)
        }
    }

    /// Every reason with its count, in ``Reason/allCases`` order (zeros included).
    public func snapshot() -> [(reason: String, count: Int)] {
        [("missing", missing.load(ordering: .relaxed)), ("unknown", unknown.load(ordering: .relaxed)),
         ("revoked", revoked.load(ordering: .relaxed)), ("expired", expired.load(ordering: .relaxed)),
         ("forbidden", forbidden.load(ordering: .relaxed))]
    }
}
