import Synchronization

/// A thread-safe histogram of durations (or any non-negative quantity) with fixed buckets.
///
/// Why one `Mutex` rather than per-bucket atomics: a snapshot must be consistent — OpenMetrics
/// parsers reject a histogram whose `_count` differs from its `+Inf` bucket — and an uncontended
/// lock costs about as much as the two atomic adds it would replace. The bucket search happens
/// outside the lock.
public final class Histogram: Sendable {
    /// client_golang's default buckets, in seconds: 5 ms to 10 s.
    public static let defaultUpperBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public var upperBounds: [Double] { bucketLabels.upperBounds }

    private let bucketLabels: HistogramBucketLabels
    private let state: Mutex<State>

    private struct State {
        /// Per bucket, not cumulative; the last entry is the `+Inf` bucket.
        var counts: [UInt64]
        var sum: Double
    }

    /// - Parameter upperBounds: finite, strictly ascending; `+Inf` is added implicitly (and may be
    ///   passed as the last bound, in which case it is dropped).
    public init(upperBounds: [Double] = Histogram.defaultUpperBounds) {
        var bounds = upperBounds
        if bounds.last == .infinity { bounds.removeLast() }
        bucketLabels = HistogramBucketLabels(upperBounds: bounds)
        state = Mutex(State(counts: Array(repeating: 0, count: bounds.count + 1), sum: 0))
    }

    /// Records one observation. A bucket holds values ≤ its bound (`le`).
    ///
    /// NaN is ignored and negative values count as 0: a duration cannot be either, and exposing
    /// them would make `_sum` NaN or negative, which OpenMetrics parsers reject for the whole scrape.
    public func observe(_ seconds: Double) {
        guard !seconds.isNaN else { return }
        let value = max(seconds, 0)
        let bucket = bucketIndex(for: value)
        state.withLock { state in
            state.counts[bucket] &+= 1
            state.sum += value
        }
    }

    /// Records a duration, in seconds.
    public func observe(_ duration: Duration) {
        observe(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    public func snapshot() -> HistogramSnapshot {
        let (counts, sum) = state.withLock { ($0.counts, $0.sum) }
        var cumulative = counts
        for index in cumulative.indices.dropFirst() { cumulative[index] &+= cumulative[index - 1] }
        return HistogramSnapshot(bucketLabels: bucketLabels, cumulativeCounts: cumulative, sum: sum)
    }

    /// The first bucket whose bound is ≥ value (binary search); the `+Inf` bucket past the last.
    private func bucketIndex(for value: Double) -> Int {
        let bounds = bucketLabels.upperBounds
        var low = 0
        var high = bounds.count
        while low < high {
            let middle = (low + high) / 2
            if bounds[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
