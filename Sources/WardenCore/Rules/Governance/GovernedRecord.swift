/// What overrides and approvals share: a request that waits for a second key until its approval
/// window ends, and once granted lasts until its own end. Time alone ends both; whoever keeps
/// them expires what ``isDue(at:)`` says and sleeps until ``nextDeadline``.
public protocol GovernedRecord: Sendable {
    /// A pending request expires undecided at this time.
    var approvalExpiresAt: Timestamp { get }
    /// When a granted record ends (nil while pending, or for one without an end).
    var expiresAt: Timestamp? { get }
    /// Who approved, rejected or revoked it, and when.
    var decidedBy: String? { get }
    var decided: Timestamp? { get }
    /// When it stopped being live.
    var ended: Timestamp? { get set }
    /// Waiting for a decision.
    var isPending: Bool { get }
    /// Granted and in force (an active override, an approval with uses left).
    var isGranted: Bool { get }
    /// The status as stored and shown (`pending`, `active`, `approved`, …).
    var statusName: String { get }
    /// Sets the status to expired.
    mutating func markExpired()
}

extension GovernedRecord {
    /// Whether time has ended it at `now`: a pending request past its window, or a granted one
    /// past its end.
    public func isDue(at now: Timestamp) -> Bool {
        nextDeadline.map { now >= $0 } ?? false
    }

    /// The next time ``isDue(at:)`` turns true (nil once it cannot).
    public var nextDeadline: Timestamp? {
        if isPending { return approvalExpiresAt }
        return isGranted ? expiresAt : nil
    }

    /// As a reader sees it at `now`: one that came due shows as expired (at its deadline) before
    /// the keeper writes it.
    public func seen(at now: Timestamp) -> Self {
        guard isDue(at: now) else { return self }
        var expired = self
        expired.ended = nextDeadline
        expired.markExpired()
        return expired
    }
}
