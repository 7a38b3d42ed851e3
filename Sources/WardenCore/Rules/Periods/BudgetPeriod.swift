/// The span of time a budget's usage is summed over.
///
/// Calendar periods (`hourly` … `yearly`) follow the wall clock of the budget's time zone — see
/// ``window(containing:in:)`` for how they meet DST changes. `total` never resets. `rolling`
/// slides: it always covers the last fixed ``RuleDuration`` before the instant asked about.
public enum BudgetPeriod: Sendable, Hashable, CustomStringConvertible {
    case hourly
    case daily
    /// Weeks starting at local midnight on `weekStart` (ISO 8601 weeks start on Monday).
    case weekly(weekStart: Weekday)
    case monthly
    /// Quarters starting on January, April, July and October 1.
    case quarterly
    case yearly
    case total
    /// The last `duration` before the instant asked about (`rolling: 7d` is exactly 168 hours).
    case rolling(RuleDuration)

    /// Parses a calendar period name: `hourly`, `daily`, `weekly`, `monthly`, `quarterly`,
    /// `yearly` or `total`. `rolling: 7d` is a mapping in the rule file, so the rule loader builds
    /// ``rolling(_:)`` from the duration itself.
    public init(parsing name: String, weekStart: Weekday = .monday) throws(BudgetPeriodError) {
        switch name {
        case "hourly": self = .hourly
        case "daily": self = .daily
        case "weekly": self = .weekly(weekStart: weekStart)
        case "monthly": self = .monthly
        case "quarterly": self = .quarterly
        case "yearly": self = .yearly
        case "total": self = .total
        default:
            throw BudgetPeriodError(message: "unknown period \"\(name)\" (use hourly, daily, weekly, monthly, quarterly, yearly, total, or rolling: <duration> such as rolling: 7d)")
        }
    }

    /// Whether windows are aligned to the wall clock (and so depend on the time zone).
    public var isCalendarAligned: Bool {
        switch self {
        case .total, .rolling: false
        default: true
        }
    }

    /// `weekly` for Monday-start weeks; `weekly (sunday)` otherwise; `rolling 7d`.
    public var description: String {
        switch self {
        case .hourly: "hourly"
        case .daily: "daily"
        case .weekly(let start): start == .monday ? "weekly" : "weekly (\(start))"
        case .monthly: "monthly"
        case .quarterly: "quarterly"
        case .yearly: "yearly"
        case .total: "total"
        case .rolling(let duration): "rolling \(duration)"
        }
    }
}
