/// What one series has cost in the current day, week and month of the reporting calendar: the
/// exact amounts behind `tokenwarden_period_cost`.
///
/// Each period keeps the start of the window its amounts were counted in. When the period rolls
/// over, nothing is rewritten: amounts of an earlier window are stale and read as zero, and the
/// next event of the series starts the new window's amounts. So a rollover costs nothing, however
/// many series there are.
public struct PeriodSpend: Sendable, Hashable {
    public struct Slot: Sendable, Hashable {
        /// The start of the window ``amounts`` were counted in.
        public var start: Timestamp
        public var amounts: CostAmounts

        public init(start: Timestamp, amounts: CostAmounts = CostAmounts()) {
            self.start = start
            self.amounts = amounts
        }
    }

    public var day = Slot(start: Timestamp(nanosecondsSinceEpoch: .min))
    public var week = Slot(start: Timestamp(nanosecondsSinceEpoch: .min))
    public var month = Slot(start: Timestamp(nanosecondsSinceEpoch: .min))

    public init() {}

    public subscript(period: ReportingPeriod) -> Slot {
        get {
            switch period {
            case .day: day
            case .week: week
            case .month: month
            }
        }
        set {
            switch period {
            case .day: day = newValue
            case .week: week = newValue
            case .month: month = newValue
            }
        }
    }

    /// The amounts of `period` in the window starting at `start`: empty when they were counted in
    /// another window.
    public func amounts(_ period: ReportingPeriod, windowStart start: Timestamp) -> CostAmounts {
        let slot = self[period]
        return slot.start == start ? slot.amounts : CostAmounts()
    }

    /// Adds `amounts` to `period` in the window starting at `start`, replacing amounts of an
    /// earlier window.
    public mutating func add(_ amounts: CostAmounts, _ period: ReportingPeriod, windowStart start: Timestamp) {
        if self[period].start == start {
            self[period].amounts.add(amounts)
        } else if !amounts.isEmpty {
            self[period] = Slot(start: start, amounts: amounts)
        }
    }
}
