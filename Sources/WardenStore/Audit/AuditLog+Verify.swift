import Foundation
import Logging
import GRDB
import WardenCore

extension AuditLog {
    /// Walks the whole chain from the pruning anchor with this log's key (see
    /// ``verify(_:key:expectedHead:)``).
    public func verify(expectedHead: AuditHead? = nil) throws(StoreError) -> AuditVerification {
        try Self.verify(store, key: key, expectedHead: expectedHead)
    }

    /// Walks the whole chain from the pruning anchor, in `seq` order, recomputing every hash
    /// (keyed rows with `key`), and reports the first problem: an altered row, a missing row
    /// (deleted from the middle), an inserted row, an unkeyed row where only keyed rows can be,
    /// a truncated tail (against the head recorded by every append, and against `expectedHead`,
    /// a head published outside the database), rows deleted without a recorded pruning, an
    /// anchor whose seal does not verify — or a key that is not this log's.
    ///
    /// Without a key only a log that was never keyed can be verified; a keyed one throws (an
    /// error with ``StoreError/isKeyProblem``).
    ///
    /// Streams the rows through a cursor inside one read transaction: constant memory, a
    /// consistent snapshot, and appends are not blocked (WAL).
    public static func verify(_ store: UsageStore, key: AuditKey?, expectedHead: AuditHead? = nil) throws(StoreError) -> AuditVerification {
        do {
            return try store.pool.read { db in
                let anchor = try AuditAnchor.read(db)
                if key == nil, anchor.seal != nil {
                    throw StoreError(.key, "the audit log is keyed: verifying it needs its audit key")
                }
                if key == nil, try hasKeyedRows(db) {
                    throw StoreError(.key, "the audit log is keyed: verifying it needs its audit key")
                }
                var walker = AuditChainWalker(anchor: anchor, key: key, expectedHead: expectedHead)
                var problem: AuditProblem?
                let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditChainRow.columns) FROM audit_event ORDER BY seq")
                while let row = try rows.next() {
                    problem = walker.visit(AuditChainRow(row))
                    if problem != nil { break }
                }
                if problem == nil { problem = walker.finish() }
                if let found = problem, let key, !walker.anchorIsSealed, found.kind == .altered || found.kind == .anchorAltered {
                    problem = try keyMismatch(db, key: key, anchor: anchor) ?? found
                }
                return AuditVerification(rowsVerified: walker.rowsVerified, keyedRows: walker.keyedRows, firstSeq: anchor.prunedSeq + 1,
                                         expectedHead: expectedHead, problem: problem)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the audit log for verification failed: \(error)")
        }
    }

    /// A wrong key makes every keyed row and the seal look altered; say so instead of naming
    /// the first keyed row. `nil` when some keyed row verifies (the key is right).
    private static func keyMismatch(_ db: Database, key: AuditKey, anchor: AuditAnchor) throws -> AuditProblem? {
        let keyedRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE version = ?",
                                         arguments: [AuditRowVersion.v2.rawValue]) ?? 0
        if keyedRows == 0 {
            guard anchor.seal != nil else { return nil }
            return AuditProblem(kind: .wrongKey, seq: anchor.headSeq, message: "the key does not match the audit_anchor's seal: it is "
                + "not the key this log was written with, or the anchor was altered (the log has no keyed rows to tell which)")
        }
        if try someKeyedRowVerifies(db, key: key) { return nil }
        let rows = keyedRows == 1 ? "its one keyed row" : "any of its \(keyedRows) keyed rows"
        return AuditProblem(kind: .wrongKey, seq: anchor.headSeq, message: "the key does not match: neither the audit_anchor's seal "
            + "nor \(rows) verifies with it; pass the key file this log was written with (or every keyed row was rewritten)")
    }

    /// Opens the database at `path` (which must exist) and verifies its audit chain: what
    /// `tokenwarden audit verify` prints and its exit status (0 intact, 1 broken or not this
    /// log's key, 2 when the database or the key cannot be read).
    ///
    /// `keyPath` is read when the file exists; when it does not, a missing key is an error only
    /// if `keyRequired` (the user named the file) or the log turns out to be keyed.
    public static func verifyDatabase(at path: String, keyPath: String, keyRequired: Bool, expectedHead: AuditHead? = nil,
                                      logger: Logger) -> (message: String, exitStatus: Int32) {
        guard FileManager.default.fileExists(atPath: path) else {
            return ("no database at \(path) (pass --data with the file serve writes to)", 2)
        }
        var key: AuditKey?
        if keyRequired || FileManager.default.fileExists(atPath: keyPath) {
            do {
                key = try AuditKey.load(path: keyPath, checkPermissions: false)
            } catch {
                return ("cannot verify the audit log: \(error)", 2)
            }
        }
        do {
            let store = try UsageStore(path: path, logger: logger)
            defer { store.close() }
            let verification = try verify(store, key: key, expectedHead: expectedHead)
            return (verification.summary, verification.exitStatus)
        } catch where error.isKeyProblem {
            return ("cannot verify the audit log: \(error.message); pass --key with its key file (there is none at \(keyPath))", 2)
        } catch {
            return ("cannot verify the audit log: \(error.message)", 2)
        }
    }
}
