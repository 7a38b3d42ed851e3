/// One window of a ``BudgetPeriod``: the span `[start, end)` whose usage counts against a budget.
///
/// `end` is what `tokenwarden_budget_period_end_timestamp_seconds` exposes. It is `nil` for
/// `total` (never resets) and for `rolling` windows, which slide: a rolling window computed at
/// instant `t` is `[t − duration, t]`, and the caller sums the usage in it — inclusive of `t` —
/// rather than waiting for a rollover.
public struct PeriodWindow: Sendable, Hashable, CustomStringConvertible {
    public var period: BudgetPeriod
    public var start: Timestamp
    public var end: Timestamp?
    /// The wall-clock reading that names the window: its nominal local start (midnight of the
    /// first day; for `hourly` the hour). In a DST gap the real start is later (see
    /// ``BudgetPeriod/window(containing:in:)``); the name is not.
    public var nominalStart: CivilDate
    public var nominalHour: Int

    public init(period: BudgetPeriod, start: Timestamp, end: Timestamp?, nominalStart: CivilDate, nominalHour: Int) {
        self.period = period
        self.start = start
        self.end = end
        self.nominalStart = nominalStart
        self.nominalHour = nominalHour
    }

    /// Whether `instant` is in `[start, end)`; for an open window (`total`, `rolling`), whether it
    /// is at or after `start`.
    public func contains(_ instant: Timestamp) -> Bool {
        instant >= start && (end.map { instant < $0 } ?? true)
    }

    /// A stable name for the window, in local time, for persistence and for `simulate` output:
    /// `2026-11-23T14` (hourly), `2026-11-23` (daily), `2026-W48` (weekly), `2026-11` (monthly),
    /// `2026-Q4` (quarterly), `2026` (yearly), `total`, `rolling`.
    ///
    /// Weekly windows are named by the ISO 8601 week (with its week-based year) of the Monday they
    /// contain — for Monday-start weeks, simply their ISO week. Every 7-day window contains exactly
    /// one Monday, so names stay unique whatever the week start.
    ///
    /// Computed on demand, so that ``BudgetPeriod/window(containing:in:)`` does not build a string.
    public var identifier: String {
        let date = nominalStart
        switch period {
        case .hourly: return "\(Self.pad(date.year, 4))-\(Self.pad(date.month, 2))-\(Self.pad(date.day, 2))T\(Self.pad(nominalHour, 2))"
        case .daily: return "\(Self.pad(date.year, 4))-\(Self.pad(date.month, 2))-\(Self.pad(date.day, 2))"
        case .weekly(let weekStart):
            let monday = date.daysSinceEpoch + (Weekday.monday.rawValue - weekStart.rawValue + 7) % 7
            let thursday = monday + 3  // the ISO week-based year is the year of the week's Thursday
            let weekYear = CivilDate(daysSinceEpoch: thursday).year
            let week = (thursday - CivilDate(year: weekYear, month: 1, day: 1).daysSinceEpoch) / 7 + 1
            return "\(Self.pad(weekYear, 4))-W\(Self.pad(week, 2))"
        case .monthly: return "\(Self.pad(date.year, 4))-\(Self.pad(date.month, 2))"
        case .quarterly: return "\(Self.pad(date.year, 4))-Q\((date.month - 1) / 3 + 1)"
        case .yearly: return Self.pad(date.year, 4)
        case .total: return "total"
        case .rolling: return "rolling"
        }
    }

    public var description: String {
        "\(identifier) [\(start), \(end.map(\.description) ?? "…"))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
