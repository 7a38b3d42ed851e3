/// The first thing wrong with the audit chain, named by row.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A row's content (or its stored hash) no longer matches what was appended.
        case altered
        /// Rows are missing from the middle of the chain.
        case missing
        /// A row is present that ``AuditLog`` never appended.
        case inserted
        /// The newest rows are missing (the chain ends before the recorded head).
        case truncated
    }

    public let kind: Kind
    /// The row the problem is about: the altered row, the first missing one, the inserted one.
    public let seq: Int64
    /// A sentence for the operator, e.g. "row 17 was altered: its hash does not match its content".
    public let message: String

    public var description: String { message }
}

/// The outcome of ``AuditLog/verify()``.
public struct AuditVerification: Sendable, Equatable {
    /// Rows whose hash and link were checked.
    public let rowsVerified: Int
    /// The first row the walk started from: one after the pruning anchor.
    public let firstSeq: Int64
    /// The first problem found, or `nil` when the chain is intact.
    public let problem: AuditProblem?

    public var isIntact: Bool { problem == nil }

    /// What `tokenwarden audit verify` prints.
    public var summary: String {
        if let problem { return "audit chain broken: \(problem.message)" }
        return "audit chain OK: \(rowsVerified) rows verified (from row \(firstSeq))"
    }

    /// The exit status for `tokenwarden audit verify`: 0 when intact, 1 on a problem.
    public var exitStatus: Int32 { isIntact ? 0 : 1 }
}
