/// The per-token prices a catalog entry (or one of its tiers) declares for the five billing
/// buckets of a call. `nil` means "not priced separately": ``ModelPrice`` then applies the
/// fallbacks of the cost rule (cache buckets at the input price, reasoning at the output price).
///
/// Prices are always per token here, whatever unit the file used (`per: million` is divided
/// out while loading, exactly).
public struct TokenPrices: Sendable, Hashable {
    public var input: Money?
    public var output: Money?
    public var cacheRead: Money?
    public var cacheCreation: Money?
    public var reasoning: Money?

    public init(
        input: Money? = nil, output: Money? = nil, cacheRead: Money? = nil,
        cacheCreation: Money? = nil, reasoning: Money? = nil
    ) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
    }

    /// True when no bucket has a price.
    public var isEmpty: Bool {
        input == nil && output == nil && cacheRead == nil && cacheCreation == nil && reasoning == nil
    }

    /// Every declared price, in bucket order, with its file-format key (`input`, `cache_read` ...).
    public var declared: [(key: String, price: Money)] {
        var result: [(key: String, price: Money)] = []
        if let input { result.append(("input", input)) }
        if let output { result.append(("output", output)) }
        if let cacheRead { result.append(("cache_read", cacheRead)) }
        if let cacheCreation { result.append(("cache_creation", cacheCreation)) }
        if let reasoning { result.append(("reasoning", reasoning)) }
        return result
    }

    /// These prices with every bucket `overlay` declares replaced by the overlay's price.
    func overlaid(by overlay: TokenPrices) -> TokenPrices {
        TokenPrices(
            input: overlay.input ?? input,
            output: overlay.output ?? output,
            cacheRead: overlay.cacheRead ?? cacheRead,
            cacheCreation: overlay.cacheCreation ?? cacheCreation,
            reasoning: overlay.reasoning ?? reasoning
        )
    }
}
