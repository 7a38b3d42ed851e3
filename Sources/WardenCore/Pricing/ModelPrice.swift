/// What one model costs: base per-token prices plus optional size tiers, per-unit media
/// prices, and the cost rule.
///
/// ## The cost rule
///
/// A call's ``TokenUsage`` is split into seven buckets that partition its tokens, and each
/// bucket is billed at its own per-token price:
///
/// | bucket         | tokens                                            | price                         |
/// |----------------|---------------------------------------------------|-------------------------------|
/// | uncached input | input − cache read − cache creation − audio input | input                         |
/// | audio input    | audio input (uncached)                            | audio input, else input       |
/// | cache read     | cache read                                        | cache read, else input        |
/// | cache creation | cache creation                                    | cache creation, else input    |
/// | visible output | output − reasoning − audio output                 | output                        |
/// | reasoning      | reasoning                                         | reasoning, else output        |
/// | audio output   | audio output                                      | audio output, else output     |
///
/// `cost = Σ tokens × price`, computed exactly in 10⁻¹⁸ units: there is no rounding anywhere
/// in the computation, so a cost, and any sum of costs, is the exact decimal result.
///
/// **Media units** (``cost(of:media:)``) add to that: images × the entry's per-image price for
/// the event's size and quality (``MediaPrices/imagePrice(size:quality:)``), and audio seconds ×
/// the per-second prices. Seconds carry microseconds, so a per-second price with more than 12
/// decimals gives a product finer than 10⁻¹⁸; that product alone is rounded, half to even, to
/// 10⁻¹⁸. A unit the event uses and the entry does not price is a ``MissingPrice``, never zero.
/// An entry priced only per unit (``pricesTokens`` false) has no token prices: an event of it
/// with tokens is a ``MissingPrice/tokens``.
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
    /// Base prices; ``TokenPrices/input`` and ``TokenPrices/output`` are always set (to zero on
    /// an entry priced only per unit).
    public let base: TokenPrices
    /// Tiers in ascending order of ``PriceTier/aboveInputTokens``, thresholds unique.
    public let tiers: [PriceTier]
    /// Per-image and per-second prices.
    public let media: MediaPrices
    /// False for an entry priced only per image or per second (a transcription or image model
    /// whose catalog entry has no token prices).
    public let pricesTokens: Bool

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
        reasoning: Money? = nil, audioInput: Money? = nil, audioOutput: Money? = nil, tiers: [PriceTier] = [],
        media: MediaPrices = .none
    ) {
        self.init(input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation,
                  reasoning: reasoning, audioInput: audioInput, audioOutput: audioOutput, tiers: tiers,
                  media: media, pricesTokens: true)
    }

    private init(
        input: Money, output: Money, cacheRead: Money?, cacheCreation: Money?, reasoning: Money?,
        audioInput: Money?, audioOutput: Money?, tiers: [PriceTier], media: MediaPrices, pricesTokens: Bool
    ) {
        let base = TokenPrices(
            input: input, output: output, cacheRead: cacheRead,
            cacheCreation: cacheCreation, reasoning: reasoning, audioInput: audioInput, audioOutput: audioOutput)
        var merged: [Int64: TokenPrices] = [:]
        for tier in tiers {
            merged[tier.aboveInputTokens] = (merged[tier.aboveInputTokens] ?? TokenPrices()).overlaid(by: tier.prices)
        }
        let sortedTiers = merged.map { PriceTier(aboveInputTokens: $0.key, prices: $0.value) }
            .sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        self.base = base
        self.tiers = sortedTiers
        self.media = media
        self.pricesTokens = pricesTokens
        self.baseEffective = EffectivePrices(resolving: base, input: input, output: output)
        self.tiersHighestFirst = sortedTiers.reversed().map { tier in
            let inForce = base.overlaid(by: tier.prices)
            return ResolvedTier(
                aboveInputTokens: tier.aboveInputTokens,
                prices: EffectivePrices(resolving: inForce, input: inForce.input ?? input, output: inForce.output ?? output))
        }
    }

    /// A price for an entry priced only per unit: every token price is zero and
    /// ``pricesTokens`` is false, so an event with tokens is unpriced rather than free.
    public static func perUnitOnly(_ media: MediaPrices) -> ModelPrice {
        ModelPrice(input: .zero, output: .zero, cacheRead: nil, cacheCreation: nil, reasoning: nil, audioInput: nil,
                   audioOutput: nil, tiers: [], media: media, pricesTokens: false)
    }

    /// Builds a price from declared base prices; `nil` when the base lacks an input or output
    /// price, unless it declares no token price at all and `media` has a price (a per-unit-only entry).
    public init?(base: TokenPrices, tiers: [PriceTier] = [], media: MediaPrices = .none) {
        guard let input = base.input, let output = base.output else {
            guard base.isEmpty, tiers.isEmpty, !media.isEmpty else { return nil }
            self = .perUnitOnly(media)
            return
        }
        self.init(
            input: input, output: output, cacheRead: base.cacheRead, cacheCreation: base.cacheCreation,
            reasoning: base.reasoning, audioInput: base.audioInput, audioOutput: base.audioOutput, tiers: tiers,
            media: media)
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
        attos += prices.audioInput.attos * Int128(usage.audioInput)
        attos += prices.audioOutput.attos * Int128(usage.audioOutput)
        return Money(attos: attos)
    }

    /// The exact cost of one call with its media units, or the first unit it used that this
    /// entry has no price for (see the cost rule above).
    public func cost(of usage: TokenUsage, media units: MediaUsage) -> Result<Money, MissingPrice> {
        if !pricesTokens && (usage.input != 0 || usage.output != 0) { return .failure(.tokens) }
        var total = pricesTokens ? cost(of: usage) : .zero
        if units.isEmpty { return .success(total) }
        switch mediaCost(of: units) {
        case .success(let media): total += media
        case .failure(let missing): return .failure(missing)
        }
        return .success(total)
    }

    /// The per-unit part of a call's cost alone.
    public func mediaCost(of usage: MediaUsage) -> Result<Money, MissingPrice> {
        var total = Money.zero
        if usage.images != 0 {
            guard let price = media.imagePrice(size: usage.imageSize, quality: usage.imageQuality) else {
                return .failure(.image(size: usage.imageSize, quality: usage.imageQuality))
            }
            total += price * usage.images
        }
        if !usage.audioInputSeconds.isZero {
            guard let price = media.audioInputPerSecond else { return .failure(.audioInputSeconds) }
            total += Self.perSecond(price, usage.audioInputSeconds)
        }
        if !usage.audioOutputSeconds.isZero {
            guard let price = media.audioOutputPerSecond else { return .failure(.audioOutputSeconds) }
            total += Self.perSecond(price, usage.audioOutputSeconds)
        }
        return .success(total)
    }

    /// `price × seconds`, the one product that can be finer than 10⁻¹⁸: rounded half to even,
    /// saturating at ``Money``'s bounds.
    static func perSecond(_ price: Money, _ seconds: MediaSeconds) -> Money {
        let (product, overflow) = price.attos.multipliedReportingOverflow(by: Int128(seconds.microseconds))
        if overflow { return price.attos < 0 ? .minimum : .maximum }
        return Money(attos: Money.divideRoundingHalfEven(product, by: Int128(MediaSeconds.microsecondsPerSecond)))
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
            audioInput: .init(tokens: usage.audioInput, pricePerToken: prices.audioInput),
            audioOutput: .init(tokens: usage.audioOutput, pricePerToken: prices.audioOutput),
            appliedTier: appliedTier(forInputTokens: usage.input)
        )
    }
}
