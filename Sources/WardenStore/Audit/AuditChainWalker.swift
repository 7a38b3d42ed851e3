import GRDB

/// The anchor row: where pruning stopped and where the chain's head is.
struct AuditAnchor: Sendable, Equatable {
    var prunedSeq: Int64
    var prunedHash: String
    var headSeq: Int64
    var headHash: String

    static func read(_ db: Database) throws -> AuditAnchor {
        guard let row = try Row.fetchOne(db, sql: "SELECT pruned_seq, pruned_hash, head_seq, head_hash FROM audit_anchor WHERE id = 1") else {
            throw StoreError(.corrupt, "the audit_anchor row is missing: the audit log cannot be verified")
        }
        return AuditAnchor(prunedSeq: row[0], prunedHash: row[1], headSeq: row[2], headHash: row[3])
    }
}

/// One `audit_event` row as stored, with each column's value checked to have the storage class
/// the schema gives it (a tampered column holding a blob or a number is an alteration too).
struct AuditChainRow {
    static let columns = "seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash"

    var seq: Int64
    /// `nil` when some column no longer has its schema type.
    var canonical: [UInt8]?
    var prevHash: String?
    var hash: String?

    init(_ row: Row) {
        seq = row[0]
        func integer(_ index: Int) -> Int64? {
            if case .int64(let value) = (row[index] as DatabaseValue).storage { return value }
            return nil
        }
        func text(_ index: Int) -> String? {
            if case .string(let value) = (row[index] as DatabaseValue).storage { return value }
            return nil
        }
        func optionalText(_ index: Int) -> String?? {
            switch (row[index] as DatabaseValue).storage {
            case .null: return .some(nil)
            case .string(let value): return .some(value)
            default: return nil
            }
        }
        prevHash = text(10)
        hash = text(11)
        if let seq = integer(0), let time = integer(1), let rule = text(2), let kind = text(3), let action = text(4),
           let scope = text(5), let decision = text(6), let observed = optionalText(7), let limit = optionalText(8),
           let detail = text(9) {
            canonical = AuditChain.canonicalRow(seq: seq, timeNanoseconds: time, rule: rule, kind: kind, action: action,
                                                scope: scope, decision: decision, observed: observed, limit: limit, detail: detail)
        }
    }
}

/// Checks rows one at a time, in `seq` order, from the pruning anchor; keeps only the previous
/// row's seq and hash, so a walk over millions of rows runs in constant memory.
struct AuditChainWalker {
    let anchor: AuditAnchor
    private(set) var lastSeq: Int64
    private(set) var lastHash: String
    private(set) var rowsVerified = 0

    init(anchor: AuditAnchor) {
        self.anchor = anchor
        lastSeq = anchor.prunedSeq
        lastHash = anchor.prunedHash
    }

    /// Checks the next row; returns the first problem it shows, if any.
    mutating func visit(_ row: AuditChainRow) -> AuditProblem? {
        let seq = row.seq
        if seq <= anchor.prunedSeq {
            return AuditProblem(kind: .inserted, seq: seq, message: "row \(seq) was inserted: pruning already removed every row "
                + "up to row \(anchor.prunedSeq) (or the audit_anchor was altered)")
        }
        // A gap first: in seq order, the missing rows come before whatever follows them.
        if seq != lastSeq + 1 && lastSeq < anchor.headSeq {
            let first = lastSeq + 1
            let last = min(seq - 1, anchor.headSeq)
            let range = last == first ? "row \(first) was" : "rows \(first)–\(last) were"
            return AuditProblem(kind: seq > anchor.headSeq ? .truncated : .missing, seq: first,
                                message: "row \(first) is missing: \(range) removed (the next row present is row \(seq))")
        }
        if seq > anchor.headSeq {
            return AuditProblem(kind: .inserted, seq: seq, message: "row \(seq) was inserted: the last row appended is row \(anchor.headSeq)")
        }
        guard let canonical = row.canonical, let prevHash = row.prevHash, let hash = row.hash,
              let computed = AuditChain.hash(previousHash: prevHash, canonicalRow: canonical), computed == hash else {
            return AuditProblem(kind: .altered, seq: seq, message: "row \(seq) was altered: its hash does not match its content")
        }
        if prevHash != lastHash {
            if lastSeq == anchor.prunedSeq {
                let what = lastSeq == 0 ? "the chain's start (genesis)" : "the hash recorded for pruned row \(lastSeq)"
                return AuditProblem(kind: .altered, seq: seq, message: "row \(seq) was altered or replaced: its prev_hash "
                    + "does not match \(what)")
            }
            return AuditProblem(kind: .altered, seq: lastSeq, message: "row \(lastSeq) was altered (or row \(seq) replaced): "
                + "row \(seq)'s prev_hash does not match row \(lastSeq)'s hash")
        }
        lastSeq = seq
        lastHash = hash
        rowsVerified += 1
        return nil
    }

    /// After the last row: checks that the chain reaches the head recorded at append time.
    func finish() -> AuditProblem? {
        if lastSeq < anchor.headSeq {
            let first = lastSeq + 1
            let range = anchor.headSeq == first ? "row \(first) is" : "rows \(first)–\(anchor.headSeq) are"
            return AuditProblem(kind: .truncated, seq: first, message: "row \(first) is missing: the log was truncated, "
                + "\(range) gone (the last row appended is row \(anchor.headSeq), the last present is row \(lastSeq))")
        }
        if lastHash != anchor.headHash {
            return AuditProblem(kind: .altered, seq: lastSeq, message: "row \(lastSeq) was altered: its hash does not match "
                + "the head hash recorded when it was appended")
        }
        return nil
    }
}
