import Foundation
import Logging
import GRDB
import WardenCore

extension AuditLog {
    /// Walks the whole chain from the pruning anchor, in `seq` order, recomputing every hash, and
    /// reports the first problem: an altered row, a missing row (deleted from the middle), an
    /// inserted row, or a truncated tail (detected against the head recorded by every append).
    ///
    /// Streams the rows through a cursor inside one read transaction: constant memory, a
    /// consistent snapshot, and appends are not blocked (WAL).
    public func verify() throws(StoreError) -> AuditVerification {
        do {
            return try store.pool.read { db in
                let anchor = try AuditAnchor.read(db)
                var walker = AuditChainWalker(anchor: anchor)
                let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditChainRow.columns) FROM audit_event ORDER BY seq")
                while let row = try rows.next() {
                    if let problem = walker.visit(AuditChainRow(row)) {
                        return AuditVerification(rowsVerified: walker.rowsVerified, firstSeq: anchor.prunedSeq + 1, problem: problem)
                    }
                }
                return AuditVerification(rowsVerified: walker.rowsVerified, firstSeq: anchor.prunedSeq + 1, problem: walker.finish())
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the audit log for verification failed: \(error)")
        }
    }

    /// Opens the database at `path` (which must exist) and verifies its audit chain: what
    /// `tokenwarden audit verify --data FILE` prints and its exit status.
    public static func verifyDatabase(at path: String, logger: Logger) -> (message: String, exitStatus: Int32) {
        guard FileManager.default.fileExists(atPath: path) else {
            return ("no database at \(path) (pass --data with the file serve writes to)", 2)
        }
        do {
            let store = try UsageStore(path: path, logger: logger)
            defer { store.close() }
            let verification = try AuditLog(store: store).verify()
            return (verification.summary, verification.exitStatus)
        } catch {
            return ("cannot verify the audit log: \(error.message)", 2)
        }
    }
}
