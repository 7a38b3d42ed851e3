import GRDB

/// The audit tables, registered by ``Schema`` as migration `v2-audit`.
///
/// - `audit_event` is the hash chain. `seq` is assigned by ``AuditLog`` (not by SQLite) because
///   it is part of the hashed row; amounts are TEXT holding exact decimals; `scope` and `detail`
///   are canonical JSON text; `prev_hash` and `hash` are lowercase hex SHA-256 (64 characters),
///   readable in the `sqlite3` shell. See ``AuditChain`` for what exactly is hashed.
/// - `audit_anchor` is one row: where pruning stopped (`pruned_seq`, and `pruned_hash`, the hash
///   of that last pruned row, so the first remaining row's `prev_hash` can still be checked) and
///   the head of the chain (`head_seq`, `head_hash`, updated in every append's transaction, so a
///   truncated tail — deleting the newest rows — is detectable too). Before any append or prune
///   both are row 0 with the genesis hash (64 zeros).
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
}
