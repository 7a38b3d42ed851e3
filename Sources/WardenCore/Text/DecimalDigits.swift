/// Decimal digits of integers, written into bytes without going through `String`: amounts,
/// counts and header values are written this way on the check path, where `String` building
/// cost more than the decision.
public enum DecimalDigits {
    /// Appends the decimal digits of `value` without going through `String`.
    ///
    /// Digits are produced last-first into a small stack buffer and appended in one go:
    /// reversing them in place through `output[first...]` copied the whole output array into a
    /// slice and back for every number (most of a `/v1/check` response's cost).
    public static func appendDecimal(_ value: some BinaryInteger, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        if let small = UInt64(exactly: magnitude) {
            appendDigits(small, to: &output)
            return
        }
        // Wider than 64 bits: peel off 19-digit groups (10^19 < 2^64), most significant first.
        var rest = UInt128(magnitude)
        var groups: [UInt64] = []
        let group = UInt128(10_000_000_000_000_000_000 as UInt64)
        while rest >= group {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: group)
            groups.append(UInt64(remainder))
            rest = quotient
        }
        appendDigits(UInt64(rest), to: &output)
        for part in groups.reversed() { appendDigits(part, to: &output, minimumDigits: 19) }
    }

    /// `value`'s decimal digits, left-padded with zeros to `minimumDigits`.
    @inline(__always)
    public static func appendDigits(_ value: UInt64, to output: inout [UInt8], minimumDigits: Int = 1) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let count = writeDigits(value, minimumDigits: minimumDigits, to: digits.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<count]))
        }
    }

    /// Writes `value`'s decimal digits, left-padded with zeros to `minimumDigits` (at most 20),
    /// at `target`, which has room for 20; returns how many it wrote.
    ///
    /// Digits are counted by comparison and written two at a time from a table: a check response
    /// writes two dozen numbers, and a division per digit, twice over, showed in its profiles.
    @inline(__always)
    public static func writeDigits(_ value: UInt64, minimumDigits: Int = 1, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1
        var threshold: UInt64 = 10
        while value >= threshold {
            digits += 1
            guard digits < 20 else { break }
            threshold &*= 10
        }
        digits = max(digits, minimumDigits)
        let pairs = digitPairs.utf8Start
        var rest = value
        var position = digits
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            position -= 2
            target[position] = pairs[pair]
            target[position + 1] = pairs[pair + 1]
        }
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            position -= 2
            target[position] = pairs[pair]
            target[position + 1] = pairs[pair + 1]
        } else {
            position -= 1
            target[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
        while position > 0 {
            position -= 1
            target[position] = UInt8(ascii: "0")
        }
        return digits
    }

    /// "00" through "99".
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
}
