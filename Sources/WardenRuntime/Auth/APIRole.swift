/// What an API key may do. A key holds one or more; `admin` may do everything.
///
/// | role | may |
/// |---|---|
/// | `ingest` | report usage (`POST /v1/usage`) |
/// | `check` | ask `POST /v1/check`, release the reservations its own checks made |
/// | `read` | read the usage and audit exports and the spend page; `/metrics` with an unscoped key |
/// | `approver` | approve and reject overrides (`/v1/overrides`), which any `check` or `read` key may request |
/// | `admin` | everything, reloads and key management included |
public enum APIRole: String, Sendable, CaseIterable, Hashable {
    case ingest, check, read, approver, admin

    /// "ingest, check, read, approver, admin", for messages.
    public static let list = allCases.map(\.rawValue).joined(separator: ", ")

    var bit: UInt8 {
        switch self {
        case .ingest: 1
        case .check: 2
        case .read: 4
        case .approver: 8
        case .admin: 16
        }
    }
}

/// The roles of one key, as bits: a request's role check is one `&`.
public struct APIRoles: Sendable, Hashable {
    public private(set) var bits: UInt8

    public init(_ roles: some Sequence<APIRole>) {
        bits = roles.reduce(0) { $0 | $1.bit }
    }

    /// The roles among `names`; names that are no role are left out (a row edited by hand gives
    /// no more than it says).
    public init(names: [String]) {
        self.init(names.compactMap(APIRole.init(rawValue:)))
    }

    public func contains(_ role: APIRole) -> Bool { bits & role.bit != 0 }

    /// Whether a key with these roles may do what needs `role`: it holds it, or it is an admin.
    public func allow(_ role: APIRole) -> Bool { bits & (role.bit | APIRole.admin.bit) != 0 }

    /// In the order of ``APIRole/allCases``.
    public var roles: [APIRole] { APIRole.allCases.filter(contains) }
    public var names: [String] { roles.map(\.rawValue) }
    public var isEmpty: Bool { bits == 0 }
}
