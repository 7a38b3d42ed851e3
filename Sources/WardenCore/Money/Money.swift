/// An exact amount of money, in units of 10⁻¹⁸ of a currency unit ("attos").
///
/// Why fixed point at 10⁻¹⁸: catalog prices are per token and routinely have 12+ significant
/// decimals (`1.5e-07` USD/token); a 10⁻¹⁸ resolution holds every published price exactly, and
/// 128-bit integers keep sums of billions of events exact (Int128 tops out near 1.7·10²⁰ units,
/// i.e. 170 quintillion dollars). Totals are plain integer additions, so the sum of a million
/// events equals the sum of their individual costs bit for bit. Nothing here ever goes through
/// `Double`; the currency travels beside the amount (see ``PriceEntry/currency``).
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Decimal digits after the point that ``attos`` represents.
    public static let scale = 18
    /// 10^18, the number of attos in one currency unit.
    public static let attosPerUnit: Int128 = 1_000_000_000_000_000_000

    public var attos: Int128

    public init(attos: Int128) { self.attos = attos }

    public static let zero = Money(attos: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.attos < rhs.attos }

    /// The largest and smallest amounts: arithmetic saturates here instead of trapping.
    public static let maximum = Money(attos: .max)
    public static let minimum = Money(attos: .min)

    /// Whether the amount sits at a bound, i.e. some arithmetic that made it saturated. Inputs are
    /// bounded at the edge (an estimate is at most 10⁹ units, a token count 10¹²) so that no sum
    /// the engine keeps can get near 1.7·10²⁰ units; saturation is the second line of defence, and
    /// the engine writes an audit row when an amount it keeps reaches a bound.
    public var isSaturated: Bool { attos == .max || attos == .min }

    // Sums saturate rather than trap: one hostile amount must never take the process down.
    // Exact in every case that does not saturate, so totals stay exact.
    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.attos.addingReportingOverflow(rhs.attos)
        guard overflow else { return Money(attos: sum) }
        return rhs.attos > 0 ? .maximum : .minimum
    }
    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.attos.subtractingReportingOverflow(rhs.attos)
        guard overflow else { return Money(attos: difference) }
        return rhs.attos < 0 ? .maximum : .minimum
    }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    /// A per-token price applied to a token count. Exact: integer multiplication (saturating).
    public static func * (price: Money, tokens: Int64) -> Money {
        let (product, overflow) = price.attos.multipliedReportingOverflow(by: Int128(tokens))
        guard overflow else { return Money(attos: product) }
        return (price.attos < 0) == (tokens < 0) ? .maximum : .minimum
    }

    /// The exact decimal text with every significant digit and no trailing zeros:
    /// `0.00000123075`, `12`, `-0.5`. This is the form used in JSON responses, CSV exports and
    /// the SQLite store, so a finance export re-adds to the same total.
    public var description: String { exactDecimal }

    public var exactDecimal: String {
        var text: [UInt8] = []
        text.reserveCapacity(40)
        appendExactDecimal(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``exactDecimal``'s text as UTF-8, without building a `String`: a `/v1/check`
    /// response writes one amount per budget, and the `String` concatenations cost more than the
    /// rest of the response.
    public func appendExactDecimal(to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Money.longestExactDecimal) { text in
            let count = writeExactDecimal(to: text.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }

    /// The most bytes ``exactDecimal`` can take: a sign, 21 whole digits (|Int128| < 1.8·10³⁸
    /// attos), the point and 18 decimals.
    package static let longestExactDecimal = 41

    /// Writes ``exactDecimal``'s UTF-8 at `target`, which has room for
    /// ``longestExactDecimal`` bytes; returns how many it wrote. Amounts whose whole part fits
    /// in 64 bits (all but the astronomical) are split with 64-bit divisions by constants, which
    /// compile to multiplications, and written with 64-bit arithmetic.
    package func writeExactDecimal(to target: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        if attos < 0 { target[0] = UInt8(ascii: "-"); count = 1 }
        let magnitude = attos.magnitude
        let unit: UInt64 = 1_000_000_000_000_000_000
        var fraction: UInt64  // < 10^18
        let high = UInt64(truncatingIfNeeded: magnitude >> 64)
        let low = UInt64(truncatingIfNeeded: magnitude)
        if high == 0 {
            // Below 18.4 units (ratios, most estimates): 64-bit division by a constant, which
            // compiles to a multiplication.
            count += DecimalDigits.writeDigits(low / unit, to: target + count)
            fraction = low % unit
        } else if high < unit {
            // The whole part fits in 64 bits (limits and what is left of them): the 128-bit
            // magnitude as four 32-bit limbs divided by 10⁹ twice, each step a 64-bit division by
            // a constant; a hardware 128-by-64 division cost more than the rest of the amount.
            var limbs = (high >> 32, high & 0xFFFF_FFFF, low >> 32, low & 0xFFFF_FFFF)
            let lowNine = Self.divideLimbsByBillion(&limbs)
            let highNine = Self.divideLimbsByBillion(&limbs)
            count += DecimalDigits.writeDigits(limbs.2 << 32 | limbs.3, to: target + count)
            fraction = highNine * 1_000_000_000 + lowNine
        } else {
            // Whole parts of 10^19 and more: two 19-digit-or-fewer groups.
            let (whole, rest) = magnitude.quotientAndRemainder(dividingBy: UInt128(unit))
            let group = UInt128(10_000_000_000_000_000_000 as UInt64)
            let (upper, lower) = whole.quotientAndRemainder(dividingBy: group)
            count += DecimalDigits.writeDigits(UInt64(upper), to: target + count)
            count += DecimalDigits.writeDigits(UInt64(lower), minimumDigits: 19, to: target + count)
            fraction = UInt64(rest)
        }
        guard fraction != 0 else { return count }
        // Trailing zeros dropped in halving steps (16, 8, 4, 2, 1: any count up to 17 of them).
        var digits = Money.scale
        if fraction % 10_000_000_000_000_000 == 0 { fraction /= 10_000_000_000_000_000; digits -= 16 }
        if fraction % 100_000_000 == 0 { fraction /= 100_000_000; digits -= 8 }
        if fraction % 10_000 == 0 { fraction /= 10_000; digits -= 4 }
        if fraction % 100 == 0 { fraction /= 100; digits -= 2 }
        if fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        target[count] = UInt8(ascii: ".")
        count += 1
        count += DecimalDigits.writeDigits(fraction, minimumDigits: digits, to: target + count)
        return count
    }

    /// Divides the number held in four 32-bit limbs (most significant first) by 10⁹ in place and
    /// returns the remainder.
    @inline(__always)
    private static func divideLimbsByBillion(_ limbs: inout (UInt64, UInt64, UInt64, UInt64)) -> UInt64 {
        let billion: UInt64 = 1_000_000_000
        var current = limbs.0
        limbs.0 = current / billion
        current = (current % billion) << 32 | limbs.1
        limbs.1 = current / billion
        current = (current % billion) << 32 | limbs.2
        limbs.2 = current / billion
        current = (current % billion) << 32 | limbs.3
        limbs.3 = current / billion
        return current % billion
    }

    /// The amount rounded half-to-even to `places` decimals, with exactly that many decimals
    /// (`"12.35"`). For display only: stored and exported values use ``exactDecimal``.
    public func formatted(places: Int) -> String {
        precondition(places >= 0 && places <= Money.scale)
        let rounded = Money.divideRoundingHalfEven(attos, by: Money.pow10(Money.scale - places))
        let negative = rounded < 0
        let magnitude = rounded.magnitude
        let divisor = UInt128(Money.pow10(places))
        var text = negative ? "-" : ""
        text += String(magnitude / divisor)
        if places > 0 {
            let fractionText = String(magnitude % divisor)
            text += "." + String(repeating: "0", count: places - fractionText.count) + fractionText
        }
        return text
    }

    /// The amount as a `Double`, only for exposition to Prometheus (whose sample values are
    /// floats by definition). Computed from the exact integer in one rounding step.
    public var approximateDouble: Double {
        let unit = Money.attosPerUnit
        let whole = attos / unit
        let fraction = attos % unit
        // The whole part fits in Int64 below 9.2·10¹⁸ currency units; converting through Int64
        // avoids the generic (slow) Int128 → Double path, which dominated /metrics rendering.
        if let small = Int64(exactly: whole) {
            return Double(small) + Double(Int64(fraction)) / 1e18
        }
        return Double(whole) + Double(fraction) / 1e18
    }

    static func pow10(_ exponent: Int) -> Int128 {
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Integer division rounding to nearest, ties to even (banker's rounding), so repeated
    /// rounding of catalog artefacts introduces no bias.
    static func divideRoundingHalfEven(_ value: Int128, by divisor: Int128) -> Int128 {
        precondition(divisor > 0)
        var quotient = value / divisor
        let remainder = value % divisor
        let twice = remainder.magnitude * 2
        let divisorMagnitude = divisor.magnitude
        if twice > divisorMagnitude || (twice == divisorMagnitude && quotient % 2 != 0) {
            quotient += value < 0 ? -1 : 1
        }
        return quotient
    }
}
