/// Renders numbers the way both exposition formats read them, straight into the scrape buffer.
///
/// Why hand-written: a scrape renders one number per series, so integers go digit by digit into
/// the buffer instead of through `String(describing:)` and a temporary `String` each.
///
/// What both parsers accept (Go's `strconv.ParseFloat` in Prometheus, Python's `float()` in
/// prometheus_client, and the OpenMetrics ABNF `realnumber`): plain integers (`42`, `-7`), decimals
/// (`0.25`), exponents with a sign (`1e-05`, `1.5e+20`), and the words `+Inf`, `-Inf`, `NaN`.
enum SampleValueFormatting {
    private static let nan: StaticString = "NaN"
    private static let positiveInfinity: StaticString = "+Inf"
    private static let negativeInfinity: StaticString = "-Inf"

    /// Appends `value` in decimal, without sign or separators.
    @inline(__always)
    static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        // UInt64.max has 20 digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            var rest = value
            repeat {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10)
                index &-= 1
                digits[index] = UInt8(truncatingIfNeeded: remainder) &+ 48
                rest = quotient
            } while rest != 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    @inline(__always)
    static func append(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        append(value.magnitude, to: &buffer)
    }

    /// Integral values within Int64 are written as integers (`3`, not `3.0` or `3e+00`): exact, and the
    /// shortest text. Everything else uses Swift's shortest round-trip representation, which already
    /// has the `1e-05` / `1.5e+20` shape both parsers accept (checked against them in the tests).
    static func append(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN {
            appendStatic(nan, to: &buffer)
        } else if value.isInfinite {
            appendStatic(value < 0 ? negativeInfinity : positiveInfinity, to: &buffer)
        } else if value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0,
                  value == value.rounded(.towardZero) {
            append(Int64(value), to: &buffer)
        } else {
            buffer.append(contentsOf: value.description.utf8)
        }
    }

    @inline(__always)
    static func appendStatic(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The canonical text of an `le` (or `quantile`) label value, as OpenMetrics 1.0 asks for in
    /// "Canonical Numbers": Go's shortest `%g` rendering with `.0` appended when there is no decimal
    /// point or exponent — `0.005`, `1.0`, `10.0`, `100000.0`, `1e+06`, `1e-05`, `+Inf`.
    ///
    /// Why canonical in the 0.0.4 text format too: `le` is a label, so its text is part of the series
    /// identity. Prometheus before 3.0 does not normalise it, so `le="1"` from one format and
    /// `le="1.0"` from the other would be two different series whenever the negotiated format changes.
    /// prometheus_client (Python) makes the same choice.
    static func canonicalLabelValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }

        // Shortest round-trip digits and decimal exponent, taken from Swift's own shortest rendering
        // (`1234.5`, `0.0001`, `1e-05`, `1.5e+20`) so no digit-generation algorithm is repeated here.
        let text = value.magnitude.description
        var digits: [UInt8] = []
        var pointPosition: Int?     // digits seen before the "."
        var exponent = 0
        var utf8 = text.utf8[...]
        while let byte = utf8.first, byte != UInt8(ascii: "e") {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else {
                digits.append(byte)
            }
        }
        if !utf8.isEmpty { exponent = Int(String(decoding: utf8.dropFirst(), as: UTF8.self))! }
        // decimalPoint: the value is 0.d1d2d3... × 10^decimalPoint (Go's `digs.dp`).
        var decimalPoint = (pointPosition ?? digits.count) + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }

        var result = value.sign == .minus ? "-" : ""
        let goExponent = decimalPoint - 1
        // Go's shortest %g switches to an exponent when it is below -4 or at least 6.
        if goExponent < -4 || goExponent >= 6 {
            result += String(UnicodeScalar(digits[0]))
            if digits.count > 1 {
                result += "." + String(decoding: digits[1...], as: UTF8.self)
            }
            let magnitude = abs(goExponent)
            result += (goExponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        } else if decimalPoint <= 0 {
            result += "0." + String(repeating: "0", count: -decimalPoint) + String(decoding: digits, as: UTF8.self)
        } else if decimalPoint >= digits.count {
            result += String(decoding: digits, as: UTF8.self)
                + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
        } else {
            result += String(decoding: digits[..<decimalPoint], as: UTF8.self) + "."
                + String(decoding: digits[decimalPoint...], as: UTF8.self)
        }
        return result
    }
}
