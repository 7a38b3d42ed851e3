import Foundation

/// Runs blocking work (sleeps, blocking socket calls) on a thread of its own and returns its
/// result. Tests that time things this way are not at the mercy of the shared cooperative pool:
/// with every suite running in parallel on two cores, its threads can be held by other tests'
/// blocking waits for many seconds, and a `Task.sleep` of 100 ms can then last half a minute.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
