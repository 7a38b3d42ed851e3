import GRDB
import WardenCore
import WardenFormats

/// The anchor row: where pruning stopped, where the chain's head is, from which row on every
/// row is keyed, and the seal over all of it (see ``AuditSchema``).
struct AuditAnchor: Sendable, Equatable {
    var prunedSeq: Int64
    var prunedHash: String
    var headSeq: Int64
    var headHash: String
    /// The first row that must be keyed (version 2): the head at the time a TokenWarden holding
    /// the key first opened the log, plus one. `nil` until then.
    var keyedFrom: Int64?
    /// `hex(HMAC-SHA256(key, canonical anchor))`; `nil` until a keyed TokenWarden opened the log.
    var seal: String?

    var head: AuditHead {
        get { AuditHead(seq: headSeq, hash: headHash) }
        set { headSeq = newValue.seq; headHash = newValue.hash }
    }

    static func read(_ db: Database) throws -> AuditAnchor {
        guard let row = try Row.fetchOne(db, sql: "SELECT pruned_seq, pruned_hash, head_seq, head_hash, keyed_from, seal FROM audit_anchor WHERE id = 1") else {
            throw StoreError(.corrupt, "the audit_anchor row is missing: the audit log cannot be verified")
        }
        // Checked storage classes, not GRDB's conversions: a tampered column must be reported, not trap.
        func integer(_ index: Int) -> Int64? {
            if case .int64(let value) = (row[index] as DatabaseValue).storage { return value }
            return nil
        }
        func text(_ index: Int) -> String? {
            if case .string(let value) = (row[index] as DatabaseValue).storage { return value }
            return nil
        }
        func isNull(_ index: Int) -> Bool { (row[index] as DatabaseValue).isNull }
        guard let prunedSeq = integer(0), let prunedHash = text(1), let headSeq = integer(2), let headHash = text(3),
              integer(4) != nil || isNull(4), text(5) != nil || isNull(5) else {
            throw StoreError(.corrupt, "the audit_anchor row was altered: a column no longer has its type; run `tokenwarden audit verify`")
        }
        return AuditAnchor(prunedSeq: prunedSeq, prunedHash: prunedHash, headSeq: headSeq, headHash: headHash,
                           keyedFrom: integer(4), seal: text(5))
    }

    /// Writes every column (the caller's transaction has read or chained from this anchor).
    func write(_ db: Database) throws {
        try db.execute(sql: "UPDATE audit_anchor SET pruned_seq = ?, pruned_hash = ?, head_seq = ?, head_hash = ?, keyed_from = ?, seal = ? WHERE id = 1",
                       arguments: [prunedSeq, prunedHash, headSeq, headHash, keyedFrom, seal])
    }

    /// The bytes the seal covers: a JSON object with these members in this order,
    ///
    /// ```
    /// {"anchor":1,"pruned_seq":P,"pruned_hash":"…","head_seq":H,"head_hash":"…","keyed_from":K}
    /// ```
    ///
    /// (`keyed_from` is `null` when unset). No row's HMAC input can equal it: a row's canonical
    /// object starts at byte 32 with `{`, and this text has no `{` after its first byte.
    var canonical: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256)
        writer.beginObject()
        writer.key(literal: "anchor"); writer.integer(Int64(1))
        writer.key(literal: "pruned_seq"); writer.integer(prunedSeq)
        writer.key(literal: "pruned_hash"); writer.string(prunedHash)
        writer.key(literal: "head_seq"); writer.integer(headSeq)
        writer.key(literal: "head_hash"); writer.string(headHash)
        writer.key(literal: "keyed_from")
        if let keyedFrom { writer.integer(keyedFrom) } else { writer.null() }
        writer.endObject()
        return writer.bytes
    }

    /// The seal these values should carry under `key`.
    func expectedSeal(_ key: AuditKey) -> String { key.seal(canonical) }

    /// Whether the stored seal is the one `key` gives these values.
    func isSealed(by key: AuditKey) -> Bool { seal == expectedSeal(key) }

    /// The anchor with its seal recomputed (after the caller changed its values).
    func resealed(_ key: AuditKey) -> AuditAnchor {
        var anchor = self
        anchor.seal = anchor.expectedSeal(key)
        return anchor
    }
}
