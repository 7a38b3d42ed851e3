/// A period that spend is reported for: the `period` label of `tokenwarden_period_cost`.
public enum ReportingPeriod: String, Sendable, Hashable, CaseIterable {
    case day, week, month
}
