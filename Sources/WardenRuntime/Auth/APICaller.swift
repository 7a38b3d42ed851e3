import WardenCore

/// Who made a request: the API key it presented, or nobody when authentication does not apply.
public struct APICaller: Sendable {
    public let key: APIKey?

    public init(key: APIKey?) { self.key = key }

    /// Authentication does not apply (`auth: auto` and no key exists).
    public static let unauthenticated = APICaller(key: nil)

    public var keyName: String? { key?.name }

    /// The ``AuditEvent/actor`` of what this request causes.
    public var actor: String? { key?.actor }

    /// The labels the caller is bound to (empty when unscoped or unauthenticated).
    public var scope: Attribution { key?.scope ?? Attribution() }

    public var isScoped: Bool { key?.isScoped ?? false }

    /// The key whose reservations this caller may release, or nil when it may release any (an
    /// admin, or nobody when authentication does not apply).
    public var reservationOwner: String? {
        guard let key, !key.roles.contains(.admin) else { return nil }
        return key.name
    }

    /// Fills and checks `attribution` against the caller's scope (``APIKey/bind(_:)``).
    public func bind(_ attribution: inout Attribution) -> [Attribution.Label] {
        key?.bind(&attribution) ?? []
    }

    /// Whether a row about `labels` is one this caller may see (``APIKey/covers(_:)``).
    public func covers(_ labels: [AuditLabel]) -> Bool { key?.covers(labels) ?? true }
}
