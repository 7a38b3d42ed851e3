/// RFC 3339 reading and writing, without Foundation, so timestamps parse identically everywhere
/// and a parse error can name the offending character.
extension Timestamp {
    public struct RFC3339Error: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "invalid RFC 3339 time at character \(offset + 1): \(reason)" }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/space for `T` and `z` for `Z` are
    /// accepted as RFC 3339 §5.6 allows. Fractions beyond nanoseconds are truncated.
    public init(rfc3339 text: some StringProtocol) throws(RFC3339Error) {
        let bytes = Array(text.utf8)
        var index = 0
        func fail(_ reason: String) -> RFC3339Error { RFC3339Error(offset: min(index, bytes.count), reason: reason) }
        func number(_ count: Int) throws(RFC3339Error) -> Int {
            var value = 0
            for _ in 0..<count {
                guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { throw fail("expected a digit") }
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8, _ what: String) throws(RFC3339Error) {
            guard index < bytes.count, bytes[index] == byte else { throw fail("expected \(what)") }
            index += 1
        }
        let year = try number(4)
        // Int64 nanoseconds since 1970 cover 1677-09-21 to 2262-04-11; whole years inside that.
        guard (1678...2261).contains(year) else { index -= 4; throw fail("year must be between 1678 and 2261") }
        try expect(UInt8(ascii: "-"), "'-'")
        let month = try number(2)
        guard (1...12).contains(month) else { index -= 2; throw fail("month out of range") }
        try expect(UInt8(ascii: "-"), "'-'")
        let day = try number(2)
        guard day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month) else { index -= 2; throw fail("day out of range") }
        guard index < bytes.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else {
            throw fail("expected 'T'")
        }
        index += 1
        let hour = try number(2)
        guard hour <= 23 else { index -= 2; throw fail("hour out of range") }
        try expect(UInt8(ascii: ":"), "':'")
        let minute = try number(2)
        guard minute <= 59 else { index -= 2; throw fail("minute out of range") }
        try expect(UInt8(ascii: ":"), "':'")
        var second = try number(2)
        guard second <= 60 else { index -= 2; throw fail("second out of range") }
        if second == 60 { second = 59 }  // leap second: clamp, as most systems do
        var nanos: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw fail("expected fraction digits") }
            if digits < 9 { for _ in digits..<9 { nanos *= 10 } }
        }
        guard index < bytes.count else { throw fail("expected a time zone ('Z' or ±HH:MM)") }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let offsetHours = try number(2)
            try expect(UInt8(ascii: ":"), "':'")
            let offsetMinutes = try number(2)
            guard offsetHours <= 23, offsetMinutes <= 59 else { throw fail("time zone offset out of range") }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            throw fail("expected a time zone ('Z' or ±HH:MM)")
        }
        guard index == bytes.count else { throw fail("unexpected trailing characters") }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        self.init(nanosecondsSinceEpoch: seconds * 1_000_000_000 + nanos)
    }

    /// `2026-11-23T10:51:00Z`, with a fraction only when there is one (trailing zeros removed).
    public var rfc3339: String {
        var text: [UInt8] = []
        text.reserveCapacity(30)
        appendRFC3339(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``rfc3339``'s UTF-8 without building the `String` (every check response and
    /// exported row carries timestamps).
    public func appendRFC3339(to output: inout [UInt8]) {
        let seconds = secondsSinceEpoch
        // Wrapping: the floor second of the earliest instants is below Int64's nanosecond range,
        // while the difference (0 ..< 10⁹) is exact.
        var nanos = nanosecondsSinceEpoch &- seconds &* 1_000_000_000
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let dayNumber = secondOfDay < 0 ? days - 1 : days
        let second = Int(secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay)
        let date = CivilDate(daysSinceEpoch: Int(dayNumber))
        var fractionWidth = 0
        if nanos != 0 {
            fractionWidth = 9
            while nanos % 10 == 0 { nanos /= 10; fractionWidth -= 1 }
        }
        // Int64 nanoseconds reach years 1677-2262: always four digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { text in
            var count = 0
            func put(_ value: Int, _ width: Int) {
                var rest = value
                for position in stride(from: count + width - 1, through: count, by: -1) {
                    text[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                count += width
            }
            func put(_ byte: Unicode.Scalar) {
                text[count] = UInt8(ascii: byte)
                count += 1
            }
            put(date.year, 4); put("-"); put(date.month, 2); put("-"); put(date.day, 2); put("T")
            put(second / 3600, 2); put(":"); put(second / 60 % 60, 2); put(":"); put(second % 60, 2)
            if fractionWidth > 0 { put("."); put(Int(nanos), fractionWidth) }
            put("Z")
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }
}
