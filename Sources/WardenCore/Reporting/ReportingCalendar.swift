/// The one time zone and week start that "today", "this week" and "this month" mean wherever
/// TokenWarden reports spend: the period gauges, `tokenwarden_user_spend` and the spend page
/// (`reporting:` in `tokenwarden.yaml`). Budgets keep their own zones.
///
/// Periods follow the zone's wall clock as budget periods do (see
/// ``BudgetPeriod/window(containing:in:)``): a day with a DST change lasts 23 or 25 hours.
public struct ReportingCalendar: Sendable, Hashable {
    public var timeZone: TimeZoneRules
    public var weekStart: Weekday

    public init(timeZone: TimeZoneRules = .utc, weekStart: Weekday = .monday) {
        self.timeZone = timeZone
        self.weekStart = weekStart
    }

    public static let utc = ReportingCalendar()

    /// The budget period whose windows are this reporting period's.
    public func budgetPeriod(_ period: ReportingPeriod) -> BudgetPeriod {
        switch period {
        case .day: .daily
        case .week: .weekly(weekStart: weekStart)
        case .month: .monthly
        }
    }

    /// The day, week and month that contain `instant`.
    public func windows(containing instant: Timestamp) -> ReportingWindows {
        ReportingWindows(day: budgetPeriod(.day).window(containing: instant, in: timeZone),
                         week: budgetPeriod(.week).window(containing: instant, in: timeZone),
                         month: budgetPeriod(.month).window(containing: instant, in: timeZone))
    }
}
