import GRDB
import WardenCore

/// One `audit_event` row as stored, with each column's value checked to have the storage class
/// the schema gives it (a tampered column holding a blob or a number is an alteration too).
struct AuditChainRow {
    static let columns = "seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash, version, actor"

    var seq: Int64
    /// `nil` when the `version` column holds no known format.
    var version: AuditRowVersion?
    /// `nil` when some column no longer has its schema type.
    var canonical: [UInt8]?
    var prevHash: String?
    var hash: String?
    /// For a `pruned` row: the last row that pruning removed, as its detail records it.
    var prunedThrough: AuditHead?

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
        version = integer(12).flatMap(AuditRowVersion.init(rawValue:))
        if let version, let seq = integer(0), let time = integer(1), let rule = text(2), let kind = text(3), let action = text(4),
           let scope = text(5), let decision = text(6), let observed = optionalText(7), let limit = optionalText(8),
           let detail = text(9), let actor = optionalText(13),
           // A version 1 row has no actor: one there was not hashed, so it was added afterwards.
           version == .v2 || actor == nil {
            canonical = AuditChain.canonicalRow(version: version, seq: seq, timeNanoseconds: time, rule: rule, kind: kind,
                                                action: action, scope: scope, decision: decision, observed: observed,
                                                limit: limit, detail: detail, actor: actor)
            if kind == AuditKind.audit.rawValue && action == AuditAction.pruned {
                prunedThrough = AuditPruning.through(detail: detail)
            }
        }
    }

    /// The hash this row's content and `prev_hash` give (`key` for version 2 rows); `nil` when
    /// it cannot be computed: a mistyped column, a malformed `prev_hash`, or a keyed row and no key.
    func computedHash(key: AuditKey?) -> String? {
        guard let canonical, let prevHash, let version else { return nil }
        switch version {
        case .v1: return AuditChain.hash(previousHash: prevHash, canonicalRow: canonical)
        case .v2: return key.flatMap { AuditChain.keyedHash(previousHash: prevHash, canonicalRow: canonical, key: $0) }
        }
    }
}

/// Checks rows one at a time, in `seq` order, from the pruning anchor; keeps only the previous
/// row's seq and hash (and the last pruning seen), so a walk over millions of rows runs in
/// constant memory.
///
/// With a key, the anchor's values are trusted only when its seal verifies (``anchorIsSealed``);
/// an anchor whose seal does not verify is reported by ``finish()`` unless a row shows a more
/// precise problem first.
struct AuditChainWalker {
    let anchor: AuditAnchor
    let key: AuditKey?
    /// A head published outside the database, which the chain must still hold.
    let expectedHead: AuditHead?
    /// The anchor's seal verifies with `key`, so its values (`keyed_from` above all) are what
    /// TokenWarden wrote.
    let anchorIsSealed: Bool
    private(set) var lastSeq: Int64
    private(set) var lastHash: String
    private(set) var rowsVerified = 0
    private(set) var keyedRows = 0
    private var firstKeyedSeq: Int64?
    /// The newest `pruned` row: its seq, and the last row it says was removed.
    private var lastPruning: (seq: Int64, through: AuditHead)?

    init(anchor: AuditAnchor, key: AuditKey?, expectedHead: AuditHead? = nil) {
        self.anchor = anchor
        self.key = key
        self.expectedHead = expectedHead
        anchorIsSealed = key.map(anchor.isSealed(by:)) ?? false
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
        guard let version = row.version else {
            return AuditProblem(kind: .altered, seq: seq, message: "row \(seq) was altered: its version is not a known row format")
        }
        if version == .v1 {
            if let firstKeyedSeq {
                return AuditProblem(kind: .downgraded, seq: seq, message: "row \(seq) was rewritten: it is an unkeyed (version 1) row "
                    + "after keyed row \(firstKeyedSeq), and TokenWarden writes only keyed rows once it has a key")
            }
            if anchorIsSealed, let keyedFrom = anchor.keyedFrom, seq >= keyedFrom {
                return AuditProblem(kind: .downgraded, seq: seq, message: "row \(seq) was rewritten: it is an unkeyed (version 1) row, "
                    + "but every row from row \(keyedFrom) on was written keyed")
            }
        } else if key == nil {
            return AuditProblem(kind: .altered, seq: seq, message: "row \(seq) is keyed (version 2) and cannot be checked without the audit key")
        }
        guard let prevHash = row.prevHash, let hash = row.hash, let computed = row.computedHash(key: key), computed == hash else {
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
        if let expectedHead, expectedHead.seq == seq, expectedHead.hash != hash {
            return AuditProblem(kind: .altered, seq: seq, message: "row \(seq) was rewritten: its hash is not the published head "
                + "\(expectedHead), so the chain up to row \(seq) is not the one that was published")
        }
        if version == .v2 {
            keyedRows += 1
            if firstKeyedSeq == nil { firstKeyedSeq = seq }
            // Only a keyed row can record a pruning: nobody without the key can forge one.
            if let through = row.prunedThrough { lastPruning = (seq, through) }
        }
        lastSeq = seq
        lastHash = hash
        rowsVerified += 1
        return nil
    }

    /// After the last row: checks that the chain reaches the head recorded at append time and
    /// any published head, that the pruning point is one a recorded pruning set, and the
    /// anchor's seal.
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
        if let expectedHead {
            if expectedHead.seq > lastSeq {
                let first = lastSeq + 1
                let range = expectedHead.seq == first ? "row \(first) is" : "rows \(first)–\(expectedHead.seq) are"
                return AuditProblem(kind: .truncated, seq: first, message: "row \(first) is missing: the log was truncated, \(range) "
                    + "gone (row \(expectedHead.seq) was published as the head, the log now ends at row \(lastSeq) and its "
                    + "audit_anchor was rewritten to match)")
            }
            if expectedHead.seq == anchor.prunedSeq && expectedHead.seq > 0 && expectedHead.hash != anchor.prunedHash {
                return AuditProblem(kind: .altered, seq: expectedHead.seq, message: "row \(expectedHead.seq) was rewritten: the hash "
                    + "recorded for it at pruning is not the published head \(expectedHead)")
            }
        }
        if key != nil && anchor.seal == nil {
            return AuditProblem(kind: .anchorAltered, seq: anchor.headSeq, message: "the audit_anchor has no seal although a key "
                + "was given: TokenWarden seals it the first time it opens the log with a key, so either no keyed TokenWarden "
                + "ever wrote this database (verify it without a key) or the seal was removed, with the keyed rows rewritten as "
                + "unkeyed ones")
        }
        // Rows written keyed that are all unkeyed now were relabelled, whatever the key: a wrong
        // key fails keyed rows, it does not make them unkeyed.
        if key != nil, keyedRows == 0, let keyedFrom = anchor.keyedFrom, keyedFrom > anchor.prunedSeq, keyedFrom <= lastSeq {
            return AuditProblem(kind: .downgraded, seq: keyedFrom, message: "row \(keyedFrom) was rewritten: every row from row "
                + "\(keyedFrom) on was written keyed, but none of them is keyed any more (they were rewritten as unkeyed rows)")
        }
        if let problem = pruningProblem() { return problem }
        if key != nil && !anchorIsSealed {
            return AuditProblem(kind: .anchorAltered, seq: anchor.headSeq, message: "the audit_anchor was altered: its seal does "
                + "not match the head (row \(anchor.headSeq)) and pruning point (row \(anchor.prunedSeq)) it records, so the "
                + "newest rows may have been removed; check against a published head with --expect-head")
        }
        return nil
    }

    /// Rows before the pruning point are gone; only a pruning the chain records may have
    /// removed them (or, for a log older than its key, a pruning from before the key).
    private func pruningProblem() -> AuditProblem? {
        let point = AuditHead(seq: anchor.prunedSeq, hash: anchor.prunedHash)
        if let lastPruning {
            guard lastPruning.through != point else { return nil }
            if point.seq > lastPruning.through.seq {
                return AuditProblem(kind: .unrecordedPruning, seq: lastPruning.through.seq + 1, message: "rows "
                    + "\(lastPruning.through.seq + 1)–\(point.seq) were deleted, not pruned: the audit_anchor puts the pruning point "
                    + "at row \(point.seq), but the last pruning the chain records (row \(lastPruning.seq)) went up to row "
                    + "\(lastPruning.through.seq)")
            }
            return AuditProblem(kind: .unrecordedPruning, seq: point.seq + 1, message: "the audit_anchor's pruning point (row "
                + "\(point.seq)) is not the one the last pruning the chain records (row \(lastPruning.seq)) set: row "
                + "\(lastPruning.through.seq) with hash \(lastPruning.through.hash)")
        }
        guard point.seq > 0, key != nil else { return nil }
        // Without a recorded pruning only one made before the key existed can explain the gap,
        // and only a sealed anchor can say when the key came.
        if anchorIsSealed, let keyedFrom = anchor.keyedFrom, point.seq < keyedFrom { return nil }
        return AuditProblem(kind: .unrecordedPruning, seq: 1, message: "rows up to row \(point.seq) were deleted, not pruned: "
            + "the audit_anchor puts the pruning point at row \(point.seq), but the chain records no pruning (no `pruned` row)")
    }
}
