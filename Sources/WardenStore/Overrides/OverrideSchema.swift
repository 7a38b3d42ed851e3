import GRDB

/// The override table, registered by ``Schema`` as migration `v9-budget-overrides`.
///
/// - `budget_override` holds one row per request, kept after it ends (the history of who asked,
///   who decided, why). `instance` is the canonical JSON object of the budget instance's labels
///   (`{}` for the whole budget); `change` the change as text (`+500.00 USD`, `300.00 USD`,
///   `exempt`). Exactly one of `duration_ns` (`"for"`) and `until_ns` is set. Times are
///   nanoseconds since the epoch; `expires_ns` is set when the override becomes active,
///   `decided_*` when someone approves, rejects or revokes it, `ended_ns` when it stops being
///   live. `requester_key` is the requesting API key's name (NULL offline): four eyes compare it.
/// - `budget_override_generation` is a counter that triggers raise on every change, which a
///   running server polls to notice a request or revocation made by the command line on the
///   same file.
enum OverrideSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE budget_override (
                id TEXT PRIMARY KEY,
                budget TEXT NOT NULL,
                instance TEXT NOT NULL,
                change TEXT NOT NULL,
                duration_ns INTEGER,
                until_ns INTEGER,
                reason TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requester_key TEXT,
                created_ns INTEGER NOT NULL,
                status TEXT NOT NULL,
                approval_expires_ns INTEGER NOT NULL,
                expires_ns INTEGER,
                decided_by TEXT,
                decided_ns INTEGER,
                ended_ns INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX budget_override_status ON budget_override(status, created_ns);
            CREATE TABLE budget_override_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation INTEGER NOT NULL
            );
            INSERT INTO budget_override_generation(id, generation) VALUES (1, 0);
            CREATE TRIGGER budget_override_inserted AFTER INSERT ON budget_override
            BEGIN UPDATE budget_override_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER budget_override_deleted AFTER DELETE ON budget_override
            BEGIN UPDATE budget_override_generation SET generation = generation + 1 WHERE id = 1; END;
            CREATE TRIGGER budget_override_changed AFTER UPDATE ON budget_override
            BEGIN UPDATE budget_override_generation SET generation = generation + 1 WHERE id = 1; END;
            """)
    }
}
