import WardenCore

/// Who acts on an override: an API key (its name is its identity for four eyes, its roles and
/// scope say what it may do) or someone on the host with the data file (`local:<user>`), who
/// has no key and so can never be the second pair of eyes.
public struct GovernanceActor: Sendable {
    /// The audit actor (``AuditEvent/actor``).
    public var actor: String
    /// The key's name; nil offline.
    public var keyName: String?
    /// The key's roles; nil offline (the file's owner may request, reject and revoke).
    public var roles: APIRoles?
    public var scope: Attribution

    public static func key(_ key: APIKey) -> GovernanceActor {
        GovernanceActor(actor: key.actor, keyName: key.name, roles: key.roles, scope: key.scope)
    }

    public static func local(_ actor: String) -> GovernanceActor {
        GovernanceActor(actor: actor, keyName: nil, roles: nil, scope: Attribution())
    }

    /// Someone who only reads (the spend page), seeing what lies inside `scope`.
    public static func viewer(scope: Attribution) -> GovernanceActor {
        GovernanceActor(actor: "", keyName: nil, roles: APIRoles([.read]), scope: scope)
    }

    /// Whether the actor may act on the budget instance labelled `labels`: an unscoped key or an
    /// offline actor on any; a scoped key only inside its scope.
    func covers(_ labels: [AuditLabel]) -> Bool {
        scope.labels.allSatisfy { label in labels.contains { $0.key == label.key && $0.value == label.value } }
    }

    /// Whether the actor holds `role` (an admin holds all); offline actors hold none but may
    /// still do what needs no key.
    func holds(_ role: APIRole) -> Bool { roles?.allow(role) ?? false }

    var isOffline: Bool { keyName == nil }
}
