import GRDB
import WardenCore
import WardenFormats

/// The key rows a change reads and writes, inside the transaction that also appends the change's
/// audit rows (``AuditLog/changeAPIKeys(_:)``).
public struct APIKeyTransaction {
    let db: Database

    /// Every row with this name, oldest first.
    public func keys(named name: String) throws -> [StoredAPIKey] { try APIKeyRows.named(name, db) }

    /// Whether any key row at all exists (revoked ones included).
    public func anyKey() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_key)") ?? false
    }

    /// Whether a row has this id (ids are random; a clash is retried with another).
    public func idExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_key WHERE id = ?)", arguments: [id]) ?? false
    }

    public func insert(_ key: StoredAPIKey) throws { try APIKeyRows.insert(key, db) }

    /// The secret `id` works until `time` (a rotation's grace), unless it ends sooner already.
    public func endGrace(id: String, at time: Timestamp) throws {
        try db.execute(sql: """
            UPDATE api_key SET grace_ends_ns = ? WHERE id = ? AND (grace_ends_ns IS NULL OR grace_ends_ns > ?)
            """, arguments: [time.nanosecondsSinceEpoch, id, time.nanosecondsSinceEpoch])
    }

    public func revoke(id: String, at time: Timestamp) throws {
        try db.execute(sql: "UPDATE api_key SET revoked_ns = ? WHERE id = ? AND revoked_ns IS NULL",
                       arguments: [time.nanosecondsSinceEpoch, id])
    }
}

extension AuditLog {
    /// Runs a change to the API keys and appends the audit rows it returns in the same
    /// transaction, so no key changes without its row and no row records a change that did not
    /// happen. An error thrown by `change` rolls everything back and comes out unchanged.
    public func changeAPIKeys<T: Sendable>(_ change: (APIKeyTransaction) throws -> (value: T, audit: [AuditEvent])) throws -> T {
        try appendInTransaction { db in
            let (value, events) = try change(APIKeyTransaction(db: db))
            return (events, events.map { PreparedRow($0, detail: $0.detail.canonicalJSON) }, value)
        }.value
    }
}
