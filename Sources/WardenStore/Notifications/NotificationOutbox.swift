import GRDB
import Synchronization
import WardenCore
import WardenFormats

/// The persistent, bounded, per-receiver queue of notifications, in the same SQLite file as the
/// audit log (tables in ``NotificationSchema``).
///
/// Events enter in the audit append's own transaction (``AuditLog/append(_:)`` calls
/// ``enqueue(_:rows:)``): an audit row and its notifications commit together or not at all, so a
/// crash can neither lose a notification for a recorded event nor send one for an event that was
/// never recorded. The audit `seq` is the event id: re-enqueueing an id is a no-op (dedupe), and a
/// receiver's queue is delivered in id order, which is decision order.
///
/// A receiver that is down keeps its queue across restarts. Beyond ``limit`` rows the oldest are
/// deleted in the same transaction and counted in ``dropped(receiver:)`` (a process-lifetime
/// counter, like every Prometheus counter).
public final class NotificationOutbox: Sendable {
    /// Which actions one receiver takes.
    public struct Route: Sendable, Equatable {
        public var receiver: String
        public var actions: Set<String>

        public init(receiver: String, actions: Set<String>) {
            self.receiver = receiver
            self.actions = actions
        }
    }

    /// One queued delivery.
    public struct Item: Sendable, Equatable {
        public var id: Int64
        /// The JSON body exactly as queued (``NotificationEvent/body``).
        public var body: [UInt8]
    }

    let store: UsageStore
    public let routes: [Route]
    public let limit: Int
    private let drops = Mutex<[String: Int]>([:])

    public init(store: UsageStore, routes: [Route], limit: Int) {
        self.store = store
        self.routes = routes
        self.limit = max(1, limit)
    }

    /// Whether some receiver takes events with this action.
    func takes(_ action: String) -> Bool {
        routes.contains { $0.actions.contains(action) }
    }

    /// Queues events outside an audit append (tests, replays). Returns nothing; drops are counted.
    public func enqueue(_ events: [NotificationEvent]) throws(StoreError) {
        let rows = events.map { (id: $0.id, action: $0.event.action, body: String(decoding: $0.body, as: UTF8.self)) }
        do {
            let dropped = try store.pool.write { db in try self.enqueue(db, rows: rows) }
            countDrops(dropped)
        } catch {
            throw StoreError(.write, "queueing notifications in \(store.path) failed: \(error)")
        }
    }

    /// Inserts rows for every matching receiver and trims each queue to ``limit``, inside the
    /// caller's transaction. Returns the rows dropped per receiver, to count once committed.
    ///
    /// The bound costs one `COUNT(*)` per receiver that got rows: an index scan of at most
    /// ``limit`` entries, paid only by audit appends (threshold crossings, denies), never by
    /// usage ingest.
    func enqueue(_ db: Database, rows: [(id: Int64, action: String, body: String)]) throws -> [String: Int] {
        var dropped: [String: Int] = [:]
        guard !rows.isEmpty, !routes.isEmpty else { return dropped }
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO notification_outbox(receiver, event_id, action, body) VALUES (?, ?, ?, ?)")
        for route in routes {
            var added = false
            for row in rows where route.actions.contains(row.action) {
                try insert.execute(arguments: [route.receiver, row.id, row.action, row.body])
                added = true
            }
            guard added else { continue }
            let depth = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification_outbox WHERE receiver = ?", arguments: [route.receiver]) ?? 0
            if depth > limit {
                try db.execute(sql: """
                    DELETE FROM notification_outbox WHERE receiver = ? AND event_id IN
                        (SELECT event_id FROM notification_outbox WHERE receiver = ? ORDER BY event_id LIMIT ?)
                    """, arguments: [route.receiver, route.receiver, depth - limit])
                dropped[route.receiver, default: 0] += depth - limit
            }
        }
        return dropped
    }

    func countDrops(_ dropped: [String: Int]) {
        guard !dropped.isEmpty else { return }
        drops.withLock { for (receiver, count) in dropped { $0[receiver, default: 0] += count } }
    }

    /// Events dropped from `receiver`'s queue by the bound since this process started.
    public func dropped(receiver: String) -> Int { drops.withLock { $0[receiver] ?? 0 } }

    /// The oldest `count` queued deliveries of `receiver`, oldest first, and the queue's depth.
    public func next(receiver: String, count: Int) throws(StoreError) -> (items: [Item], depth: Int) {
        do {
            return try store.pool.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT event_id, body FROM notification_outbox WHERE receiver = ? ORDER BY event_id LIMIT ?",
                                            arguments: [receiver, count])
                let depth = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification_outbox WHERE receiver = ?", arguments: [receiver]) ?? 0
                return (rows.map { Item(id: $0[0], body: Array(($0[1] as String).utf8)) }, depth)
            }
        } catch {
            throw StoreError(.read, "reading the notification outbox of \(receiver) failed: \(error)")
        }
    }

    /// Removes delivered items.
    public func delivered(receiver: String, ids: [Int64]) throws(StoreError) {
        do {
            try store.pool.write { db in
                let delete = try db.cachedStatement(sql: "DELETE FROM notification_outbox WHERE receiver = ? AND event_id = ?")
                for id in ids { try delete.execute(arguments: [receiver, id]) }
            }
        } catch {
            throw StoreError(.write, "removing delivered notifications of \(receiver) failed: \(error)")
        }
    }
}
