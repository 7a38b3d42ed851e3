import GRDB

/// The audit tables, registered by ``Schema`` as migrations `v2-audit` and `v5-audit-keyed`.
///
/// - `audit_event` is the hash chain. `seq` is assigned by ``AuditLog`` (not by SQLite) because
///   it is part of the hashed row; amounts are TEXT holding exact decimals; `scope` and `detail`
///   are canonical JSON text; `prev_hash` and `hash` are lowercase hex (64 characters), readable
///   in the `sqlite3` shell; `version` is the row's format, 1 (unkeyed SHA-256, the rows written
///   before the chain was keyed) or 2 (keyed HMAC-SHA256). See ``AuditChain`` for what exactly is
///   hashed.
/// - `audit_anchor` is one row: where pruning stopped (`pruned_seq`, and `pruned_hash`, the hash
///   of that last pruned row, so the first remaining row's `prev_hash` can still be checked), the
///   head of the chain (`head_seq`, `head_hash`, updated in every append's transaction, so a
///   truncated tail — deleting the newest rows — is detectable too), `keyed_from` (the first row
///   that must be keyed) and `seal`, an HMAC with the audit key over all of these (see
///   ``AuditAnchor/canonical``), so that they cannot be rewritten without the key either. Before
///   any append or prune both points are row 0 with the genesis hash (64 zeros); `keyed_from`
///   and `seal` are NULL until TokenWarden first opens the log with a key.
enum AuditSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_event (
                seq INTEGER PRIMARY KEY,
                time_ns INTEGER NOT NULL,
                rule TEXT NOT NULL,
                kind TEXT NOT NULL,
                action TEXT NOT NULL,
                scope TEXT NOT NULL,
                decision TEXT NOT NULL,
                observed TEXT,
                limit_value TEXT,
                detail TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX audit_event_time ON audit_event(time_ns);
            CREATE INDEX audit_event_rule ON audit_event(rule, seq);
            CREATE TABLE audit_anchor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                pruned_seq INTEGER NOT NULL,
                pruned_hash TEXT NOT NULL,
                head_seq INTEGER NOT NULL,
                head_hash TEXT NOT NULL
            );
            """)
        try db.execute(sql: "INSERT INTO audit_anchor(id, pruned_seq, pruned_hash, head_seq, head_hash) VALUES (1, 0, ?, 0, ?)",
                       arguments: [AuditChain.genesisHash, AuditChain.genesisHash])
    }

    /// Who made the request behind a row (``AuditEvent/actor``); NULL for the rows before it and
    /// for what nobody asked for. Hashed, when present, after `detail` (see ``AuditChain``).
    static func migrateActor(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE audit_event ADD COLUMN actor TEXT")
    }

    /// Keying: the rows already written are version 1 and stay so.
    static func migrateKeyed(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE audit_event ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE audit_anchor ADD COLUMN keyed_from INTEGER;
            ALTER TABLE audit_anchor ADD COLUMN seal TEXT;
            """)
    }
}
