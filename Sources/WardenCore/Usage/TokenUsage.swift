/// The token counts of one LLM call, as reported by the agent or gateway.
///
/// Follows the OpenTelemetry GenAI convention: ``input`` counts *all* input tokens, cached ones
/// included; the cache counts are subsets of it, and ``reasoning`` is a subset of ``output``.
/// The four billing buckets derived here partition all tokens, which is what makes
/// `sum(tokenwarden_tokens_total)` the true total.
public struct TokenUsage: Sendable, Hashable {
    public var input: Int64
    public var output: Int64
    public var cacheRead: Int64
    public var cacheCreation: Int64
    public var reasoning: Int64

    public init(input: Int64, output: Int64, cacheRead: Int64 = 0, cacheCreation: Int64 = 0, reasoning: Int64 = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
    }

    /// Input tokens that were neither read from nor written to a cache.
    public var uncachedInput: Int64 { input - cacheRead - cacheCreation }
    /// Output tokens that were not reasoning tokens.
    public var visibleOutput: Int64 { output - reasoning }
}
