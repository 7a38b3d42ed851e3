import GRDB
import WardenCore

extension AuditLog {
    /// Deletes the oldest rows, those with `time < cutoff`, and records where pruning stopped so
    /// the rest of the chain still verifies. Returns the number of rows deleted.
    ///
    /// The chain is a sequence, so only a prefix can go: pruning stops at the first row (in `seq`
    /// order) that is not older than `cutoff`, even if later rows are. It works in batches of
    /// `batchSize` rows, one transaction each (so a large backlog never holds the write lock for
    /// long), and each batch first verifies the rows it is about to delete: pruning refuses to
    /// destroy the evidence of tampering, and throws naming the problem instead.
    @discardableResult
    public func prune(before cutoff: Timestamp, batchSize: Int = 10_000) throws(StoreError) -> Int {
        var total = 0
        while true {
            let (deleted, more) = try pruneBatch(before: cutoff, batchSize: max(1, batchSize))
            total += deleted
            if !more { return total }
        }
    }

    private func pruneBatch(before cutoff: Timestamp, batchSize: Int) throws(StoreError) -> (deleted: Int, more: Bool) {
        do {
            return try store.pool.writeWithoutTransaction { db in
                var result = (deleted: 0, more: false)
                try db.inTransaction(.immediate) {
                    let anchor = try AuditAnchor.read(db)
                    var walker = AuditChainWalker(anchor: anchor)
                    let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditChainRow.columns) FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?",
                                                   arguments: [anchor.prunedSeq, batchSize])
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
                    result.deleted = db.changesCount
                    try db.execute(sql: "UPDATE audit_anchor SET pruned_seq = ?, pruned_hash = ? WHERE id = 1",
                                   arguments: [walker.lastSeq, walker.lastHash])
                    result.more = !reachedCutoff && visited == batchSize
                    return .commit
                }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.write, "pruning the audit log failed: \(error)")
        }
    }
}
