/// The first thing wrong with the audit chain, named by row.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A row's content (or its stored hash) no longer matches what was appended.
        case altered
        /// Rows are missing from the middle of the chain.
        case missing
        /// A row is present that ``AuditLog`` never appended.
        case inserted
        /// The newest rows are missing (the chain ends before the recorded or the published head).
        case truncated
        /// An unkeyed (version 1) row where only keyed rows can be: a keyed row rewritten without the key.
        case downgraded
        /// Old rows are gone without a pruning the chain records.
        case unrecordedPruning
        /// The anchor's seal does not verify, or is missing although a key was given.
        case anchorAltered
        /// The key verifies neither the anchor's seal nor any keyed row: it is not this log's key.
        case wrongKey
    }

    public let kind: Kind
    /// The row the problem is about: the altered row, the first missing one, the inserted one
    /// (the head row for a problem with the anchor or the key).
    public let seq: Int64
    /// A sentence for the operator, e.g. "row 17 was altered: its hash does not match its content".
    public let message: String

    public var description: String { message }
}

/// The outcome of ``AuditLog/verify(expectedHead:)``.
public struct AuditVerification: Sendable, Equatable {
    /// Rows whose hash and link were checked.
    public let rowsVerified: Int
    /// Of those, the keyed (version 2) rows.
    public let keyedRows: Int
    /// The first row the walk started from: one after the pruning anchor.
    public let firstSeq: Int64
    /// The published head the chain was checked against, if one was given.
    public let expectedHead: AuditHead?
    /// The first problem found, or `nil` when the chain is intact.
    public let problem: AuditProblem?

    public var isIntact: Bool { problem == nil }

    /// What `tokenwarden audit verify` prints.
    public var summary: String {
        if let problem { return "audit chain broken: \(problem.message)" }
        var text = "audit chain OK: \(rowsVerified) rows verified (from row \(firstSeq)), \(keyedRows) keyed"
        if let expectedHead {
            text += expectedHead.seq < firstSeq - 1
                ? "; the published head (row \(expectedHead.seq)) is before the pruning point"
                : "; row \(expectedHead.seq) has the published head hash"
        }
        return text
    }

    /// The exit status for `tokenwarden audit verify`: 0 when intact, 1 on a problem.
    public var exitStatus: Int32 { isIntact ? 0 : 1 }
}
