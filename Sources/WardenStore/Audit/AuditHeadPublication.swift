import Logging

/// Where the chain's head leaves the database: a log line, which whoever can write the database
/// cannot take back once it has been shipped off the host (a log collector, a terminal, a
/// ticket). `tokenwarden audit verify --expect-head SEQ:HASH` then checks that the chain still
/// holds that row with that hash, which catches what a key alone cannot: a tail truncated and an
/// older anchor (with its seal) put back.
///
/// The line is `notice` level, with `head=SEQ:HASH` and `reason` (`start`, `shutdown`, or
/// `every N rows`) as metadata: written when the chain's length passes a multiple of ``every``,
/// at start and at shutdown.
public struct AuditHeadPublication: Sendable {
    /// Rows between two publications.
    public var every: Int64
    public var logger: Logger

    public init(every: Int64, logger: Logger) {
        self.every = max(1, every)
        self.logger = logger
    }

    /// Whether an append that moved the head from `old` to `new` passed a multiple of ``every``.
    func isDue(from old: Int64, to new: Int64) -> Bool {
        new / every > old / every
    }

    func publish(_ head: AuditHead, reason: String) {
        logger.notice("audit chain head", metadata: ["head": "\(head)", "reason": "\(reason)"])
    }
}
