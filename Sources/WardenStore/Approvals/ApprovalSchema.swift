import GRDB

/// The approval table, registered by ``Schema`` as migration `v10-approvals`.
///
/// - `approval` holds one row per approval request, kept after it ends (who asked for what, who
///   decided, how many uses were taken). `policies` are the refusing policies' names, one per
///   line; `attribution` the canonical JSON object of the check's labels; `estimated_cost` the
///   exact decimal in `currency`. Times are nanoseconds since the epoch; `expires_ns` and `uses`
///   are set when approved, `decided_*` when approved or rejected, `ended_ns` when it stops being
///   live. `requester_key` is the name of the key whose check asked: only its retries use it.
/// - `approval_generation` is a counter that triggers raise on every change, which a running
///   server polls to notice a rejection made by the command line on the same file.
enum ApprovalSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE approval (
                id TEXT PRIMARY KEY,
                policies TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                attribution TEXT NOT NULL,
                estimated_cost TEXT NOT NULL,
                currency TEXT NOT NULL,
                estimated_tokens INTEGER NOT NULL,
                requested_by TEXT NOT NULL,
                requester_key TEXT NOT NULL,
                created_ns INTEGER NOT NULL,
                status TEXT NOT NULL,
                approval_expires_ns INTEGER NOT NULL,
                uses INTEGER NOT NULL,
                used INTEGER NOT NULL,
                expires_ns INTEGER,
                decided_by TEXT,
                decided_ns INTEGER,
                ended_ns INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX approval_status ON approval(status, created_ns);
            CREATE TABLE approval_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation INTEGER NOT NULL
            );
            INSERT INTO approval_generation(id, generation) VALUES (1, 0);
            CREATE TRIGGER approval_inserted AFTER INSERT ON approval
            BEGIN UPDATE approval_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER approval_deleted AFTER DELETE ON approval
            BEGIN UPDATE approval_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER approval_changed AFTER UPDATE ON approval
            BEGIN UPDATE approval_generation SET generation = generation + 1 WHERE id = 1; END;
            """)
    }
}
