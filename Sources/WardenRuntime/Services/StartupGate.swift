import Synchronization

/// Opens once the ledger, the budgets and the saved reservations are restored: the services
/// that write usage or act on budgets wait for it, while the HTTP server answers `/-/healthy`
/// from the start (a restore of a large log takes seconds).
public final class StartupGate: Sendable {
    private struct State {
        var isOpen = false
        var failed = false
        var nextWaiter: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func open() { finish(failed: false) }

    /// The restore failed: whoever waits gives up (the service group is ending anyway).
    public func fail() { finish(failed: true) }

    private func finish(failed: Bool) {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard !state.isOpen && !state.failed else { return [] }
            if failed { state.failed = true } else { state.isOpen = true }
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting {
            if failed { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
        }
    }

    /// Returns once open; throws if the restore failed or the waiting task is cancelled first
    /// (a shutdown during the restore).
    public func wait() async throws {
        let waiter = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if state.isOpen { return .success(()) }
                    if state.failed || Task.isCancelled { return .failure(CancellationError()) }
                    state.waiting[waiter] = continuation
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiting.removeValue(forKey: waiter) }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
