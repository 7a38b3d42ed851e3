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
    /// Uncached audio input tokens.
    public var audioInput: Line
    public var audioOutput: Line
    /// The threshold of the tier in force, or `nil` for the base prices.
    public var appliedTier: Int64?

    public init(
        uncachedInput: Line, cacheRead: Line, cacheCreation: Line, visibleOutput: Line, reasoning: Line,
        audioInput: Line = Line(tokens: 0, pricePerToken: .zero), audioOutput: Line = Line(tokens: 0, pricePerToken: .zero),
        appliedTier: Int64?
    ) {
        self.uncachedInput = uncachedInput
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.visibleOutput = visibleOutput
        self.reasoning = reasoning
        self.audioInput = audioInput
        self.audioOutput = audioOutput
        self.appliedTier = appliedTier
    }

    /// The buckets in display order, with their names; the audio buckets only when the call has audio tokens.
    public var lines: [(bucket: String, line: Line)] {
        var lines: [(bucket: String, line: Line)] = [
            ("uncached input", uncachedInput), ("cache read", cacheRead), ("cache creation", cacheCreation),
            ("output", visibleOutput), ("reasoning", reasoning),
        ]
        if audioInput.tokens != 0 { lines.append(("audio input", audioInput)) }
        if audioOutput.tokens != 0 { lines.append(("audio output", audioOutput)) }
        return lines
    }

    public var total: Money {
        uncachedInput.cost + cacheRead.cost + cacheCreation.cost + visibleOutput.cost + reasoning.cost + audioInput.cost
            + audioOutput.cost
    }
}
