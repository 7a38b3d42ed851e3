/// The per-token price each bucket of one call is billed at, after tier selection and
/// fallbacks: what ``ModelPrice/cost(of:)`` multiplies token counts by.
public struct EffectivePrices: Sendable, Hashable {
    public var input: Money
    public var output: Money
    public var cacheRead: Money
    public var cacheCreation: Money
    public var reasoning: Money
    public var audioInput: Money
    public var audioOutput: Money

    public init(
        input: Money, output: Money, cacheRead: Money, cacheCreation: Money, reasoning: Money,
        audioInput: Money? = nil, audioOutput: Money? = nil
    ) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
        self.audioInput = audioInput ?? input
        self.audioOutput = audioOutput ?? output
    }

    /// Applies the fallbacks of the cost rule to declared prices whose input and output are set:
    /// cache buckets and audio input without a price pay the input price, reasoning and audio
    /// output without one the output price.
    init(resolving prices: TokenPrices, input: Money, output: Money) {
        self.init(
            input: input,
            output: output,
            cacheRead: prices.cacheRead ?? input,
            cacheCreation: prices.cacheCreation ?? input,
            reasoning: prices.reasoning ?? output,
            audioInput: prices.audioInput ?? input,
            audioOutput: prices.audioOutput ?? output
        )
    }
}
