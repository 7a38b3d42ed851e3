import Foundation
import GRDB
import WardenCore

extension UsageStore {
    /// The counter every change to `api_key` raises (except a new `last_used`): when it has not
    /// moved, the keys have not changed.
    public func apiKeyGeneration() throws(StoreError) -> Int64 {
        do {
            return try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT generation FROM api_key_generation WHERE id = 1") ?? 0
            }
        } catch {
            throw StoreError(.read, "reading the API key generation failed: \(error)")
        }
    }

    /// Every row of `api_key`, revoked and expired ones included, by name then creation, with
    /// the generation they were read at (in the same read transaction).
    public func apiKeys() throws(StoreError) -> (keys: [StoredAPIKey], generation: Int64) {
        do {
            return try pool.read { db in
                let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM api_key_generation WHERE id = 1") ?? 0
                return (try APIKeyRows.all(db), generation)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the API keys failed: \(error)")
        }
    }

    /// Writes when keys were last used (never moving a time backwards); rows that are gone are
    /// skipped. Does not raise the generation.
    public func recordAPIKeyUse(_ uses: [(id: String, at: Timestamp)]) throws(StoreError) {
        guard !uses.isEmpty else { return }
        do {
            try pool.write { db in
                let update = try db.cachedStatement(sql: """
                    UPDATE api_key SET last_used_ns = ? WHERE id = ? AND (last_used_ns IS NULL OR last_used_ns < ?)
                    """)
                for use in uses {
                    try update.execute(arguments: [use.at.nanosecondsSinceEpoch, use.id, use.at.nanosecondsSinceEpoch])
                }
            }
        } catch {
            throw StoreError(.write, "recording API key use failed: \(error)")
        }
    }
}

/// Reading and writing `api_key` rows inside a transaction.
enum APIKeyRows {
    static let columns = "id, name, secret_sha256, roles, scope, created_ns, expires_ns, grace_ends_ns, revoked_ns, last_used_ns"

    static func all(_ db: Database) throws -> [StoredAPIKey] {
        try fetch(db, sql: "SELECT \(columns) FROM api_key ORDER BY name, created_ns, id", arguments: [])
    }

    static func named(_ name: String, _ db: Database) throws -> [StoredAPIKey] {
        try fetch(db, sql: "SELECT \(columns) FROM api_key WHERE name = ? ORDER BY created_ns, id", arguments: [name])
    }

    /// A row that cannot be read (a scope that is not an object of strings, a hash of the wrong
    /// size) is an error naming it, never a key that silently matches more than it should.
    private static func fetch(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredAPIKey] {
        var keys: [StoredAPIKey] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let id: String = try row.decode(atIndex: 0)
            let hash: Data = try row.decode(atIndex: 2)
            let scopeText: String = try row.decode(atIndex: 4)
            guard hash.count == 32 else { throw StoreError(.corrupt, "api_key \(id) has a secret hash of \(hash.count) bytes, not 32") }
            guard let scope = AttributionJSON.decode(scopeText) else {
                throw StoreError(.corrupt, "api_key \(id) has a scope that is not a JSON object of strings: \(scopeText)")
            }
            let roles: String = try row.decode(atIndex: 3)
            func time(_ index: Int) throws -> Timestamp? {
                let value: Int64? = try row.decode(atIndex: index)
                return value.map(Timestamp.init(nanosecondsSinceEpoch:))
            }
            keys.append(StoredAPIKey(
                id: id, name: try row.decode(atIndex: 1), secretSHA256: Array(hash),
                roles: roles.split(separator: ",").map(String.init), scope: scope,
                created: Timestamp(nanosecondsSinceEpoch: try row.decode(atIndex: 5)),
                expires: try time(6), graceEnds: try time(7), revoked: try time(8), lastUsed: try time(9)))
        }
        return keys
    }

    static func insert(_ key: StoredAPIKey, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO api_key(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
            key.id, key.name, Data(key.secretSHA256), key.roles.joined(separator: ","), AttributionJSON.encode(key.scope),
            key.created.nanosecondsSinceEpoch, key.expires?.nanosecondsSinceEpoch, key.graceEnds?.nanosecondsSinceEpoch,
            key.revoked?.nanosecondsSinceEpoch, key.lastUsed?.nanosecondsSinceEpoch,
        ])
    }
}
