import WardenFormats
import GRDB

/// The notification table, registered by ``Schema`` as migration `v3-notification-outbox`.
///
/// - `notification_outbox`: one row per (receiver, event) waiting for delivery. `event_id` is the
///   audit row's `seq`, so the primary key deduplicates and orders a receiver's queue (oldest
///   first); `body` is the JSON that is sent and signed (``NotificationEvent/body``), kept whole so
///   a pruned audit row cannot lose a queued notification.
///
/// `v3-notification-outbox` also creates `notification_alert`, and `v12-drop-notification-alert`
/// (``dropAlerts(_:)``) drops it with whatever rows it holds: Alertmanager receivers get only
/// moments, which resolve by themselves, so there is no alert state to keep. Migrations that a
/// database may have run stay as they are: it records them by name.
enum NotificationSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notification_outbox (
                receiver TEXT NOT NULL,
                event_id INTEGER NOT NULL,
                action TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (receiver, event_id)
            ) WITHOUT ROWID;
            CREATE TABLE notification_alert (
                receiver TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (receiver, fingerprint)
            ) WITHOUT ROWID;
            """)
    }

    static func dropAlerts(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS notification_alert")
    }
}
