/// The current day, week and month of a ``ReportingCalendar``: the windows the period gauges
/// count spend in.
public struct ReportingWindows: Sendable, Hashable {
    public var day: PeriodWindow
    public var week: PeriodWindow
    public var month: PeriodWindow

    public init(day: PeriodWindow, week: PeriodWindow, month: PeriodWindow) {
        self.day = day
        self.week = week
        self.month = month
    }

    public subscript(period: ReportingPeriod) -> PeriodWindow {
        switch period {
        case .day: day
        case .week: week
        case .month: month
        }
    }

    /// Whether `instant` is in all three windows, so they are still the current ones then.
    public func contain(_ instant: Timestamp) -> Bool {
        day.contains(instant) && week.contains(instant) && month.contains(instant)
    }

    /// The earliest of the three starts: a restore reads events from here on.
    public var earliestStart: Timestamp { min(day.start, week.start, month.start) }
}
