/// A threshold as a percentage of a budget's limit: `50%`, `80%`, `120%`, `12.5%`.
///
/// Kept exact, in millionths of a percent, so the amount a step starts at is computed with
/// integer arithmetic: `limit × millionths / 100_000_000`, rounded up, so a step at 100% starts
/// exactly at the limit and never a fraction of an atto below it.
public struct ThresholdPercent: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The percentage × 10⁶ (`50%` is 50_000_000).
    public var millionths: Int64

    public init(millionths: Int64) { self.millionths = millionths }

    public static func < (lhs: ThresholdPercent, rhs: ThresholdPercent) -> Bool { lhs.millionths < rhs.millionths }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses `NN%` or `NN.NNNNNN%`, between 0% (exclusive) and 10000%.
    public init(parsing text: String) throws(ParseError) {
        guard text.hasSuffix("%") else {
            throw ParseError(message: "a threshold is a percentage such as 80%, not \"\(text)\"")
        }
        let number = String(text.dropLast())
        let parsed: Money
        do { parsed = try Money(exactly: number) } catch {
            throw ParseError(message: "invalid percentage \"\(text)\"")
        }
        // Money holds 18 decimals; a percentage keeps 6.
        let scale: Int128 = 1_000_000_000_000
        guard parsed.attos % scale == 0 else {
            throw ParseError(message: "a threshold has at most 6 decimals, not \"\(text)\"")
        }
        let millionths = parsed.attos / scale
        guard millionths > 0 && millionths <= 10_000 * 1_000_000 else {
            throw ParseError(message: "a threshold must be above 0% and at most 10000%, not \(text)")
        }
        self.millionths = Int64(millionths)
    }

    /// The amount of a money limit at which this threshold is reached (rounded up to the atto).
    /// A step beyond the largest amount (10000% of a limit near it) starts at that bound.
    public func amount(of limit: Money) -> Money {
        let (product, overflow) = limit.attos.multipliedReportingOverflow(by: Int128(millionths))
        if overflow { return limit < .zero ? .minimum : .maximum }
        let divisor: Int128 = 100_000_000
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: divisor)
        return Money(attos: remainder > 0 ? quotient + 1 : quotient)
    }

    /// The token count at which this threshold is reached (rounded up); a step beyond the
    /// largest count starts at it.
    public func tokens(of limit: Int64) -> Int64 {
        let product = Int128(limit) * Int128(millionths)
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: 100_000_000)
        return Int64(clamping: remainder > 0 ? quotient + 1 : quotient)
    }

    public var description: String {
        let whole = millionths / 1_000_000
        var fraction = millionths % 1_000_000
        if fraction == 0 { return "\(whole)%" }
        var digits = 6
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text + "%"
    }
}
