import WardenCore
import WardenStore

/// One secret of a named API key, as the server checks requests against it.
///
/// A class, read-only: every authenticated request hands its key from the ring to the caller,
/// the route and the audit, and a struct of five reference-counted fields would be copied (and
/// retained five times) at each hand-over.
public final class APIKey: Sendable, Equatable {
    public let name: String
    /// The secret's public id (``APIKeyToken/id``).
    public let id: String
    public let roles: APIRoles
    /// The attribution labels the key is bound to (``bind(_:)``); empty for an unscoped key.
    public let scope: Attribution
    public let created: Timestamp
    public let expires: Timestamp?
    /// Set once a rotation replaced this secret: it works until then.
    public let graceEnds: Timestamp?
    public let revoked: Timestamp?
    public let lastUsed: Timestamp?
    let secretSHA256: [UInt8]

    public init(_ stored: StoredAPIKey) {
        name = stored.name
        id = stored.id
        roles = APIRoles(names: stored.roles)
        scope = stored.scope
        created = stored.created
        expires = stored.expires
        graceEnds = stored.graceEnds
        revoked = stored.revoked
        lastUsed = stored.lastUsed
        secretSHA256 = stored.secretSHA256
    }

    public static func == (lhs: APIKey, rhs: APIKey) -> Bool {
        lhs === rhs || (lhs.name == rhs.name && lhs.id == rhs.id && lhs.roles == rhs.roles && lhs.scope == rhs.scope
            && lhs.created == rhs.created && lhs.expires == rhs.expires && lhs.graceEnds == rhs.graceEnds
            && lhs.revoked == rhs.revoked && lhs.lastUsed == rhs.lastUsed && lhs.secretSHA256 == rhs.secretSHA256)
    }

    public enum Status: Sendable, Equatable {
        case active
        /// Replaced by a rotation; works until the grace period ends.
        case inGrace(until: Timestamp)
        /// Past its expiry or the end of its grace period.
        case expired(at: Timestamp)
        case revoked(at: Timestamp)

        /// `active`, `rotated`, `expired`, `revoked`: the `status` of `keys list`.
        public var name: String {
            switch self {
            case .active: "active"
            case .inGrace: "rotated"
            case .expired: "expired"
            case .revoked: "revoked"
            }
        }

        public var isUsable: Bool {
            switch self {
            case .active, .inGrace: true
            case .expired, .revoked: false
            }
        }
    }

    /// The earlier of the expiry and the end of the grace period.
    public var validUntil: Timestamp? {
        switch (expires, graceEnds) {
        case let (expires?, grace?): min(expires, grace)
        case let (expires?, nil): expires
        case let (nil, grace?): grace
        case (nil, nil): nil
        }
    }

    public func status(at now: Timestamp) -> Status {
        if let revoked, revoked <= now { return .revoked(at: revoked) }
        if let end = validUntil, end <= now { return .expired(at: end) }
        if let graceEnds { return .inGrace(until: graceEnds) }
        return .active
    }

    /// How audit rows name a request made with this key: `key:<name>/<id>` (the id tells which
    /// secret, across a rotation).
    public var actor: String { "key:\(name)/\(id)" }

    public var isScoped: Bool { !scope.isEmpty }

    /// `team=search,project=x`, as the command line takes it.
    public var scopeText: String { Self.scopeText(scope) }

    public static func scopeText(_ scope: Attribution) -> String {
        scope.labels.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
