/// Saturating 128-by-64-bit divisions for the limiter's hot path.
///
/// Why hand-written: the generic `Int128` division is a software routine; when the quotient is
/// known to fit 64 bits one hardware `div` (via `dividingFullWidth`) does the same work.
@usableFromInline enum QuotaArithmetic {
    /// `⌊x / d⌋` for `x ≥ 0`, `d ≥ 1`, saturating at `Int64.max`.
    @inlinable static func divideRoundingDown(_ x: Int128, by d: Int64) -> Int64 {
        if x <= 0 { return 0 }
        let divisor = UInt64(d)
        let high = UInt64(truncatingIfNeeded: x >> 64)
        // The quotient fits 64 bits exactly when the high word is below the divisor.
        guard high < divisor else { return .max }
        let (quotient, _) = divisor.dividingFullWidth((high: high, low: UInt64(truncatingIfNeeded: x)))
        return quotient > UInt64(Int64.max) ? .max : Int64(quotient)
    }

    /// `⌈x / d⌉` for `x ≥ 0`, `d ≥ 1`, saturating at `Int64.max`.
    @inlinable static func divideRoundingUp(_ x: Int128, by d: Int64) -> Int64 {
        if x <= 0 { return 0 }
        let divisor = UInt64(d)
        let high = UInt64(truncatingIfNeeded: x >> 64)
        guard high < divisor else { return .max }
        let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: UInt64(truncatingIfNeeded: x)))
        let rounded = remainder == 0 ? quotient : quotient &+ 1
        return rounded > UInt64(Int64.max) || rounded == 0 ? .max : Int64(rounded)
    }
}
