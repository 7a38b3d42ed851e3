/// A histogram's state at one moment, ready to expose: cumulative bucket counts, sum and count.
///
/// The `le` label of each bucket is rendered once per ``Histogram`` (not per scrape) and shared by
/// every snapshot of it.
public struct HistogramSnapshot: Sendable, Equatable {
    /// Finite bucket bounds, strictly ascending; the implicit last bucket is `+Inf`.
    public let upperBounds: [Double]
    /// Observations ≤ each bound, cumulative: one more entry than `upperBounds`, the last being the
    /// `+Inf` bucket, which equals ``count``.
    public let cumulativeCounts: [UInt64]
    /// The sum of all observations.
    public let sum: Double

    let bucketLabels: HistogramBucketLabels

    public var count: UInt64 { cumulativeCounts.last ?? 0 }

    /// A snapshot from counts kept elsewhere (e.g. restored from storage).
    /// - Precondition: bounds finite and strictly ascending; `cumulativeCounts` has one more entry
    ///   than `upperBounds` and never decreases.
    public init(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double) {
        self.init(bucketLabels: HistogramBucketLabels(upperBounds: upperBounds), cumulativeCounts: cumulativeCounts, sum: sum)
    }

    init(bucketLabels: HistogramBucketLabels, cumulativeCounts: [UInt64], sum: Double) {
        precondition(cumulativeCounts.count == bucketLabels.upperBounds.count + 1, "one count per bound plus +Inf")
        precondition(zip(cumulativeCounts, cumulativeCounts.dropFirst()).allSatisfy { $0 <= $1 }, "bucket counts must be cumulative")
        self.upperBounds = bucketLabels.upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
        self.bucketLabels = bucketLabels
    }

    public static func == (lhs: HistogramSnapshot, rhs: HistogramSnapshot) -> Bool {
        lhs.upperBounds == rhs.upperBounds && lhs.cumulativeCounts == rhs.cumulativeCounts
            && (lhs.sum == rhs.sum || (lhs.sum.isNaN && rhs.sum.isNaN))
    }
}

/// The rendered `le="…"` pairs of a bucket layout, bounds first and `le="+Inf"` last.
/// Canonical numbers in both formats; see ``SampleValueFormatting/canonicalLabelValue(_:)``.
struct HistogramBucketLabels: Sendable {
    let upperBounds: [Double]
    let le: [[UInt8]]

    init(upperBounds: [Double]) {
        precondition(upperBounds.allSatisfy(\.isFinite), "histogram bounds must be finite (+Inf is implicit)")
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram bounds must be strictly ascending")
        self.upperBounds = upperBounds
        le = (upperBounds + [.infinity]).map { bound in
            Array("le=\"\(SampleValueFormatting.canonicalLabelValue(bound))\"".utf8)
        }
    }
}
