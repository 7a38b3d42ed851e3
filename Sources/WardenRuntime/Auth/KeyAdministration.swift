import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

/// What `tokenwarden keys` and `/v1/keys` ask for a new key, as given (validated here, so both
/// say the same about the same mistake).
public struct KeyRequest: Sendable {
    public var name: String
    public var roles: [String]
    /// Attribution labels, in the order given.
    public var scope: [(key: String, value: String)]
    /// A duration (`90d`), or nil for a key that does not expire.
    public var expires: String?

    public init(name: String, roles: [String], scope: [(key: String, value: String)] = [], expires: String? = nil) {
        self.name = name
        self.roles = roles
        self.scope = scope
        self.expires = expires
    }
}

/// A key just made: the only moment its secret exists outside the client.
public struct IssuedKey: Sendable {
    public let key: APIKey
    public let token: APIKeyToken
    /// For a rotation: the secrets it replaced, each working until its grace period ends.
    public let replaced: [APIKey]
}

/// Creating, rotating, revoking and listing API keys, for the command line and the HTTP API
/// alike. Every change is one transaction with its audit row (kind `key`, the key's name in
/// `rule`, its scope as the row's scope, the actor who asked).
public final class KeyAdministration: Sendable {
    let store: UsageStore
    let auditLog: AuditLog
    let schema: AttributionSchema
    let clock: any WallClock
    /// Scope values of pseudonymised labels are kept as pseudonyms, like the attributions they bind.
    let pseudonymisation: Pseudonymisation
    /// Called after each change (a running server reads its key ring again at once).
    let changed: @Sendable () -> Void

    public init(store: UsageStore, auditLog: AuditLog, schema: AttributionSchema, clock: any WallClock,
                pseudonymisation: Pseudonymisation = .none, changed: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.auditLog = auditLog
        self.schema = schema
        self.clock = clock
        self.pseudonymisation = pseudonymisation
        self.changed = changed
    }

    /// Key names: what `--name` and `"name"` accept.
    public static let nameRule = "1 to 64 characters: letters, digits, \".\", \"_\", \"-\", starting with a letter or digit"

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    // MARK: create

    public func create(_ request: KeyRequest, actor: String?) throws(KeyAdministrationError) -> IssuedKey {
        let (roles, scope, lifetime) = try validate(request)
        let name = request.name
        let now = clock.now()
        let issued: IssuedKey = try change { transaction in
            if try transaction.keys(named: name).contains(where: { APIKey($0).status(at: now).isUsable }) {
                throw KeyAdministrationError(.exists, "key \"\(name)\" exists: rotate it (keys rotate) or revoke it first")
            }
            let token = try Self.freshToken(transaction)
            let expires = lifetime.map { Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating($0.nanoseconds)) }
            let stored = StoredAPIKey(id: token.id, name: name, secretSHA256: token.secretSHA256, roles: roles.names, scope: scope,
                                      created: now, expires: expires)
            try transaction.insert(stored)
            let key = APIKey(stored)
            var detail = AuditDetail([("id", .text(key.id)), ("roles", .list(roles.names.map { .text($0) }))])
            if let expires { detail["expires"] = .text(expires.rfc3339) }
            return (IssuedKey(key: key, token: token, replaced: []),
                    [Self.event(AuditAction.keyCreated, key: key, detail: detail, at: now, actor: actor)])
        }
        return issued
    }

    /// Checks every field and says everything wrong at once.
    func validate(_ request: KeyRequest) throws(KeyAdministrationError) -> (APIRoles, Attribution, RuleDuration?) {
        var problems: [KeyAdministrationError.Problem] = []
        if !Self.isValidName(request.name) {
            problems.append(.init(field: "name", message: "must be \(Self.nameRule), not \"\(request.name)\""))
        }
        var roles: [APIRole] = []
        if request.roles.isEmpty { problems.append(.init(field: "roles", message: "give at least one role: \(APIRole.list)")) }
        for (index, name) in request.roles.enumerated() {
            if let role = APIRole(rawValue: name) {
                if !roles.contains(role) { roles.append(role) }
            } else {
                problems.append(.init(field: request.roles.count == 1 ? "roles" : "roles[\(index)]",
                                      message: "unknown role \"\(name)\"; roles: \(APIRole.list)"))
            }
        }
        var scope = Attribution()
        var scopeBytes = 0
        for (key, value) in request.scope {
            let field = "scope.\(key)"
            guard schema.allows(key) else {
                problems.append(.init(field: field, message: "unknown attribution key \"\(key)\"; allowed keys: \(schema.allowedKeys.joined(separator: ", "))"))
                continue
            }
            guard scope[key] == nil else {
                problems.append(.init(field: field, message: "given more than once"))
                continue
            }
            if let problem = InputBounds.textProblem(value) {
                problems.append(.init(field: field, message: problem))
                continue
            }
            scope[key] = pseudonymisation.value(value, of: key)
            scopeBytes += key.utf8.count + value.utf8.count
        }
        if scopeBytes > InputBounds.defaultMaxAttributionBytes {
            problems.append(.init(field: "scope", message: InputBounds.attributionSizeProblem(scopeBytes, limit: InputBounds.defaultMaxAttributionBytes)))
        }
        if roles.contains(.admin) && !request.scope.isEmpty {
            problems.append(.init(field: "scope", message: "an admin key cannot be scoped: it manages every key, unscoped ones included"))
        }
        var lifetime: RuleDuration?
        if let text = request.expires {
            if let duration = try? RuleDuration(parsing: text), duration.nanoseconds >= 1_000_000_000 {
                lifetime = duration
            } else {
                problems.append(.init(field: "expires", message: "must be a duration of at least 1s such as 90d, not \"\(text)\""))
            }
        }
        if !problems.isEmpty { throw KeyAdministrationError(invalid: problems) }
        return (APIRoles(roles), scope, lifetime)
    }

    // MARK: rotate

    /// A new secret under `name`, with its roles and scope (and, for a key that expires, the
    /// same lifetime from now); the secrets it replaces keep working for `grace` (default 24h).
    public func rotate(name: String, grace: String?, actor: String?) throws(KeyAdministrationError) -> IssuedKey {
        var gracePeriod = RuleDuration(nanoseconds: 86_400_000_000_000)
        if let grace {
            guard let parsed = try? RuleDuration(parsing: grace) else {
                throw KeyAdministrationError(invalid: [.init(field: "grace", message: "must be a duration such as 24h (0s ends the old secret now), not \"\(grace)\"")])
            }
            gracePeriod = parsed
        }
        let now = clock.now()
        let graceEnds = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating(gracePeriod.nanoseconds))
        return try change { transaction in
            let live = try transaction.keys(named: name).map(APIKey.init).filter { $0.status(at: now).isUsable }
            guard let newest = live.last else {
                throw KeyAdministrationError(.unknownKey, "no key named \"\(name)\" to rotate (none exists, or every secret of it is revoked or expired)")
            }
            let token = try Self.freshToken(transaction)
            let expires = newest.expires.map {
                Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating($0.nanosecondsSinceEpoch - newest.created.nanosecondsSinceEpoch))
            }
            let stored = StoredAPIKey(id: token.id, name: name, secretSHA256: token.secretSHA256, roles: newest.roles.names,
                                      scope: newest.scope, created: now, expires: expires)
            try transaction.insert(stored)
            for old in live { try transaction.endGrace(id: old.id, at: graceEnds) }
            let replaced = try transaction.keys(named: name).map(APIKey.init).filter { key in live.contains { $0.id == key.id } }
            let key = APIKey(stored)
            var detail = AuditDetail([("grace_ends", .text(graceEnds.rfc3339)), ("id", .text(key.id)),
                                      ("replaced", .list(live.map { .text($0.id) })), ("roles", .list(key.roles.names.map { .text($0) }))])
            if let expires { detail["expires"] = .text(expires.rfc3339) }
            return (IssuedKey(key: key, token: token, replaced: replaced),
                    [Self.event(AuditAction.keyRotated, key: key, detail: detail, at: now, actor: actor)])
        }
    }

    // MARK: revoke

    /// Revokes every secret of `name` (or only `id`) that is not revoked yet: they stop working
    /// at once. Returns the secrets revoked (none when they all were already).
    public func revoke(name: String, id: String?, actor: String?) throws(KeyAdministrationError) -> [APIKey] {
        let now = clock.now()
        return try change { transaction in
            let rows = try transaction.keys(named: name).map(APIKey.init)
            guard !rows.isEmpty else { throw KeyAdministrationError(.unknownKey, "no key named \"\(name)\"") }
            var targets = rows.filter { $0.revoked == nil }
            if let id {
                guard rows.contains(where: { $0.id == id }) else {
                    throw KeyAdministrationError(.unknownKey, "key \"\(name)\" has no secret with id \(id)")
                }
                targets = targets.filter { $0.id == id }
            }
            guard let newest = targets.last else { return ([], []) }
            for target in targets { try transaction.revoke(id: target.id, at: now) }
            let revoked = try transaction.keys(named: name).map(APIKey.init).filter { key in targets.contains { $0.id == key.id } }
            let detail = AuditDetail([("ids", .list(targets.map { .text($0.id) }))])
            return (revoked, [Self.event(AuditAction.keyRevoked, key: newest, detail: detail, at: now, actor: actor)])
        }
    }

    // MARK: list

    /// Every secret of every key, revoked and expired ones included, by name then creation.
    public func list() throws(KeyAdministrationError) -> [APIKey] {
        do {
            return try store.apiKeys().keys.map(APIKey.init)
        } catch {
            throw KeyAdministrationError(.storage, "reading the API keys failed: \(error.message)")
        }
    }

    // MARK: plumbing

    /// Runs `body` in one transaction with the audit rows it returns, then tells ``changed``.
    private func change<T: Sendable>(_ body: (APIKeyTransaction) throws -> (T, [AuditEvent])) throws(KeyAdministrationError) -> T {
        let value: T
        do {
            value = try auditLog.changeAPIKeys { transaction in
                let (value, audit) = try body(transaction)
                return (value, audit)
            }
        } catch let error as KeyAdministrationError {
            throw error
        } catch let error as StoreError {
            throw KeyAdministrationError(.storage, error.message)
        } catch {
            throw KeyAdministrationError(.storage, "changing the API keys failed: \(error)")
        }
        changed()
        return value
    }

    /// A token whose id no row has (48 random bits: a clash is as good as impossible, but cheap to rule out).
    private static func freshToken(_ transaction: APIKeyTransaction) throws -> APIKeyToken {
        var token = APIKeyToken.generate()
        while try transaction.idExists(token.id) { token = APIKeyToken.generate() }
        return token
    }

    static func event(_ action: String, key: APIKey, detail: AuditDetail, at now: Timestamp, actor: String?) -> AuditEvent {
        AuditEvent(time: now, rule: key.name, kind: .key, action: action, scope: key.scope.labels.map { ($0.key, $0.value) },
                   detail: detail, actor: actor)
    }
}

extension KeyAdministration {
    /// The store, audit log and attribution schema of a data file, for the command line: the
    /// schema and `audit.key_file` come from `<rules>/tokenwarden.yaml` (a missing default
    /// `./Rules` means the defaults), the audit key is created beside the database if neither
    /// exists yet, as `serve` would. With `create` false the database must exist.
    public static func open(dataPath: String, rulesDirectory: String, createDatabase: Bool,
                            logger: Logger) throws(ConfigurationLoadError) -> (KeyAdministration, UsageStore) {
        var deployment = DeploymentConfig()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue {
            do { deployment = try DeploymentConfigFile.load(rulesDirectory: rulesDirectory) } catch {
                throw ConfigurationLoadError(messages: error.errors.map(\.description))
            }
        } else if rulesDirectory != "./Rules" {
            throw ConfigurationLoadError(messages: ["\(rulesDirectory): rules directory does not exist"])
        }
        if !FileManager.default.fileExists(atPath: dataPath) {
            guard createDatabase else { throw ConfigurationLoadError(messages: ["no database at \(dataPath) (pass --data with the file serve writes to)"]) }
            let directory = (dataPath as NSString).deletingLastPathComponent
            if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        }
        let store: UsageStore
        do { store = try UsageStore(path: dataPath, logger: logger) } catch {
            throw ConfigurationLoadError(messages: [error.message])
        }
        let keyPath = deployment.auditKeyFile ?? AuditKey.defaultPath(forDatabase: dataPath)
        do {
            let key = try WardenRuntime.auditKey(path: keyPath, configured: deployment.auditKeyFile != nil, store: store, logger: logger)
            let auditLog = AuditLog(store: store, key: key)
            try auditLog.open()
            let pseudonymisation = try WardenRuntime.pseudonymisationForCommand(deployment: deployment, dataPath: dataPath, logger: logger)
            return (KeyAdministration(store: store, auditLog: auditLog, schema: deployment.schema, clock: SystemClock(),
                                      pseudonymisation: pseudonymisation), store)
        } catch let error as ConfigurationLoadError {
            store.close(checkpointing: false)
            throw error
        } catch let error as StoreError {
            store.close(checkpointing: false)
            throw ConfigurationLoadError(messages: ["audit log of \(dataPath) (key \(keyPath)): \(error.message)"])
        } catch {
            store.close(checkpointing: false)
            throw ConfigurationLoadError(messages: ["\(error)"])
        }
    }
}
