/// Which window of a period an instant falls in, in a given time zone.
extension BudgetPeriod {
    /// The window of this period that contains `instant`.
    ///
    /// Calendar windows start at local wall-clock boundaries — midnight for days, weeks, months,
    /// quarters and years; the top of the local hour for `hourly` (so in Asia/Kathmandu, UTC+5:45,
    /// hourly windows start at hh:15 UTC). Consequences around clock changes:
    ///
    /// - A day (week, month, …) containing a DST change is as long as the wall clock says: in
    ///   Europe/Berlin the spring-forward day lasts 23 hours and the fall-back day 25.
    /// - A boundary that does not exist on the wall clock (midnight skipped by a spring-forward at
    ///   00:00, as in Asia/Tehran until 2022) is taken as the first instant after the jump, so the
    ///   window starts at 01:00. A skipped day (Pacific/Apia, 2011-12-30) has no window at all.
    /// - A boundary that occurs twice is taken at its earlier occurrence, so a repeated local hour
    ///   belongs to one `hourly` window that lasts two hours (and keeps one identifier).
    ///
    /// Windows tile time: the next window starts exactly at `end`, with no gap or overlap.
    /// Cost: a few binary searches in the zone's transition table; no allocation.
    public func window(containing instant: Timestamp, in zone: TimeZoneRules) -> PeriodWindow {
        switch self {
        case .total:
            return PeriodWindow(period: self, start: Timestamp(nanosecondsSinceEpoch: .min), end: nil,
                                nominalStart: CivilDate(daysSinceEpoch: 0), nominalHour: 0)
        case .rolling(let duration):
            let (start, overflow) = instant.nanosecondsSinceEpoch.subtractingReportingOverflow(duration.nanoseconds)
            let clamped = overflow ? (duration.nanoseconds > 0 ? Int64.min : Int64.max) : start
            let local = zone.localDateTime(at: Timestamp(nanosecondsSinceEpoch: clamped))
            return PeriodWindow(period: self, start: Timestamp(nanosecondsSinceEpoch: clamped), end: nil,
                                nominalStart: local.date, nominalHour: local.hour)
        default:
            break
        }
        let second = instant.secondsSinceEpoch
        let local = zone.localDateTime(at: instant)
        var boundary = firstBoundary(atOrBefore: local.date, hour: local.hour)
        var start = zone.instantSecond(forLocalSecond: boundary.localSecond)
        var following = nextBoundary(after: boundary)
        var end = zone.instantSecond(forLocalSecond: following.localSecond)
        // Only where a later boundary's earlier occurrence precedes `instant` (a boundary inside a
        // repeated span of wall-clock time) does `instant` belong to a later window; it then
        // belongs to the window of that boundary, which keeps windows contiguous and ordered.
        while end <= second {
            boundary = following
            start = end
            following = nextBoundary(after: boundary)
            end = zone.instantSecond(forLocalSecond: following.localSecond)
        }
        return PeriodWindow(period: self, start: TimeZoneRules.timestamp(clampingSeconds: start),
                            end: TimeZoneRules.timestamp(clampingSeconds: end),
                            nominalStart: boundary.date, nominalHour: boundary.hour)
    }

    /// The window that follows `window` (which starts at its `end`), for iterating periods in
    /// `simulate` and for rolling over. `nil` for `total` and `rolling`, which have no next
    /// window, and at the end of ``Timestamp``'s range (2262).
    public func window(after window: PeriodWindow, in zone: TimeZoneRules) -> PeriodWindow? {
        guard let end = window.end, end.nanosecondsSinceEpoch != .max else { return nil }
        let next = self.window(containing: end, in: zone)
        return next.start > window.start ? next : nil
    }

    /// A nominal wall-clock boundary: a local date and hour.
    private struct Boundary {
        var date: CivilDate
        var hour: Int
        var localSecond: Int64 { Int64(date.daysSinceEpoch) * 86_400 + Int64(hour) * 3600 }
    }

    private func firstBoundary(atOrBefore date: CivilDate, hour: Int) -> Boundary {
        switch self {
        case .hourly:
            return Boundary(date: date, hour: hour)
        case .weekly(let weekStart):
            let days = date.daysSinceEpoch
            let back = (Weekday(daysSinceEpoch: days).rawValue - weekStart.rawValue + 7) % 7
            return Boundary(date: CivilDate(daysSinceEpoch: days - back), hour: 0)
        case .monthly:
            return Boundary(date: CivilDate(year: date.year, month: date.month, day: 1), hour: 0)
        case .quarterly:
            return Boundary(date: CivilDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1), hour: 0)
        case .yearly:
            return Boundary(date: CivilDate(year: date.year, month: 1, day: 1), hour: 0)
        case .daily, .total, .rolling:
            return Boundary(date: date, hour: 0)
        }
    }

    private func nextBoundary(after boundary: Boundary) -> Boundary {
        let date = boundary.date
        switch self {
        case .hourly:
            return boundary.hour == 23
                ? Boundary(date: CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1), hour: 0)
                : Boundary(date: date, hour: boundary.hour + 1)
        case .weekly:
            return Boundary(date: CivilDate(daysSinceEpoch: date.daysSinceEpoch + 7), hour: 0)
        case .monthly:
            return Boundary(date: Self.firstOfMonth(date.year, date.month + 1), hour: 0)
        case .quarterly:
            return Boundary(date: Self.firstOfMonth(date.year, date.month + 3), hour: 0)
        case .yearly:
            return Boundary(date: CivilDate(year: date.year + 1, month: 1, day: 1), hour: 0)
        case .daily, .total, .rolling:
            return Boundary(date: CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1), hour: 0)
        }
    }

    private static func firstOfMonth(_ year: Int, _ month: Int) -> CivilDate {
        month > 12 ? CivilDate(year: year + 1, month: month - 12, day: 1) : CivilDate(year: year, month: month, day: 1)
    }
}
