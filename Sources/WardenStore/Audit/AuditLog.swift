import GRDB
import Synchronization
import WardenCore

/// The audit log: an append-only, hash-chained table of governance events in the same SQLite
/// file as the usage log (see ``AuditChain`` for the hashing and ``AuditSchema`` for the tables).
///
/// Appends come from the rule engine on its own path, not through the ``UsageWriter``: both
/// write through the same `DatabasePool`, whose single writer connection serializes them.
/// Appends through one `AuditLog` are serialized by its lock, which also guards the cached head
/// of the chain (seq and hash of the newest row), so an append reads nothing before it writes.
/// The cache is checked, not trusted: the append moves the head in `audit_anchor` only if it
/// still holds the cached value, and otherwise rereads it in the same transaction (a second
/// `AuditLog` on the same file, or a prune with a different instance, cannot fork the chain).
///
/// With an ``outbox``, every appended row is also queued for the notification receivers that
/// take its action, in the same transaction (see ``NotificationOutbox``), with its `seq` as id.
public final class AuditLog: Sendable {
    let store: UsageStore
    public let outbox: NotificationOutbox?
    private let head = Mutex<Head?>(nil)

    struct Head: Sendable {
        var seq: Int64
        var hash: String
    }

    public init(store: UsageStore, outbox: NotificationOutbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    /// Appends `events` in one transaction and returns their sequence numbers, in order.
    ///
    /// Each event's `detail` is canonicalized first (``AuditDetail/canonicalize(_:)``); an event
    /// whose detail is not a JSON object fails the whole batch and nothing is written.
    @discardableResult
    public func append(_ events: [AuditEvent]) throws(StoreError) -> [Int64] {
        if events.isEmpty { return [] }
        var prepared: [PreparedRow] = []
        prepared.reserveCapacity(events.count)
        for event in events {
            do {
                prepared.append(PreparedRow(event, detail: try AuditDetail.canonicalize(event.detail)))
            } catch {
                throw StoreError(.write, "audit event \(event.action) of rule \"\(event.rule)\": \(error.message)")
            }
        }
        let store = self.store
        let outbox = self.outbox
        return try head.withLock { (cached: inout Head?) throws(StoreError) -> [Int64] in
            do {
                var newHead = Head(seq: 0, hash: "")
                var sequence: [Int64] = []
                var dropped: [String: Int] = [:]
                try store.pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        var start = try cached ?? Self.readHead(db)
                        var rows = Self.chain(prepared, after: start)
                        try db.execute(sql: "UPDATE audit_anchor SET head_seq = ?, head_hash = ? WHERE id = 1 AND head_seq = ? AND head_hash = ?",
                                       arguments: [rows.head.seq, rows.head.hash, start.seq, start.hash])
                        if db.changesCount == 0 {
                            start = try Self.readHead(db)
                            rows = Self.chain(prepared, after: start)
                            try db.execute(sql: "UPDATE audit_anchor SET head_seq = ?, head_hash = ? WHERE id = 1",
                                           arguments: [rows.head.seq, rows.head.hash])
                        }
                        let insert = try db.cachedStatement(sql: """
                            INSERT INTO audit_event(seq, time_ns, rule, kind, action, scope, decision, observed, limit_value,
                                                    detail, prev_hash, hash)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """)
                        for (index, row) in prepared.enumerated() {
                            let link = rows.links[index]
                            insert.setUncheckedArguments([link.seq, row.timeNanoseconds, row.rule, row.kind, row.action, row.scope,
                                                          row.decision, row.observed, row.limit, row.detail, link.prevHash, link.hash])
                            do { try insert.execute() } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                                throw StoreError(.corrupt, "audit_event already has a row \(link.seq) although the chain's head is row "
                                    + "\(start.seq): a row was inserted behind TokenWarden's back; run `tokenwarden audit verify`")
                            }
                        }
                        // Bodies only for the rows a receiver takes: without receivers (the default) an
                        // expiry storm's rows would each render one for nothing.
                        if let outbox, !outbox.routes.isEmpty {
                            let notifications = events.indices.filter { outbox.takes(events[$0].action) }.map { index in
                                var event = events[index]
                                event.detail = prepared[index].detail
                                let id = rows.links[index].seq
                                return (id: id, action: event.action,
                                        body: String(decoding: NotificationEvent(id: id, event: event).body, as: UTF8.self))
                            }
                            dropped = try outbox.enqueue(db, rows: notifications)
                        }
                        newHead = rows.head
                        sequence = rows.links.map(\.seq)
                        return .commit
                    }
                }
                cached = newHead
                outbox?.countDrops(dropped)
                return sequence
            } catch {
                cached = nil
                if let error = error as? StoreError { throw error }
                throw StoreError(.write, "appending to the audit log in \(store.path) failed: \(error)")
            }
        }
    }

    /// Forgets the cached head (after a prune or a repair by another instance, for tests).
    func resetCachedHead() { head.withLock { $0 = nil } }

    static func readHead(_ db: Database) throws -> Head {
        let anchor = try AuditAnchor.read(db)
        return Head(seq: anchor.headSeq, hash: anchor.headHash)
    }

    /// An event's column values, computed once outside the transaction.
    struct PreparedRow: Sendable {
        var timeNanoseconds: Int64
        var rule: String
        var kind: String
        var action: String
        var scope: String
        var decision: String
        var observed: String?
        var limit: String?
        var detail: String

        init(_ event: AuditEvent, detail: String) {
            timeNanoseconds = event.time.nanosecondsSinceEpoch
            rule = event.rule
            kind = event.kind.rawValue
            action = event.action
            scope = event.scopeJSON
            decision = event.decision
            observed = event.observed
            limit = event.limit
            self.detail = detail
        }
    }

    struct Link {
        var seq: Int64
        var prevHash: String
        var hash: String
    }

    /// Numbers and hashes `rows` as the continuation of the chain at `start`.
    static func chain(_ rows: [PreparedRow], after start: Head) -> (links: [Link], head: Head) {
        var links: [Link] = []
        links.reserveCapacity(rows.count)
        var previous = start
        // The head hash is always one this type wrote (or genesis): valid hex.
        var previousBytes = AuditChain.bytes(ofHex: start.hash)
        for row in rows {
            let seq = previous.seq + 1
            let canonical = AuditChain.canonicalRow(seq: seq, timeNanoseconds: row.timeNanoseconds, rule: row.rule, kind: row.kind,
                                                    action: row.action, scope: row.scope, decision: row.decision,
                                                    observed: row.observed, limit: row.limit, detail: row.detail)
            let hash: String
            if let bytes = previousBytes {
                (previousBytes, hash) = AuditChain.digest(previous: bytes, canonicalRow: canonical)
            } else {
                hash = AuditChain.genesisHash
                previousBytes = [UInt8](repeating: 0, count: 32)
            }
            links.append(Link(seq: seq, prevHash: previous.hash, hash: hash))
            previous = Head(seq: seq, hash: hash)
        }
        return (links, previous)
    }
}
