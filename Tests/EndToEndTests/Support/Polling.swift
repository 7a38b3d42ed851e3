import Foundation

/// Tries `attempt` until it returns a value or `seconds` have passed, pausing `interval` between
/// tries; nil when time ran out.
///
/// Always tries once more after the deadline has passed. Every suite shares one process whose
/// cooperative thread pool is as wide as the machine has cores (two on CI), and tests that block a
/// pool thread (a child process waited for, a blocking socket read) can hold both for a while; a
/// wait that resumes only after its deadline must still look before it gives up, or it reports a
/// server that has long been ready as never ready.
func poll<T>(for seconds: TimeInterval, every interval: Duration, _ attempt: () async throws -> T?) async throws -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if let value = try await attempt() { return value }
        if Date() >= deadline { return nil }
        try await Task.sleep(for: interval)
    }
}
