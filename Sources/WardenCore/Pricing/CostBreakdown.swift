/// One call's cost bucket by bucket, as the cost rule of ``ModelPrice`` computes it: for
/// display (`tokenwarden prices cost`) and for tests. The hot path uses ``ModelPrice/cost(of:)``.
public struct CostBreakdown: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var tokens: Int64
        public var pricePerToken: Money
        public var cost: Money { pricePerToken * tokens }

        public init(tokens: Int64, pricePerToken: Money) {
            self.tokens = tokens
            self.pricePerToken = pricePerToken
        }
    }

    public var uncachedInput: Line
    public var cacheRead: Line
    public var cacheCreation: Line
    /// Output tokens that are not reasoning tokens.
    public var visibleOutput: Line
    public var reasoning: Line
    /// The threshold of the tier in force, or `nil` for the base prices.
    public var appliedTier: Int64?

    public init(
        uncachedInput: Line, cacheRead: Line, cacheCreation: Line, visibleOutput: Line, reasoning: Line,
        appliedTier: Int64?
    ) {
        self.uncachedInput = uncachedInput
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.visibleOutput = visibleOutput
        self.reasoning = reasoning
        self.appliedTier = appliedTier
    }

    /// The buckets in display order, with their names.
    public var lines: [(bucket: String, line: Line)] {
        [
            ("uncached input", uncachedInput), ("cache read", cacheRead), ("cache creation", cacheCreation),
            ("output", visibleOutput), ("reasoning", reasoning),
        ]
    }

    public var total: Money {
        uncachedInput.cost + cacheRead.cost + cacheCreation.cost + visibleOutput.cost + reasoning.cost
    }
}
