import GRDB

/// The database schema, as ordered migrations (GRDB's migrator records which have run).
///
/// Why these shapes:
/// - `usage_event.cost` is TEXT holding the exact decimal (SQLite integers are 64-bit and the
///   ledger's unit is 10⁻¹⁸, so an INTEGER column would overflow at 9.2 currency units).
/// - The standard attribution keys have their own columns so finance queries can filter and
///   group without JSON functions; the full attribution is kept as canonical JSON as well.
/// - `ledger_series` is the persisted image of the in-memory ledger, written in the same
///   transaction as the events it counts, so a restart restores counters without a full scan.
/// - Audio seconds are stored as whole microseconds (`audio_input_us`): exact integers that SQL
///   can sum, where a REAL column would round.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-usage-and-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE usage_event (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    time_ns INTEGER NOT NULL,
                    received_ns INTEGER NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    cache_read_input_tokens INTEGER NOT NULL,
                    cache_creation_input_tokens INTEGER NOT NULL,
                    reasoning_tokens INTEGER NOT NULL,
                    cost TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    priced INTEGER NOT NULL,
                    org TEXT, team TEXT, project TEXT, user TEXT, agent TEXT,
                    session TEXT, feature TEXT, environment TEXT,
                    attribution TEXT NOT NULL,
                    reservation TEXT
                );
                CREATE INDEX usage_event_time ON usage_event(time_ns);
                CREATE TABLE ledger_series (
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    uncached_input INTEGER NOT NULL,
                    cache_read INTEGER NOT NULL,
                    cache_creation INTEGER NOT NULL,
                    output INTEGER NOT NULL,
                    reasoning INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    costs TEXT NOT NULL,
                    UNIQUE (provider, model, labels)
                );
                CREATE TABLE ledger_counter (
                    name TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (name, labels)
                ) WITHOUT ROWID;
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-audit", migrate: AuditSchema.migrate)
        migrator.registerMigration("v3-notification-outbox", migrate: NotificationSchema.migrate)
        migrator.registerMigration("v4-saved-reservations", migrate: SavedReservations.migrate)
        migrator.registerMigration("v5-audit-keyed", migrate: AuditSchema.migrateKeyed)
        migrator.registerMigration("v6-api-keys", migrate: APIKeySchema.migrate)
        migrator.registerMigration("v7-audit-actor", migrate: AuditSchema.migrateActor)
        migrator.registerMigration("v8-reservation-key", migrate: SavedReservations.migrateKeyName)
        migrator.registerMigration("v9-budget-overrides", migrate: OverrideSchema.migrate)
        migrator.registerMigration("v10-approvals", migrate: ApprovalSchema.migrate)
        migrator.registerMigration("v11-ledger-period-spend") { db in
            // NULL in rows written before: the restore then counts the period spend from the usage log.
            try db.execute(sql: "ALTER TABLE ledger_series ADD COLUMN period_spend TEXT")
        }
        migrator.registerMigration("v12-drop-notification-alert", migrate: NotificationSchema.dropAlerts)
        migrator.registerMigration("v13-media-units", migrate: MediaColumns.migrate)
        return migrator
    }()
}
