/// The token counts of one LLM call, as reported by the agent or gateway.
///
/// Follows the OpenTelemetry GenAI convention: ``input`` counts *all* input tokens, cached ones
/// and audio ones included; the cache counts and ``audioInput`` are disjoint subsets of it, and
/// ``reasoning`` and ``audioOutput`` are disjoint subsets of ``output``. ``audioInput`` counts the
/// audio tokens that were neither read from nor written to a cache (cached audio tokens are
/// cache tokens, priced as such). The billing buckets derived here partition all tokens, which is
/// what makes `sum(tokenwarden_tokens_total)` the true total.
public struct TokenUsage: Sendable, Hashable {
    public var input: Int64
    public var output: Int64
    public var cacheRead: Int64
    public var cacheCreation: Int64
    public var reasoning: Int64
    /// Uncached audio input tokens: a subset of ``input``, disjoint from the cache counts.
    public var audioInput: Int64
    /// Audio output tokens: a subset of ``output``, disjoint from ``reasoning``.
    public var audioOutput: Int64

    public init(
        input: Int64, output: Int64, cacheRead: Int64 = 0, cacheCreation: Int64 = 0, reasoning: Int64 = 0,
        audioInput: Int64 = 0, audioOutput: Int64 = 0
    ) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
        self.audioInput = audioInput
        self.audioOutput = audioOutput
    }

    /// Text input tokens that were neither read from nor written to a cache.
    public var uncachedInput: Int64 { input - cacheRead - cacheCreation - audioInput }
    /// Output tokens that were neither reasoning nor audio tokens.
    public var visibleOutput: Int64 { output - reasoning - audioOutput }
    /// Output tokens that were not audio tokens (text, reasoning included).
    public var textOutput: Int64 { output - audioOutput }
}
