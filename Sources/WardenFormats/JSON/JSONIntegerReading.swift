import WardenCore

/// The exact integer a JSON number's text denotes, or why it denotes none.
///
/// Token counts must be exact, so they are read from the number's text and never through
/// `Double` (which silently rounds above 2⁵³). The grammar is JSON's own, judged by value: any
/// number whose value is whole is an integer, however it is written (`1000`, `1e3`, `1000.0`,
/// `1.5e3`, `250e-1`), and one whose value has a fraction is not (`1.5`, `25e-1`); `-0` is zero.
/// Clients serialise counts through many languages' number types, and a whole `1000.0` is the
/// same count as `1000`.
public enum JSONIntegerReading: Sendable, Equatable {
    case integer(Int64)
    /// A fraction, a negative exponent that leaves one, or text that is not a JSON number.
    case notAnInteger
    /// A whole number too large in magnitude for `Int64`.
    case outOfRange(negative: Bool)

    public init(numberText text: String) {
        var text = text
        self = text.withUTF8 { JSONIntegerReading(numberText: $0) }
    }

    public init(numberText text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = text.count
        let negative = count > 0 && text[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        // Significant digits accumulate in `magnitude`; zeros are held back in `pendingZeros`
        // until a non-zero digit follows, so trailing zeros can cancel a negative exponent.
        var magnitude: UInt64 = 0
        var pendingZeros = 0
        var overflow = false
        /// Takes the next significant digit (integer or fraction part alike).
        func take(_ digit: UInt64) {
            if digit == 0 {
                pendingZeros += 1
            } else if !overflow {
                for _ in 0...pendingZeros {
                    let (scaled, scaleOverflow) = magnitude.multipliedReportingOverflow(by: 10)
                    magnitude = scaled
                    if scaleOverflow { overflow = true; break }
                }
                let (sum, addOverflow) = magnitude.addingReportingOverflow(overflow ? 0 : digit)
                magnitude = sum
                overflow = overflow || addOverflow
                pendingZeros = 0
            } else {
                pendingZeros = 0
            }
        }
        let digitsStart = index
        while index < count, JSONParser.isDigit(text[index]) {
            take(UInt64(text[index] &- UInt8(ascii: "0")))
            index += 1
        }
        guard index > digitsStart else { self = .notAnInteger; return }
        // Fraction digits continue the significant digits, each lowering the power by one; zeros
        // among them are held back like any other, so `1000.000` stays 1000 × 10⁰.
        var fractionDigits = 0
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, JSONParser.isDigit(text[index]) {
                take(UInt64(text[index] &- UInt8(ascii: "0")))
                fractionDigits += 1
                index += 1
            }
            guard index > fractionStart else { self = .notAnInteger; return }
        }
        var exponent = 0
        if index < count {
            guard text[index] | 0x20 == UInt8(ascii: "e") else { self = .notAnInteger; return }
            index += 1
            var exponentNegative = false
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            while index < count, JSONParser.isDigit(text[index]) {
                // Saturate: anything beyond a few hundred is out of range or fractional anyway.
                exponent = min(exponent * 10 + Int(text[index] &- UInt8(ascii: "0")), 100_000)
                index += 1
            }
            guard index > exponentStart, index == count else { self = .notAnInteger; return }
            if exponentNegative { exponent = -exponent }
        }
        if magnitude == 0 && !overflow { self = .integer(0); return }
        // value = significant digits × 10^(pendingZeros + exponent); the significant digits end
        // in a non-zero digit, so a negative power always leaves a fraction.
        let power = pendingZeros + exponent - fractionDigits
        guard power >= 0 else { self = .notAnInteger; return }
        guard !overflow, power <= 19 else { self = .outOfRange(negative: negative); return }
        for _ in 0..<power {
            let (scaled, scaleOverflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !scaleOverflow else { self = .outOfRange(negative: negative); return }
            magnitude = scaled
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { self = .outOfRange(negative: true); return }
            self = .integer(Int64(truncatingIfNeeded: 0 &- magnitude))
        } else {
            guard magnitude <= UInt64(Int64.max) else { self = .outOfRange(negative: false); return }
            self = .integer(Int64(magnitude))
        }
    }
}
