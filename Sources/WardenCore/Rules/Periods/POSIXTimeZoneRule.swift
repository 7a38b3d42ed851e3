/// A POSIX `TZ` rule such as `CET-1CEST,M3.5.0,M10.5.0/3`, `EST5EDT,M3.2.0,M11.1.0` or
/// `<+0545>-5:45`: the footer of a TZif file, which gives the zone's offsets after the file's last
/// transition (RFC 8536 §3.3, with the extensions of §3.3.1: hours up to ±167 in rule times).
///
/// POSIX writes offsets west-positive (`EST5` is UTC−5); this type stores them east-positive, as
/// ``TimeZoneRules/utcOffset(at:)`` returns them.
struct POSIXTimeZoneRule: Sendable, Hashable {
    /// Standard-time offset, seconds east of UTC.
    var standardOffset: Int64
    var daylightSaving: DaylightSaving?

    struct DaylightSaving: Sendable, Hashable {
        var offset: Int64
        var start: DateRule
        /// Seconds after local (standard-time) midnight of the start day.
        var startTime: Int64
        var end: DateRule
        /// Seconds after local (daylight-time) midnight of the end day.
        var endTime: Int64
    }

    enum DateRule: Sendable, Hashable {
        /// `Jn`: day 1…365 of the year, February 29 never counted.
        case julianSkippingLeapDay(Int)
        /// `n`: day 0…365 of the year, February 29 counted.
        case zeroBasedDay(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1…5, 5 = last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)

        /// Days since 1970-01-01 of the rule's day in `year`.
        func day(inYear year: Int) -> Int64 {
            let january1 = Int64(CivilDate(year: year, month: 1, day: 1).daysSinceEpoch)
            switch self {
            case .julianSkippingLeapDay(let n):
                return january1 + Int64(n - 1) + (CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0)
            case .zeroBasedDay(let n):
                return january1 + Int64(n)
            case .monthWeekDay(let month, let week, let weekday):
                let first = Int64(CivilDate(year: year, month: month, day: 1).daysSinceEpoch)
                let firstWeekday = ((first + 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
                var day = first + (Int64(weekday) - firstWeekday + 7) % 7 + Int64(week - 1) * 7
                let last = first + Int64(CivilDate.daysInMonth(year: year, month: month)) - 1
                while day > last { day -= 7 }  // week 5 = "last", which may be the 4th
                return day
            }
        }
    }

    /// The instants (seconds since the epoch) in `year` at which the offset changes, with the offset
    /// from then on, in time order. Empty without daylight saving.
    func transitions(inYear year: Int) -> [(second: Int64, offset: Int64)] {
        guard let dst = daylightSaving else { return [] }
        let start = dst.start.day(inYear: year) * 86_400 + dst.startTime - standardOffset
        let end = dst.end.day(inYear: year) * 86_400 + dst.endTime - dst.offset
        let changes = [(start, dst.offset), (end, standardOffset)]
        return start <= end ? changes : changes.reversed()
    }

    /// The offset at an instant, from the rule alone (the table in ``TimeZoneRules`` is built from
    /// ``transitions(inYear:)``; this direct form is the specification it is tested against).
    func offset(atSecond second: Int64) -> Int64 {
        guard daylightSaving != nil else { return standardOffset }
        let (days, _) = TimeZoneRules.floorDivide(second + standardOffset, 86_400)
        let year = CivilDate(daysSinceEpoch: Int(days)).year
        var offset = standardOffset
        for candidateYear in (year - 1)...(year + 1) {
            for change in transitions(inYear: candidateYear) where change.second <= second { offset = change.offset }
        }
        return offset
    }

    // MARK: Parsing

    init(parsing text: String, zone: String) throws(TimeZoneError) {
        var parser = Parser(bytes: Array(text.utf8), text: text, zone: zone)
        self = try parser.parseRule()
    }

    init(standardOffset: Int64, daylightSaving: DaylightSaving?) {
        self.standardOffset = standardOffset
        self.daylightSaving = daylightSaving
    }

    private struct Parser {
        let bytes: [UInt8]
        let text: String
        let zone: String
        var index = 0

        func fail(_ what: String) -> TimeZoneError {
            TimeZoneError(zone: zone, message: "invalid POSIX TZ rule \"\(text)\" at character \(index + 1): \(what)")
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func parseRule() throws(TimeZoneError) -> POSIXTimeZoneRule {
            try parseName()
            let standard = -(try parseTime(maxHours: 24, signed: true))
            if current == nil { return POSIXTimeZoneRule(standardOffset: standard, daylightSaving: nil) }
            try parseName()
            var daylight = standard + 3600
            if let byte = current, byte != UInt8(ascii: ",") {
                daylight = -(try parseTime(maxHours: 24, signed: true))
            }
            // A DST name without rules: POSIX leaves the dates to the implementation; tzcode uses
            // the US rules, and so do we.
            var start = DateRule.monthWeekDay(month: 3, week: 2, weekday: 0)
            var end = DateRule.monthWeekDay(month: 11, week: 1, weekday: 0)
            var startTime: Int64 = 7200
            var endTime: Int64 = 7200
            if current != nil {
                try expect(UInt8(ascii: ","))
                start = try parseDateRule()
                if current == UInt8(ascii: "/") { index += 1; startTime = try parseTime(maxHours: 167, signed: true) }
                try expect(UInt8(ascii: ","))
                end = try parseDateRule()
                if current == UInt8(ascii: "/") { index += 1; endTime = try parseTime(maxHours: 167, signed: true) }
            }
            guard current == nil else { throw fail("unexpected text after the rule") }
            let dst = DaylightSaving(offset: daylight, start: start, startTime: startTime, end: end, endTime: endTime)
            return POSIXTimeZoneRule(standardOffset: standard, daylightSaving: dst)
        }

        mutating func expect(_ byte: UInt8) throws(TimeZoneError) {
            guard current == byte else { throw fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
            index += 1
        }

        /// `CET` (3+ letters) or `<+0545>` (3+ letters, digits, signs in angle brackets).
        mutating func parseName() throws(TimeZoneError) {
            let start = index
            if current == UInt8(ascii: "<") {
                index += 1
                while let byte = current, byte != UInt8(ascii: ">") {
                    guard Self.isLetter(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
                        throw fail("unexpected character in quoted zone abbreviation")
                    }
                    index += 1
                }
                guard current == UInt8(ascii: ">"), index - start - 1 >= 3 else { throw fail("expected a quoted abbreviation of 3 or more characters") }
                index += 1
            } else {
                while let byte = current, Self.isLetter(byte) { index += 1 }
                guard index - start >= 3 else { throw fail("expected a zone abbreviation of 3 or more letters") }
            }
        }

        /// `[+-]hh[:mm[:ss]]`, in seconds.
        mutating func parseTime(maxHours: Int64, signed: Bool) throws(TimeZoneError) -> Int64 {
            var sign: Int64 = 1
            if signed, let byte = current, byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                sign = byte == UInt8(ascii: "-") ? -1 : 1
                index += 1
            }
            let hours = try parseNumber(maxDigits: 3, max: maxHours)
            var minutes: Int64 = 0
            var seconds: Int64 = 0
            if current == UInt8(ascii: ":") {
                index += 1
                minutes = try parseNumber(maxDigits: 2, max: 59)
                if current == UInt8(ascii: ":") {
                    index += 1
                    seconds = try parseNumber(maxDigits: 2, max: 59)
                }
            }
            return sign * (hours * 3600 + minutes * 60 + seconds)
        }

        mutating func parseNumber(maxDigits: Int, max: Int64) throws(TimeZoneError) -> Int64 {
            let start = index
            var value: Int64 = 0
            while let byte = current, Self.isDigit(byte), index - start < maxDigits {
                value = value * 10 + Int64(byte - 48)
                index += 1
            }
            guard index > start else { throw fail("expected a number") }
            guard value <= max else { index = start; throw fail("number out of range (at most \(max))") }
            return value
        }

        mutating func parseDateRule() throws(TimeZoneError) -> DateRule {
            switch current {
            case UInt8(ascii: "J"):
                index += 1
                let n = try parseNumber(maxDigits: 3, max: 365)
                guard n >= 1 else { throw fail("Jn day must be 1…365") }
                return .julianSkippingLeapDay(Int(n))
            case UInt8(ascii: "M"):
                index += 1
                let month = try parseNumber(maxDigits: 2, max: 12)
                try expect(UInt8(ascii: "."))
                let week = try parseNumber(maxDigits: 1, max: 5)
                try expect(UInt8(ascii: "."))
                let weekday = try parseNumber(maxDigits: 1, max: 6)
                guard month >= 1, week >= 1 else { throw fail("month must be 1…12 and week 1…5") }
                return .monthWeekDay(month: Int(month), week: Int(week), weekday: Int(weekday))
            case let byte? where Self.isDigit(byte):
                return .zeroBasedDay(Int(try parseNumber(maxDigits: 3, max: 365)))
            default:
                throw fail("expected a date rule (Mm.w.d, Jn or n)")
            }
        }

        static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    }
}
