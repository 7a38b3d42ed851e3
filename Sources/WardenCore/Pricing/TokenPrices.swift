/// The per-token prices a catalog entry (or one of its tiers) declares for the seven billing
/// buckets of a call. `nil` means "not priced separately": ``ModelPrice`` then applies the
/// fallbacks of the cost rule (cache buckets and audio input at the input price, reasoning and
/// audio output at the output price).
///
/// Prices are always per token here, whatever unit the file used (`per: million` is divided
/// out while loading, exactly).
public struct TokenPrices: Sendable, Hashable {
    public var input: Money?
    public var output: Money?
    public var cacheRead: Money?
    public var cacheCreation: Money?
    public var reasoning: Money?
    public var audioInput: Money?
    public var audioOutput: Money?

    public init(
        input: Money? = nil, output: Money? = nil, cacheRead: Money? = nil,
        cacheCreation: Money? = nil, reasoning: Money? = nil, audioInput: Money? = nil, audioOutput: Money? = nil
    ) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
        self.audioInput = audioInput
        self.audioOutput = audioOutput
    }

    /// True when no bucket has a price.
    public var isEmpty: Bool {
        input == nil && output == nil && cacheRead == nil && cacheCreation == nil && reasoning == nil
            && audioInput == nil && audioOutput == nil
    }

    /// Every declared price, in bucket order, with its file-format key (`input`, `cache_read` ...).
    public var declared: [(key: String, price: Money)] {
        var result: [(key: String, price: Money)] = []
        if let input { result.append(("input", input)) }
        if let output { result.append(("output", output)) }
        if let cacheRead { result.append(("cache_read", cacheRead)) }
        if let cacheCreation { result.append(("cache_creation", cacheCreation)) }
        if let reasoning { result.append(("reasoning", reasoning)) }
        if let audioInput { result.append(("audio_input", audioInput)) }
        if let audioOutput { result.append(("audio_output", audioOutput)) }
        return result
    }

    /// These prices with every bucket `overlay` declares replaced by the overlay's price.
    func overlaid(by overlay: TokenPrices) -> TokenPrices {
        TokenPrices(
            input: overlay.input ?? input,
            output: overlay.output ?? output,
            cacheRead: overlay.cacheRead ?? cacheRead,
            cacheCreation: overlay.cacheCreation ?? cacheCreation,
            reasoning: overlay.reasoning ?? reasoning,
            audioInput: overlay.audioInput ?? audioInput,
            audioOutput: overlay.audioOutput ?? audioOutput
        )
    }
}
