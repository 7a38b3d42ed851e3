/// Counts that stop at their bound instead of trapping.
///
/// Token counts are bounded at the edge (10¹² per field), but a counter sums them without end:
/// nine million maximal events into one series would pass `Int64.max`, and Swift's `+` traps, which
/// would take the daemon down on every replay of the usage log. A counter stuck at its bound is
/// wrong but visible; a crash loop loses everything.
extension Int64 {
    @inlinable
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    @inlinable
    public func subtractingSaturating(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}
