import WardenCore
import WardenFormats

/// The policy: when authentication applies, which key may do what, and why a request is refused.
/// The HTTP edge reads the credentials from the request and renders the refusal.
public struct Authorizer: Sendable {
    public let ring: KeyRing
    public let mode: DeploymentConfig.AuthMode
    public let failures: AuthFailureCounts

    public init(ring: KeyRing, mode: DeploymentConfig.AuthMode, failures: AuthFailureCounts = AuthFailureCounts()) {
        self.ring = ring
        self.mode = mode
        self.failures = failures
    }

    /// What a request presented.
    public enum Credentials: Sendable {
        case none
        /// `Authorization: Bearer <key>`.
        case bearer(Substring)
        /// `Authorization: Basic`, decoded: a key's name and its key or secret.
        case basic(user: String, password: String)
        /// Another scheme, or a header that cannot be read.
        case unreadable
    }

    /// Why a request is refused.
    public enum Denial: Error, Sendable {
        case missing
        case unknown
        case revoked(APIKey, at: Timestamp)
        case expired(APIKey, at: Timestamp)
        case lacksRole(APIKey, APIRole)
        /// A scoped key on a route that needs an unscoped one.
        case scoped(APIKey)

        /// 401 for a request without a usable key, 403 for a key that may not do this.
        public var status: Int {
            switch self {
            case .missing, .unknown, .revoked, .expired: 401
            case .lacksRole, .scoped: 403
            }
        }

        public var reason: AuthFailureCounts.Reason {
            switch self {
            case .missing: .missing
            case .unknown: .unknown
            case .revoked: .revoked
            case .expired: .expired
            case .lacksRole, .scoped: .forbidden
            }
        }

        public var message: String {
            switch self {
            case .missing, .unknown:
                "missing or unknown API key"
            case .revoked(let key, let at):
                "API key \"\(key.name)\" (id \(key.id)) was revoked at \(at.rfc3339)"
            case .expired(let key, let at):
                key.graceEnds == at
                    ? "API key \"\(key.name)\" (id \(key.id)) was rotated; its grace period ended at \(at.rfc3339)"
                    : "API key \"\(key.name)\" (id \(key.id)) expired at \(at.rfc3339)"
            case .lacksRole(let key, let role):
                "key \"\(key.name)\" lacks role \"\(role.rawValue)\""
            case .scoped(let key):
                "key \"\(key.name)\" is scoped to \(key.scopeText); this path needs an unscoped key with role \"read\""
            }
        }
    }

    /// Whether requests must present a key: always with `auth: required`, and with `auto` as
    /// soon as one key exists.
    public var applies: Bool { mode == .required || !ring.isEmpty }

    /// The caller, or why it is refused (counted in ``failures``).
    public func authorize(_ credentials: Credentials, for operation: APIOperation) -> Result<APICaller, Denial> {
        guard let role = operation.requiredRole, applies else { return .success(.unauthenticated) }
        let lookup: KeyRing.Lookup
        switch credentials {
        case .none: return deny(.missing)
        case .unreadable: return deny(.unknown)
        case .bearer(let token): lookup = ring.check(token: token)
        case .basic(let user, let password): lookup = ring.check(name: user, password: password)
        }
        switch lookup {
        case .unknown: return deny(.unknown)
        case .revoked(let key, let at): return deny(.revoked(key, at: at))
        case .expired(let key, let at): return deny(.expired(key, at: at))
        case .valid(let key):
            guard key.roles.allow(role) || operation.alternativeRoles.contains(where: key.roles.contains) else {
                return deny(.lacksRole(key, role))
            }
            if operation.needsUnscopedKey && key.isScoped { return deny(.scoped(key)) }
            return .success(APICaller(key: key))
        }
    }

    private func deny(_ denial: Denial) -> Result<APICaller, Denial> {
        failures.count(denial.reason)
        return .failure(denial)
    }
}
