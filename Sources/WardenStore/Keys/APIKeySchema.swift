import GRDB

/// The API key table, registered by ``Schema`` as migration `v6-api-keys`.
///
/// - `api_key` holds one row per secret, keyed by the secret's public id (the 8 characters after
///   `tw_`), so a request's key is found in one lookup. A name has several rows once it is
///   rotated: the new secret's, and the old one's with `grace_ends_ns` set, which works until
///   then. Only the SHA-256 of the secret is stored (`secret_sha256`, 32 bytes). `roles` is a
///   comma-separated list; `scope` the canonical JSON object of the key's attribution labels
///   (`{}` for an unscoped key). Times are nanoseconds since the epoch; `expires_ns`,
///   `grace_ends_ns`, `revoked_ns` and `last_used_ns` are NULL until they apply. Revoked rows
///   are kept: they tell an operator which secret was in use and when it stopped.
/// - `api_key_generation` is one counter that triggers raise on every change to `api_key` except
///   `last_used_ns`: a running server polls it to notice keys that the command line created,
///   rotated or revoked on the same file (or that were edited with `sqlite3`), without reading
///   the table each time.
enum APIKeySchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_key (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_sha256 BLOB NOT NULL,
                roles TEXT NOT NULL,
                scope TEXT NOT NULL,
                created_ns INTEGER NOT NULL,
                expires_ns INTEGER,
                grace_ends_ns INTEGER,
                revoked_ns INTEGER,
                last_used_ns INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX api_key_name ON api_key(name, created_ns);
            CREATE TABLE api_key_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation INTEGER NOT NULL
            );
            INSERT INTO api_key_generation(id, generation) VALUES (1, 0);
            CREATE TRIGGER api_key_inserted AFTER INSERT ON api_key
            BEGIN UPDATE api_key_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER api_key_deleted AFTER DELETE ON api_key
            BEGIN UPDATE api_key_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER api_key_changed
            AFTER UPDATE OF id, name, secret_sha256, roles, scope, created_ns, expires_ns, grace_ends_ns, revoked_ns ON api_key
            BEGIN UPDATE api_key_generation SET generation = generation + 1 WHERE id = 1; END;
            """)
    }
}
