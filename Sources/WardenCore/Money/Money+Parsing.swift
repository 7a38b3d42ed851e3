/// Parsing money from decimal text, never through `Double`.
///
/// Catalogs (LiteLLM's in particular) write prices as JSON numbers such as `2.5e-06` or the
/// float artefact `2.9999900000000002e-06`. We read the digits of the text itself, so the value is
/// the one the author wrote, and round to 10⁻¹⁸ (half to even) only when the text has more digits
/// than that; the caller learns about the rounding and can warn about the entry.
extension Money {
    public struct ParseResult: Sendable, Equatable {
        public var money: Money
        /// True when the text had significant digits beyond 10⁻¹⁸ that were rounded away.
        public var wasRounded: Bool
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case invalidCharacter(offset: Int)
        case missingDigits
        case badExponent
        case outOfRange

        public var description: String {
            switch self {
            case .empty: return "empty amount"
            case .invalidCharacter(let offset): return "invalid character at offset \(offset) in amount"
            case .missingDigits: return "amount has no digits"
            case .badExponent: return "malformed exponent in amount"
            case .outOfRange: return "amount is out of range"
            }
        }
    }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]`, with `_` allowed between digits as a
    /// thousands separator (`20_000.00`).
    public static func parse<S: StringProtocol>(_ text: S) throws(ParseError) -> ParseResult {
        try parse(utf8: Array(text.utf8))
    }

    public static func parse(utf8 bytes: [UInt8]) throws(ParseError) -> ParseResult {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in try parse(buffer) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> ParseResult {
        if bytes.isEmpty { throw .empty }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        // Significant digits, collected without leading zeros, plus the decimal exponent that
        // places them: value = digits × 10^(exponent).
        // Zeros after the last non-zero digit are held back as a count, so that a long run of
        // trailing zeros (`0.1000…000`) does not count against the 60-digit limit.
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var exponent = 0
        var pendingZeros = 0
        var sawDigit = false
        var afterPoint = false
        var previousWasDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                previousWasDigit = true
                if byte == UInt8(ascii: "0") {
                    if !digits.isEmpty { pendingZeros += 1 }
                } else {
                    digits.append(contentsOf: repeatElement(0, count: pendingZeros))
                    pendingZeros = 0
                    digits.append(byte - UInt8(ascii: "0"))
                    if digits.count > 60 { throw .outOfRange }
                }
                if afterPoint { exponent -= 1 }
            } else if byte == UInt8(ascii: "_") && previousWasDigit && !afterPoint
                && index + 1 < bytes.count && bytes[index + 1] >= UInt8(ascii: "0") && bytes[index + 1] <= UInt8(ascii: "9")
            {
                // A separator must sit between two digits: `1_000`, not `1_` or `1_.5`.
                previousWasDigit = false
            } else if byte == UInt8(ascii: ".") && !afterPoint {
                afterPoint = true
                previousWasDigit = false
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                break
            } else {
                throw .invalidCharacter(offset: index)
            }
            index += 1
        }
        if !sawDigit { throw .missingDigits }
        exponent += pendingZeros  // the held-back trailing zeros: value = digits × 10^exponent
        if index < bytes.count {
            // Exponent part.
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            if index >= bytes.count { throw .badExponent }
            var value = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .badExponent }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                if value > 400 { throw .outOfRange }
                index += 1
            }
            exponent += exponentNegative ? -value : value
        }
        if digits.isEmpty { return ParseResult(money: .zero, wasRounded: false) }  // `0e30` is zero, not out of range
        // Shift to the 10⁻¹⁸ grid: attos = digits × 10^(exponent + 18).
        let shift = exponent + Money.scale
        var attos: Int128 = 0
        var wasRounded = false
        if shift >= 0 {
            if digits.count + shift > 38 { throw .outOfRange }
            for digit in digits { attos = attos * 10 + Int128(digit) }
            attos *= Money.pow10(shift)
        } else {
            let keep = digits.count + shift  // digits that land on or above 10⁻¹⁸
            if keep > 38 { throw .outOfRange }
            if keep >= 0 {
                for digit in digits.prefix(keep) { attos = attos * 10 + Int128(digit) }
            }
            let dropped = keep >= 0 ? Array(digits.dropFirst(keep)) : Array(repeating: 0, count: -keep) + digits
            if dropped.contains(where: { $0 != 0 }) {
                wasRounded = true
                // Half to even on the dropped tail.
                let first = dropped[0]
                let restNonZero = dropped.dropFirst().contains(where: { $0 != 0 })
                if first > 5 || (first == 5 && (restNonZero || attos % 2 != 0)) {
                    attos += 1
                }
            }
        }
        return ParseResult(money: Money(attos: negative ? -attos : attos), wasRounded: wasRounded)
    }

    /// Parses an amount that must be exact (user input such as budgets): rounding is an error.
    public init<S: StringProtocol>(exactly text: S) throws(ParseError) {
        let result = try Money.parse(text)
        if result.wasRounded { throw .outOfRange }
        self = result.money
    }
}

extension Money {
    /// `text × factor` with a single rounding (half to even) to 10⁻¹⁸, for a price finer than
    /// 10⁻¹⁸ whose multiple is not: a per-pixel price (`2.0751953125e-09`) times an image's
    /// pixels is an exact per-image price, which rounding the per-pixel price first would miss.
    /// Nil for text that is not a decimal or a product out of range.
    public static func parse<S: StringProtocol>(_ text: S, times factor: Int64) -> ParseResult? {
        // Read the text 10¹⁸ times larger, so its attos are units of 10⁻³⁶.
        let string = String(text)
        let mantissa: Substring, exponent: Int
        if let marker = string.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(string[string.index(after: marker)...]) else { return nil }
            mantissa = string[..<marker]
            exponent = value
        } else {
            mantissa = Substring(string)
            exponent = 0
        }
        guard let fine = try? parse("\(mantissa)e\(exponent + scale)") else { return nil }
        let (product, overflow) = fine.money.attos.multipliedReportingOverflow(by: Int128(factor))
        guard !overflow else { return nil }
        let unit = pow10(scale)
        return ParseResult(money: Money(attos: divideRoundingHalfEven(product, by: unit)), wasRounded: fine.wasRounded || product % unit != 0)
    }
}
