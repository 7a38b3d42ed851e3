import GRDB
import Synchronization
import WardenCore
import WardenFormats

/// The audit log: an append-only, hash-chained table of governance events in the same SQLite
/// file as the usage log (see ``AuditChain`` for the hashing and ``AuditSchema`` for the tables).
///
/// Every row it appends is keyed with ``key`` (version 2), and so is the anchor's seal: someone
/// who can write the database but not read the key cannot rewrite rows or the anchor unseen.
/// ``publication`` logs the chain's head every so many rows, so even a truncation with an older
/// anchor put back shows against a head published off the host.
///
/// Appends come from the rule engine on its own path, not through the ``UsageWriter``: both
/// write through the same `DatabasePool`, whose single writer connection serializes them.
/// Appends (and prunes) through one `AuditLog` are serialized by its lock, which also guards the
/// cached anchor (the newest row's seq and hash, the pruning point, the seal), so an append reads
/// nothing before it writes. The cache is checked, not trusted: the append moves the head in
/// `audit_anchor` only if it still holds the cached value, and otherwise rereads the anchor in
/// the same transaction and checks its seal (a second `AuditLog` on the same file, or a prune by
/// another instance, cannot fork the chain; an anchor rewritten behind TokenWarden's back is
/// refused rather than sealed again).
///
/// With an ``outbox``, every appended row is also queued for the notification receivers that
/// take its action, in the same transaction (see ``NotificationOutbox``), with its `seq` as id.
public final class AuditLog: Sendable {
    let store: UsageStore
    let key: AuditKey
    public let outbox: NotificationOutbox?
    let publication: AuditHeadPublication?
    /// Guards appends and prunes, and holds the anchor as the last of them left it.
    let cachedAnchor = Mutex<AuditAnchor?>(nil)
    /// The head's seq for `/metrics`, readable without waiting for an append's transaction.
    private let headSequence = Atomic<Int64>(0)

    public init(store: UsageStore, key: AuditKey, outbox: NotificationOutbox? = nil, publication: AuditHeadPublication? = nil) {
        self.store = store
        self.key = key
        self.outbox = outbox
        self.publication = publication
    }

    /// The sequence number of the newest row (as of the last append, prune or ``open()``).
    public var headSeq: Int64 { headSequence.load(ordering: .relaxed) }

    /// Checks that ``key`` is this log's key and seals the anchor if no keyed TokenWarden has
    /// opened the log before (from then on every row must be keyed); publishes the head.
    ///
    /// Throws an error with ``StoreError/isKeyProblem`` when the key verifies neither the seal
    /// nor any keyed row (not this log's key), and a corruption error when the key verifies keyed
    /// rows but not the anchor (the anchor was rewritten: appends are refused until it is
    /// restored).
    @discardableResult
    public func open() throws(StoreError) -> AuditHead {
        let store = self.store
        let key = self.key
        let head = try cachedAnchor.withLock { (cached: inout AuditAnchor?) throws(StoreError) -> AuditHead in
            cached = nil
            do {
                let opened = try store.pool.writeWithoutTransaction { db -> AuditAnchor in
                    var opened: AuditAnchor?
                    try db.inTransaction(.immediate) {
                        let stored = try AuditAnchor.read(db)
                        let sealBroken = stored.seal != nil && !stored.isSealed(by: key)
                        let sealRemoved = stored.seal == nil ? try Self.hasKeyedRows(db) : false
                        if sealBroken || sealRemoved {
                            // The newest keyed rows tell a wrong key from a rewritten anchor.
                            guard try Self.someKeyedRowVerifies(db, key: key, newest: 1000) else {
                                throw StoreError(.key, "the audit key does not match this database's audit log: neither the "
                                    + "audit_anchor's seal nor any keyed row verifies with it; start with the key file the log was "
                                    + "written with (audit.key_file)")
                            }
                            throw StoreError(.corrupt, sealBroken
                                ? "the audit_anchor was altered behind TokenWarden's back: its seal does not verify with the audit key "
                                    + "that the keyed rows verify with; audit rows cannot be appended until it is restored; run "
                                    + "`tokenwarden audit verify`"
                                : "the audit_anchor's seal was removed although the log has keyed rows; audit rows cannot be "
                                    + "appended until it is restored; run `tokenwarden audit verify`")
                        }
                        let checked = try Self.checkedAnchor(db, key: key)
                        if checked != stored { try checked.write(db) }
                        opened = checked
                        return .commit
                    }
                    return opened!
                }
                cached = opened
                return opened.head
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.read, "opening the audit log in \(store.path) failed: \(error)")
            }
        }
        headSequence.store(head.seq, ordering: .relaxed)
        publication?.publish(head, reason: "start")
        return head
    }

    /// The head as the anchor records it.
    public func currentHead() throws(StoreError) -> AuditHead {
        if let head = cachedAnchor.withLock({ $0?.head }) { return head }
        do {
            return try store.pool.read { db in try AuditAnchor.read(db).head }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the audit log's head failed: \(error)")
        }
    }

    /// Logs the head now (at shutdown), whatever the row count.
    public func publishHead(reason: String) {
        guard let publication, let head = try? currentHead() else { return }
        publication.publish(head, reason: reason)
    }

    /// Whether the log in `store` is keyed already (its anchor sealed, or keyed rows in it): then
    /// only its own key may write to it, and a missing key file is an error rather than a new key.
    public static func isKeyed(_ store: UsageStore) throws(StoreError) -> Bool {
        do {
            return try store.pool.read { db in
                try AuditAnchor.read(db).seal != nil || hasKeyedRows(db)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the audit log in \(store.path) failed: \(error)")
        }
    }

    /// Appends `events` in one transaction and returns their sequence numbers, in order.
    ///
    /// Each event's `detail` is written in its canonical JSON (``AuditDetail/canonicalJSON``),
    /// the text the chain hashes.
    @discardableResult
    public func append(_ events: [AuditEvent]) throws(StoreError) -> [Int64] {
        if events.isEmpty { return [] }
        let prepared = events.map { PreparedRow($0, detail: $0.detail.canonicalJSON) }
        do {
            return try appendInTransaction { _ in (events, prepared, ()) }.sequence
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.write, "appending to the audit log in \(store.path) failed: \(error)")
        }
    }

    /// Runs `produce` in a write transaction and appends the rows it returns in the same one:
    /// a change and the audit rows that record it commit together or not at all. `produce` may
    /// throw to roll back; its error comes out unchanged (database errors as ``StoreError``).
    func appendInTransaction<T: Sendable>(
        _ produce: (Database) throws -> (events: [AuditEvent], prepared: [PreparedRow], value: T)
    ) throws -> (sequence: [Int64], value: T) {
        let store = self.store
        let outbox = self.outbox
        let key = self.key
        let (sequence, moved, value) = try cachedAnchor.withLock { (cached: inout AuditAnchor?) throws -> ([Int64], HeadMove?, T) in
            do {
                var written = (anchor: cached, sequence: [Int64](), from: Int64(0), moved: false)
                var produced: T?
                var dropped: [String: Int] = [:]
                try store.pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        let (events, prepared, value) = try produce(db)
                        produced = value
                        guard !prepared.isEmpty else { return .commit }
                        var start = try cached ?? Self.checkedAnchor(db, key: key)
                        var rows = Self.chain(prepared, after: start.head, key: key)
                        var next = Self.anchor(start, movedTo: rows.head, key: key)
                        try db.execute(sql: """
                            UPDATE audit_anchor SET pruned_seq = ?, pruned_hash = ?, head_seq = ?, head_hash = ?, keyed_from = ?, seal = ?
                            WHERE id = 1 AND head_seq = ? AND head_hash = ?
                            """, arguments: [next.prunedSeq, next.prunedHash, next.headSeq, next.headHash, next.keyedFrom, next.seal,
                                             start.headSeq, start.headHash])
                        if db.changesCount == 0 {
                            start = try Self.checkedAnchor(db, key: key)
                            rows = Self.chain(prepared, after: start.head, key: key)
                            next = Self.anchor(start, movedTo: rows.head, key: key)
                            try next.write(db)
                        }
                        try Self.insert(prepared, rows.links, db, after: start.headSeq)
                        // Bodies only for the rows a receiver takes: without receivers (the default) an
                        // expiry storm's rows would each render one for nothing.
                        if let outbox, !outbox.routes.isEmpty {
                            let notifications = events.indices.filter { outbox.takes(events[$0].action) }.map { index in
                                let event = events[index]
                                let id = rows.links[index].seq
                                return (id: id, action: event.action,
                                        body: String(decoding: NotificationEvent(id: id, event: event).body, as: UTF8.self))
                            }
                            dropped = try outbox.enqueue(db, rows: notifications)
                        }
                        written = (next, rows.links.map(\.seq), start.headSeq, true)
                        return .commit
                    }
                }
                cached = written.anchor
                outbox?.countDrops(dropped)
                let move = written.moved ? HeadMove(from: written.from, to: written.anchor!.head) : nil
                return (written.sequence, move, produced!)
            } catch {
                cached = nil
                throw error
            }
        }
        if let moved { headMoved(moved) }
        return (sequence, value)
    }

    /// Forgets the cached anchor (after a prune or a repair by another instance, for tests).
    func resetCachedHead() { cachedAnchor.withLock { $0 = nil } }

    struct HeadMove {
        var from: Int64
        var to: AuditHead
    }

    /// After a commit: the gauge, and the head's publication when the chain passed a multiple
    /// of its interval.
    func headMoved(_ move: HeadMove) {
        headSequence.store(move.to.seq, ordering: .relaxed)
        if let publication, publication.isDue(from: move.from, to: move.to.seq) {
            publication.publish(move.to, reason: "every \(publication.every) rows")
        }
    }

    /// The stored anchor, checked before anything is chained onto it: its seal must verify
    /// (else the anchor was rewritten without the key, and sealing what follows would launder
    /// that). An anchor never sealed is sealed now, with every row from the next one on keyed,
    /// unless the log already has keyed rows (then its seal was removed).
    static func checkedAnchor(_ db: Database, key: AuditKey) throws -> AuditAnchor {
        var anchor = try AuditAnchor.read(db)
        if anchor.seal != nil {
            guard anchor.isSealed(by: key) else {
                throw StoreError(.corrupt, "the audit_anchor does not match its seal: it was altered behind TokenWarden's back (or the "
                    + "audit key is not the one the log was written with); not appending; run `tokenwarden audit verify`")
            }
            return anchor
        }
        if try hasKeyedRows(db) {
            throw StoreError(.corrupt, "the audit_anchor's seal was removed although the log has keyed rows; not appending; run "
                + "`tokenwarden audit verify`")
        }
        anchor.keyedFrom = anchor.headSeq + 1
        return anchor.resealed(key)
    }

    static func anchor(_ start: AuditAnchor, movedTo head: AuditHead, key: AuditKey) -> AuditAnchor {
        var next = start
        next.head = head
        return next.resealed(key)
    }

    static func hasKeyedRows(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit_event WHERE version = ?)",
                          arguments: [AuditRowVersion.v2.rawValue]) ?? false
    }

    /// Whether any of the `newest` (all when nil) keyed rows has the hash `key` gives its content
    /// and `prev_hash`: with the right key nearly all do, with a wrong one none does.
    static func someKeyedRowVerifies(_ db: Database, key: AuditKey, newest: Int? = nil) throws -> Bool {
        var sql = "SELECT \(AuditChainRow.columns) FROM audit_event WHERE version = ? ORDER BY seq DESC"
        if let newest { sql += " LIMIT \(newest)" }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [AuditRowVersion.v2.rawValue])
        while let stored = try rows.next() {
            let row = AuditChainRow(stored)
            if let hash = row.hash, row.computedHash(key: key) == hash { return true }
        }
        return false
    }

    /// Inserts chained rows; `start` is the seq they follow, for the message when one is taken.
    static func insert(_ prepared: [PreparedRow], _ links: [Link], _ db: Database, after start: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO audit_event(seq, time_ns, rule, kind, action, scope, decision, observed, limit_value,
                                    detail, prev_hash, hash, version, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let version = AuditChain.currentVersion.rawValue
        for (index, row) in prepared.enumerated() {
            let link = links[index]
            insert.setUncheckedArguments([link.seq, row.timeNanoseconds, row.rule, row.kind, row.action, row.scope,
                                          row.decision, row.observed, row.limit, row.detail, link.prevHash, link.hash, version,
                                          row.actor])
            do { try insert.execute() } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.corrupt, "audit_event already has a row \(link.seq) although the chain's head is row "
                    + "\(start): a row was inserted behind TokenWarden's back; run `tokenwarden audit verify`")
            }
        }
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
        var actor: String?

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
            actor = event.actor
        }
    }

    struct Link {
        var seq: Int64
        var prevHash: String
        var hash: String
    }

    /// Numbers and hashes `rows` (as keyed rows) as the continuation of the chain at `start`.
    static func chain(_ rows: [PreparedRow], after start: AuditHead, key: AuditKey) -> (links: [Link], head: AuditHead) {
        var links: [Link] = []
        links.reserveCapacity(rows.count)
        var previous = start
        // The head hash is always one this type wrote (or genesis, or one a sealed anchor
        // vouches for): valid hex.
        var previousBytes = AuditChain.bytes(ofHex: start.hash) ?? [UInt8](repeating: 0, count: 32)
        for row in rows {
            let seq = previous.seq + 1
            let canonical = AuditChain.canonicalRow(version: .v2, seq: seq, timeNanoseconds: row.timeNanoseconds, rule: row.rule,
                                                    kind: row.kind, action: row.action, scope: row.scope, decision: row.decision,
                                                    observed: row.observed, limit: row.limit, detail: row.detail, actor: row.actor)
            // A copy of the keyed state: the key's pads are not hashed again for every row.
            var authenticator = key.authenticator
            let hash: String
            (previousBytes, hash) = AuditChain.keyedDigest(previous: previousBytes, canonicalRow: canonical, authenticator: &authenticator)
            links.append(Link(seq: seq, prevHash: previous.hash, hash: hash))
            previous = AuditHead(seq: seq, hash: hash)
        }
        return (links, previous)
    }
}
