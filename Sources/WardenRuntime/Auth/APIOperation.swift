/// What a route does, as far as authentication is concerned: the role it needs.
public enum APIOperation: Sendable, CaseIterable {
    /// `/-/healthy`, `/-/ready`: open to all, always.
    case health
    /// `GET /openapi.json`: the API's description, open to all like the health endpoints, so a
    /// client generator needs no key.
    case apiDescription
    /// `POST /v1/usage`
    case ingest
    /// `POST /v1/check`
    case check
    /// `DELETE /v1/reservations/{id}`: a `check` key releases the reservations its own checks made.
    case releaseReservation
    /// `GET /v1/usage`, `/v1/usage.csv`
    case exportUsage
    /// `GET /v1/audit`, `/v1/audit.csv`
    case exportAudit
    /// `GET /`
    case spendPage
    /// `GET /v1/budgets`, `/v1/budgets/{name}`: a scoped key sees its scope's budget instances.
    case budgetStatus
    /// `GET /metrics`: an unscoped key (the metrics sum every team).
    case metrics
    /// `POST /-/reload`
    case reload
    /// `/v1/keys`
    case manageKeys
    /// `/v1/overrides`: requesting and listing overrides, and deciding on them. Any key that
    /// works with budgets (`check`, `read`, `approver`) is admitted; approving and rejecting need
    /// `approver`, revoking `approver` or the requesting key, checked by the governance itself.
    case overrides
    /// `/v1/approvals`: listing approval requests and deciding on them. Admitted like
    /// ``overrides``; approving and rejecting need `approver`, checked by the governance itself.
    case approvals

    /// The role a key needs (an `admin` key has them all); nil for the open routes.
    public var requiredRole: APIRole? {
        switch self {
        case .health, .apiDescription: nil
        case .ingest: .ingest
        case .check, .releaseReservation: .check
        case .exportUsage, .exportAudit, .spendPage, .budgetStatus, .metrics: .read
        case .reload, .manageKeys: .admin
        case .overrides, .approvals: .check
        }
    }

    /// Roles that admit a key as well as ``requiredRole``.
    public var alternativeRoles: [APIRole] { self == .overrides || self == .approvals ? [.read, .approver] : [] }

    /// Whether a scoped key is refused even with the role: what it would read cannot be cut to
    /// its scope.
    public var needsUnscopedKey: Bool { self == .metrics }
}
