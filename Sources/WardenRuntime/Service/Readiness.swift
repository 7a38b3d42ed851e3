import Synchronization

/// Whether usage can be recorded: not before the ledger is restored, and never again once the
/// database file is gone from under the process. `/-/ready`, ingest and checks read it.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)
    private let failure = Mutex<String?>(nil)
    public init() {}

    public var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Why the server is not ready, for a 503's message: still restoring, or what failed.
    public var unavailableReason: String {
        failure.withLock { $0 } ?? "the ledger is still being restored; retry shortly"
    }

    /// Once the ledger is restored; ignored after ``markFailed(_:)``.
    public func markReady() {
        failure.withLock { reason in
            if reason == nil { ready.store(true, ordering: .releasing) }
        }
    }

    /// For good: the server does not repair what made it fail (an operator must look).
    public func markFailed(_ reason: String) {
        failure.withLock { current in
            if current == nil { current = reason }
            ready.store(false, ordering: .releasing)
        }
    }
}
