import GRDB
import Testing
import WardenCore
import WardenFormats
@testable import WardenStore

@Suite struct NotificationSchemaTests {
    /// A database at the schema before `v12-drop-notification-alert`, holding an Alertmanager
    /// alert and a queued notification.
    static func databaseWithAlertRows(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try Schema.migrator.migrate(queue, upTo: "v11-ledger-period-spend")
        let body = String(decoding: NotificationEvent(id: 7, event: NotificationOutboxTests.step(0)).body, as: UTF8.self)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO notification_alert(receiver, fingerprint, body) VALUES (?, ?, ?)",
                           arguments: ["alertmanager", "alertname=TokenWardenBudgetStep\u{1F}budget=daily", body])
            try db.execute(sql: "INSERT INTO notification_outbox(receiver, event_id, action, body) VALUES (?, ?, ?, ?)",
                           arguments: ["hook", 7, AuditAction.thresholdCrossedUp, body])
        }
    }

    @Test func openingADatabaseWithAlertRowsDropsTheAlertTableAndKeepsTheQueue() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try Self.databaseWithAlertRows(at: database.path)
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        #expect(try store.pool.read { try $0.tableExists("notification_alert") } == false)
        let outbox = NotificationOutbox(store: store, routes: NotificationOutboxTests.routes, limit: 100)
        let queued = try outbox.next(receiver: "hook", count: 10)
        #expect(queued.items.map(\.id) == [7])
        #expect(try NotificationEvent(body: queued.items[0].body).event.action == AuditAction.thresholdCrossedUp)
    }

    @Test func aNewDatabaseHasNoAlertTable() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        #expect(try store.pool.read { try $0.tableExists("notification_alert") } == false)
        #expect(try store.pool.read { try $0.tableExists("notification_outbox") })
    }
}
