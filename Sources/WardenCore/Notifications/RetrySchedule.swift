/// How long a receiver that failed waits before the next attempt: exponential backoff with jitter,
/// capped.
///
/// Attempt n (1-based, counting failures of the same delivery) waits `initial × 2^(n-1)` capped at
/// `maximum`, then scaled by a jitter factor in [0.5, 1]: "equal jitter", so a fleet of daemons
/// whose receiver came back does not retry in lockstep, yet no wait is shorter than half the
/// schedule. The random draw is passed in, which keeps the schedule testable.
public struct RetrySchedule: Sendable, Equatable {
    public var initial: Int64
    public var maximum: Int64

    /// Nanoseconds; the default starts at 1 s and caps at 5 min.
    public init(initialNanoseconds: Int64 = 1_000_000_000, maximumNanoseconds: Int64 = 300_000_000_000) {
        initial = max(1, initialNanoseconds)
        maximum = max(initial, maximumNanoseconds)
    }

    /// The delay before the attempt after `failures` consecutive failures, before jitter.
    public func baseDelay(afterFailures failures: Int) -> Int64 {
        guard failures > 0 else { return 0 }
        var delay = initial
        for _ in 1..<min(failures, 63) {
            if delay >= maximum / 2 { return maximum }
            delay *= 2
        }
        return min(delay, maximum)
    }

    /// The delay with jitter; `unitRandom` is a draw from [0, 1].
    public func delay(afterFailures failures: Int, unitRandom: Double) -> Int64 {
        let base = baseDelay(afterFailures: failures)
        let factor = 0.5 + 0.5 * min(max(unitRandom, 0), 1)
        return Int64(Double(base) * factor)
    }
}
