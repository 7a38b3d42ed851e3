import WardenCore

/// One row of `api_key` (see ``APIKeySchema``): one secret of a named key.
public struct StoredAPIKey: Sendable, Equatable {
    /// The secret's public id: the 8 characters between `tw_` and the secret in the key.
    public var id: String
    public var name: String
    /// SHA-256 of the secret's 43 characters; the secret itself is never stored.
    public var secretSHA256: [UInt8]
    /// Role names as stored (the runtime knows which exist).
    public var roles: [String]
    /// The attribution labels the key is bound to; empty for an unscoped key.
    public var scope: Attribution
    public var created: Timestamp
    public var expires: Timestamp?
    /// Set on a secret that a rotation replaced: it works until then.
    public var graceEnds: Timestamp?
    public var revoked: Timestamp?
    /// When a request last used it, written at most about once a minute.
    public var lastUsed: Timestamp?

    public init(id: String, name: String, secretSHA256: [UInt8], roles: [String], scope: Attribution, created: Timestamp,
                expires: Timestamp? = nil, graceEnds: Timestamp? = nil, revoked: Timestamp? = nil, lastUsed: Timestamp? = nil) {
        self.id = id
        self.name = name
        self.secretSHA256 = secretSHA256
        self.roles = roles
        self.scope = scope
        self.created = created
        self.expires = expires
        self.graceEnds = graceEnds
        self.revoked = revoked
        self.lastUsed = lastUsed
    }
}
