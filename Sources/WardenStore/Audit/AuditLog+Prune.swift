import GRDB
import WardenCore
import WardenFormats

extension AuditLog {
    /// Deletes the oldest rows, those with `time < cutoff`, records the pruning in the chain, and
    /// moves the anchor's pruning point so the rest of the chain still verifies. Returns the
    /// number of rows deleted.
    ///
    /// The chain is a sequence, so only a prefix can go: pruning stops at the first row (in `seq`
    /// order) that is not older than `cutoff`, even if later rows are, and it never removes rows
    /// appended after it began (its own records among them). It works in batches of `batchSize`
    /// rows, one transaction each (so a large backlog never holds the write lock for long). Each
    /// batch first verifies the rows it is about to delete — pruning refuses to destroy the
    /// evidence of tampering, and throws naming the problem instead — then appends a keyed row of
    /// kind `audit`, action `pruned`, dated `now`, whose detail names the last row removed
    /// (``AuditPruning``). Verification requires the anchor's pruning point to be the one the
    /// newest such row names, so deleting old rows without the key cannot pass for pruning.
    @discardableResult
    public func prune(before cutoff: Timestamp, at now: Timestamp, batchSize: Int = 10_000) throws(StoreError) -> Int {
        var total = 0
        var bound: Int64?
        while true {
            let (deleted, more) = try pruneBatch(before: cutoff, at: now, bound: &bound, batchSize: max(1, batchSize))
            total += deleted
            if !more { return total }
        }
    }

    /// `bound`: the head when the pruning began (set by the first batch); no later row is removed.
    private func pruneBatch(before cutoff: Timestamp, at now: Timestamp, bound: inout Int64?,
                            batchSize: Int) throws(StoreError) -> (deleted: Int, more: Bool) {
        let store = self.store
        let key = self.key
        var limit = bound
        let (result, move) = try cachedAnchor.withLock { (cached: inout AuditAnchor?) throws(StoreError) -> ((Int, Bool), HeadMove?) in
            do {
                var written: (deleted: Int, more: Bool, anchor: AuditAnchor?, from: Int64) = (0, false, nil, 0)
                try store.pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        // Read afresh: another instance may have pruned since this one cached the anchor.
                        var anchor = try Self.checkedAnchor(db, key: key)
                        let last = limit ?? anchor.headSeq
                        limit = last
                        var walker = AuditChainWalker(anchor: anchor, key: key)
                        let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditChainRow.columns) FROM audit_event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                                                       arguments: [anchor.prunedSeq, last, batchSize])
                        var visited = 0
                        var reachedCutoff = false
                        while let row = try rows.next() {
                            visited += 1
                            let time: Int64? = row[1]
                            if let time, time >= cutoff.nanosecondsSinceEpoch { reachedCutoff = true; break }
                            if let problem = walker.visit(AuditChainRow(row)) {
                                throw StoreError(.corrupt, "not pruning the audit log: \(problem.message); run `tokenwarden audit verify`")
                            }
                        }
                        guard walker.lastSeq > anchor.prunedSeq else { return .rollback }
                        try db.execute(sql: "DELETE FROM audit_event WHERE seq <= ?", arguments: [walker.lastSeq])
                        let deleted = db.changesCount
                        let through = AuditHead(seq: walker.lastSeq, hash: walker.lastHash)
                        anchor.prunedSeq = through.seq
                        anchor.prunedHash = through.hash
                        let record = AuditEvent(time: now, rule: "", kind: .audit, action: AuditAction.pruned,
                                                detail: AuditPruning.detail(through: through, rows: deleted, cutoff: cutoff))
                        let prepared = [PreparedRow(record, detail: record.detail.canonicalJSON)]
                        let chained = Self.chain(prepared, after: anchor.head, key: key)
                        let next = Self.anchor(anchor, movedTo: chained.head, key: key)
                        try next.write(db)
                        try Self.insert(prepared, chained.links, db, after: anchor.headSeq)
                        written = (deleted, !reachedCutoff && visited == batchSize, next, anchor.headSeq)
                        return .commit
                    }
                }
                // A batch with nothing to delete rolled back; the cache is still the anchor as it was.
                guard let next = written.anchor else { return ((0, false), nil) }
                cached = next
                return ((written.deleted, written.more), HeadMove(from: written.from, to: next.head))
            } catch {
                cached = nil
                if let error = error as? StoreError { throw error }
                throw StoreError(.write, "pruning the audit log failed: \(error)")
            }
        }
        bound = limit
        if let move { headMoved(move) }
        return result
    }
}

/// The detail of a `pruned` row, canonical (members sorted) as written:
///
/// ```
/// {"cutoff":"2024-01-01T00:00:00Z","rows":4,"through_hash":"…","through_seq":4}
/// ```
///
/// `through_seq` and `through_hash` are the last row removed and its hash: the pruning point the
/// anchor must hold afterwards. `rows` counts the rows the batch removed; `cutoff` is the
/// retention boundary it pruned before.
enum AuditPruning {
    static func detail(through: AuditHead, rows: Int, cutoff: Timestamp) -> AuditDetail {
        AuditDetail([("cutoff", .text(cutoff.rfc3339)), ("rows", .integer(Int64(rows))),
                     ("through_hash", .text(through.hash)), ("through_seq", .integer(through.seq))])
    }

    /// The pruning point a `pruned` row's detail names; `nil` when it names none.
    static func through(detail: String) -> AuditHead? {
        guard let document = try? JSONDocument(parsing: detail), let hash = document.root["through_hash"]?.string,
              let text = document.root["through_seq"]?.numberText, let seq = Int64(text) else { return nil }
        return AuditHead(seq: seq, hash: hash)
    }
}
