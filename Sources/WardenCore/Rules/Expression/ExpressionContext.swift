/// What a condition can see of one pre-flight request. Built by the caller for each decision.
///
/// The clock fields are already in the rule's evaluation time zone: the caller converts the
/// request time, so the expression language never reads a clock or a time-zone database.
public struct ExpressionContext: Sendable {
    public var provider: String
    public var model: String
    public var attribution: Attribution
    public var estimatedInputTokens: Int64
    public var maxOutputTokens: Int64
    /// Estimated cost in currency units (exact).
    public var estimatedCost: Money
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int
    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int
    /// Spent ÷ limit of each budget, as an exact decimal carried in a ``Money`` (0.85 = 85 %),
    /// in the order of ``ExpressionVariables/budgetNames``. A budget past the end of the array
    /// reads as 0.
    public var budgetRatios: [Money]

    public init(
        provider: String, model: String, attribution: Attribution = Attribution(),
        estimatedInputTokens: Int64 = 0, maxOutputTokens: Int64 = 0, estimatedCost: Money = .zero,
        hour: Int = 0, minute: Int = 0, weekday: Int = 1, budgetRatios: [Money] = []
    ) {
        self.provider = provider
        self.model = model
        self.attribution = attribution
        self.estimatedInputTokens = estimatedInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.estimatedCost = estimatedCost
        self.hour = hour
        self.minute = minute
        self.weekday = weekday
        self.budgetRatios = budgetRatios
    }

    static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// The lower-case English name, or "" for a weekday outside 1…7.
    var weekdayName: String {
        (1...7).contains(weekday) ? ExpressionContext.weekdayNames[weekday - 1] : ""
    }
}
