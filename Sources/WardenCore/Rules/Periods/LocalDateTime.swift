/// A wall-clock reading in some time zone: what a clock on the wall there showed at an instant.
public struct LocalDateTime: Sendable, Hashable, CustomStringConvertible {
    public var date: CivilDate
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Nanoseconds within the second.
    public var nanosecond: Int
    /// The UTC offset in effect, in seconds east of UTC.
    public var utcOffset: Int

    public var weekday: Weekday { Weekday(daysSinceEpoch: date.daysSinceEpoch) }

    public init(date: CivilDate, hour: Int, minute: Int, second: Int, nanosecond: Int = 0, utcOffset: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.utcOffset = utcOffset
    }

    /// `2026-11-23T14:05:09+01:00`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let sign = utcOffset < 0 ? "-" : "+"
        let offset = abs(utcOffset)
        var text = "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        text += "\(sign)\(pad(offset / 3600, 2)):\(pad(offset / 60 % 60, 2))"
        if offset % 60 != 0 { text += ":\(pad(offset % 60, 2))" }
        return text
    }
}
