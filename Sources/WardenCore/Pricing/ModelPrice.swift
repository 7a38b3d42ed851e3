/// What one model costs: base per-token prices plus optional size tiers, and the cost rule.
///
/// ## The cost rule
///
/// A call's ``TokenUsage`` is split into five buckets that partition its tokens, and each
/// bucket is billed at its own per-token price:
///
/// | bucket         | tokens                               | price                                |
/// |----------------|--------------------------------------|--------------------------------------|
/// | uncached input | input − cache read − cache creation  | input                                |
/// | cache read     | cache read                           | cache read, else input               |
/// | cache creation | cache creation                       | cache creation, else input           |
/// | visible output | output − reasoning                   | output                               |
/// | reasoning      | reasoning                            | reasoning, else output               |
///
/// `cost = Σ tokens × price`, computed exactly in 10⁻¹⁸ units: there is no rounding anywhere
/// in the computation, so a cost, and any sum of costs, is the exact decimal result.
///
/// **Tiers.** An entry may have tiers "above N input tokens". When the call's input tokens
/// (all of them, cached ones included) are *strictly greater* than N, the tier's prices apply
/// to every bucket of the whole call, not only to the tokens past N. A bucket the tier does
/// not price keeps its base price. When several tiers are exceeded, the one with the highest
/// N wins. The fallbacks above are applied after the tier is chosen, to the prices in force:
/// in a tier that reprices input but where no cache-read price exists at all, cache reads pay
/// the tier's input price.
///
/// **LiteLLM catalogs.** An entry's fields map to the buckets as `input_cost_per_token` →
/// input, `output_cost_per_token` → output, `cache_read_input_token_cost` → cache read
/// (or `input_cost_per_token_cache_hit` when that is absent), `cache_creation_input_token_cost`
/// → cache creation, `output_cost_per_reasoning_token` → reasoning; `<field>_above_<N>k_tokens`
/// (and `_above_<N>_tokens`) is the field's price in the tier above N input tokens (k = 1000).
/// This is LiteLLM's `generic_cost_per_token` for text tokens at the standard service tier,
/// with these deliberate differences: where an entry has no cache price, LiteLLM's generic
/// calculator (`litellm_core_utils/llm_cost_calc/utils.py`) defaults it to 0 and bills cache
/// tokens as free, while we bill them at the input price (never under-count); for xAI, LiteLLM
/// applies a tier from exactly N tokens, while we use strictly greater for every provider; and
/// cache writes are all priced at the standard cache-write price, since usage events do not
/// say which were 1-hour writes. See ``LiteLLMImporter`` for what is skipped or ignored.
///
/// `cost(of:)` allocates nothing: tiers are resolved to ``EffectivePrices`` once, at init.
/// It assumes a valid usage (cache counts within input, reasoning within output), which the
/// ingest path checks; given an inconsistent one it still computes the formula exactly.
public struct ModelPrice: Sendable, Hashable {
    /// Base prices; ``TokenPrices/input`` and ``TokenPrices/output`` are always set.
    public let base: TokenPrices
    /// Tiers in ascending order of ``PriceTier/aboveInputTokens``, thresholds unique.
    public let tiers: [PriceTier]

    private let baseEffective: EffectivePrices
    /// Resolved tiers, highest threshold first, so the first one exceeded is the one that wins.
    private let tiersHighestFirst: [ResolvedTier]

    private struct ResolvedTier: Sendable, Hashable {
        var aboveInputTokens: Int64
        var prices: EffectivePrices
    }

    /// - Parameter tiers: in any order; when two tiers share a threshold, the prices of the
    ///   later one override those of the earlier one bucket by bucket.
    public init(
        input: Money, output: Money, cacheRead: Money? = nil, cacheCreation: Money? = nil,
        reasoning: Money? = nil, tiers: [PriceTier] = []
    ) {
        let base = TokenPrices(
            input: input, output: output, cacheRead: cacheRead,
            cacheCreation: cacheCreation, reasoning: reasoning)
        var merged: [Int64: TokenPrices] = [:]
        for tier in tiers {
            merged[tier.aboveInputTokens] = (merged[tier.aboveInputTokens] ?? TokenPrices()).overlaid(by: tier.prices)
        }
        let sortedTiers = merged.map { PriceTier(aboveInputTokens: $0.key, prices: $0.value) }
            .sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        self.base = base
        self.tiers = sortedTiers
        self.baseEffective = EffectivePrices(resolving: base, input: input, output: output)
        self.tiersHighestFirst = sortedTiers.reversed().map { tier in
            let inForce = base.overlaid(by: tier.prices)
            return ResolvedTier(
                aboveInputTokens: tier.aboveInputTokens,
                prices: EffectivePrices(resolving: inForce, input: inForce.input ?? input, output: inForce.output ?? output))
        }
    }

    /// Builds a price from declared base prices; `nil` when the base lacks an input or output price.
    public init?(base: TokenPrices, tiers: [PriceTier] = []) {
        guard let input = base.input, let output = base.output else { return nil }
        self.init(
            input: input, output: output, cacheRead: base.cacheRead, cacheCreation: base.cacheCreation,
            reasoning: base.reasoning, tiers: tiers)
    }

    /// The tier in force for a call with `inputTokens` input tokens (its threshold), or `nil`
    /// when the base prices apply.
    public func appliedTier(forInputTokens inputTokens: Int64) -> Int64? {
        for tier in tiersHighestFirst where inputTokens > tier.aboveInputTokens {
            return tier.aboveInputTokens
        }
        return nil
    }

    /// The per-token prices in force for a call with `inputTokens` input tokens.
    @inline(__always)
    public func effectivePrices(forInputTokens inputTokens: Int64) -> EffectivePrices {
        for tier in tiersHighestFirst where inputTokens > tier.aboveInputTokens {
            return tier.prices
        }
        return baseEffective
    }

    /// The exact cost of one call (see the cost rule above).
    public func cost(of usage: TokenUsage) -> Money {
        let prices = effectivePrices(forInputTokens: usage.input)
        var attos = prices.input.attos * Int128(usage.uncachedInput)
        attos += prices.cacheRead.attos * Int128(usage.cacheRead)
        attos += prices.cacheCreation.attos * Int128(usage.cacheCreation)
        attos += prices.output.attos * Int128(usage.visibleOutput)
        attos += prices.reasoning.attos * Int128(usage.reasoning)
        return Money(attos: attos)
    }

    /// The cost of one call bucket by bucket; its ``CostBreakdown/total`` equals ``cost(of:)``.
    public func breakdown(of usage: TokenUsage) -> CostBreakdown {
        let prices = effectivePrices(forInputTokens: usage.input)
        return CostBreakdown(
            uncachedInput: .init(tokens: usage.uncachedInput, pricePerToken: prices.input),
            cacheRead: .init(tokens: usage.cacheRead, pricePerToken: prices.cacheRead),
            cacheCreation: .init(tokens: usage.cacheCreation, pricePerToken: prices.cacheCreation),
            visibleOutput: .init(tokens: usage.visibleOutput, pricePerToken: prices.output),
            reasoning: .init(tokens: usage.reasoning, pricePerToken: prices.reasoning),
            appliedTier: appliedTier(forInputTokens: usage.input)
        )
    }
}
