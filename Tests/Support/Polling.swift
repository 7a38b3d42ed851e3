/// Tries `attempt` until it returns a value or `timeout` has passed, pausing `interval` between
/// tries; nil when time ran out. The one way tests wait for something to happen.
///
/// Always tries once more after the deadline has passed. Every suite shares one process whose
/// cooperative thread pool is as wide as the machine has cores (two on CI), and tests that block a
/// pool thread (a child process waited for, a blocking socket read) can hold both for a while; a
/// wait that resumes only after its deadline must still look before it gives up, or it reports a
/// condition that has long held as never met. A cancelled test stops waiting with `CancellationError`.
public func poll<T>(
    for timeout: Duration, every interval: Duration = .milliseconds(10), _ attempt: () async throws -> T?
) async throws -> T? {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if let value = try await attempt() { return value }
        if ContinuousClock.now >= deadline { return nil }
        try await Task.sleep(for: interval)
    }
}

/// ``poll(for:every:_:)`` for a condition: whether it held before `timeout` passed.
public func poll(
    for timeout: Duration, every interval: Duration = .milliseconds(10), until condition: () async throws -> Bool
) async throws -> Bool {
    try await poll(for: timeout, every: interval) { try await condition() ? true : nil } ?? false
}
