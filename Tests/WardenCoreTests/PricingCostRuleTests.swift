import Testing
@testable import WardenCore
import WardenFormats

/// A per-token price from a per-million text: `perMillion("2.50")` is 0.0000025 per token.
private func perMillion(_ text: String) -> Money {
    try! PriceUnit.million.perTokenPrice(fromText: text).money
}

@Suite("Cost rule")
struct PricingCostRuleTests {
    static let full = ModelPrice(
        input: perMillion("3"), output: perMillion("15"), cacheRead: perMillion("0.30"),
        cacheCreation: perMillion("3.75"), reasoning: perMillion("20"))

    @Test func eachBucketIsBilledAtItsOwnPrice() {
        let usage = TokenUsage(input: 10_000, output: 2_000, cacheRead: 6_000, cacheCreation: 1_000, reasoning: 500)
        // 3000 × 3 + 6000 × 0.30 + 1000 × 3.75 + 1500 × 15 + 500 × 20, per million.
        #expect(Self.full.cost(of: usage).exactDecimal == "0.04705")
    }

    @Test func zeroTokensCostNothing() {
        #expect(Self.full.cost(of: TokenUsage(input: 0, output: 0)) == .zero)
    }

    @Test func cacheBucketsWithoutACachePriceAreBilledAtTheInputPrice() {
        let price = ModelPrice(input: perMillion("2"), output: perMillion("8"))
        let cached = TokenUsage(input: 1_000, output: 0, cacheRead: 400, cacheCreation: 100)
        #expect(price.cost(of: cached) == price.cost(of: TokenUsage(input: 1_000, output: 0)))
        #expect(price.cost(of: cached).exactDecimal == "0.002")
    }

    @Test func reasoningWithoutAReasoningPriceIsBilledAtTheOutputPrice() {
        let price = ModelPrice(input: perMillion("2"), output: perMillion("8"))
        let usage = TokenUsage(input: 0, output: 1_000, reasoning: 600)
        #expect(price.cost(of: usage).exactDecimal == "0.008")
    }

    @Test func aCacheHitPriceFromLiteLLMIsTheCacheReadPrice() throws {
        let json = #"{"m": {"litellm_provider": "deepseek", "mode": "chat", "input_cost_per_token": 2.8e-07,"#
            + #" "output_cost_per_token": 4.2e-07, "input_cost_per_token_cache_hit": 2.8e-08}}"#
        let entry = try #require(try LiteLLMImporter.importCatalog(bytes: Array(json.utf8), fileName: "t.json").entries.first)
        #expect(entry.price.base.cacheRead == Money(attos: 28_000_000_000))
    }

    static let tiered = ModelPrice(
        input: perMillion("1.25"), output: perMillion("10"), cacheRead: perMillion("0.125"),
        tiers: [PriceTier(aboveInputTokens: 200_000, prices: TokenPrices(input: perMillion("2.50"), output: perMillion("15")))])

    @Test func aTierAppliesOnlyStrictlyAboveItsThreshold() {
        let atThreshold = TokenUsage(input: 200_000, output: 1_000)
        let above = TokenUsage(input: 200_001, output: 1_000)
        #expect(Self.tiered.appliedTier(forInputTokens: 200_000) == nil)
        #expect(Self.tiered.cost(of: atThreshold).exactDecimal == "0.26")  // 200000 × 1.25 + 1000 × 10
        #expect(Self.tiered.appliedTier(forInputTokens: 200_001) == 200_000)
        #expect(Self.tiered.cost(of: above).exactDecimal == "0.5150025")  // 200001 × 2.50 + 1000 × 15
    }

    @Test func aTierRepricesTheWholeCallNotOnlyTheExcess() {
        let usage = TokenUsage(input: 300_000, output: 0)
        #expect(Self.tiered.cost(of: usage) == perMillion("2.50") * 300_000)
    }

    @Test func aBucketTheTierDoesNotPriceKeepsItsBasePrice() {
        let usage = TokenUsage(input: 250_000, output: 0, cacheRead: 100_000)
        // Cache reads keep 0.125 (the tier has no cache price); uncached input pays the tier's 2.50.
        #expect(Self.tiered.breakdown(of: usage).cacheRead.pricePerToken == perMillion("0.125"))
        #expect(Self.tiered.cost(of: usage).exactDecimal == "0.3875")
    }

    @Test func fallbacksUseThePricesInForceInTheTier() {
        // No cache price anywhere: in the tier, cache reads pay the tier's input price.
        let price = ModelPrice(
            input: perMillion("1"), output: perMillion("2"),
            tiers: [PriceTier(aboveInputTokens: 100, prices: TokenPrices(input: perMillion("4")))])
        let usage = TokenUsage(input: 1_000, output: 10, cacheRead: 500, reasoning: 5)
        let breakdown = price.breakdown(of: usage)
        #expect(breakdown.cacheRead.pricePerToken == perMillion("4"))
        #expect(breakdown.reasoning.pricePerToken == perMillion("2"))
    }

    @Test func theHighestExceededTierWins() {
        let price = ModelPrice(
            input: perMillion("1"), output: perMillion("2"),
            tiers: [
                PriceTier(aboveInputTokens: 256_000, prices: TokenPrices(input: perMillion("3"))),
                PriceTier(aboveInputTokens: 32_000, prices: TokenPrices(input: perMillion("2"), output: perMillion("5"))),
            ])
        #expect(price.appliedTier(forInputTokens: 32_000) == nil)
        #expect(price.appliedTier(forInputTokens: 100_000) == 32_000)
        #expect(price.appliedTier(forInputTokens: 300_000) == 256_000)
        // In the 256k tier output keeps the *base* output price: tiers do not stack.
        #expect(price.effectivePrices(forInputTokens: 300_000).output == perMillion("2"))
        #expect(price.effectivePrices(forInputTokens: 300_000).input == perMillion("3"))
    }

    @Test func theBreakdownAddsUpToTheCost() {
        let usage = TokenUsage(input: 250_000, output: 4_000, cacheRead: 100_000, cacheCreation: 5_000, reasoning: 1_000)
        for price in [Self.full, Self.tiered] {
            let breakdown = price.breakdown(of: usage)
            #expect(breakdown.total == price.cost(of: usage))
            #expect(breakdown.lines.map(\.line.tokens).reduce(0, +) == usage.input + usage.output)
        }
    }

    @Test func perMillionPricesAreDividedExactly() throws {
        #expect(perMillion("2.50") == Money(attos: 2_500_000_000_000))
        #expect(perMillion("1.5e-3") == Money(attos: 1_500_000_000))
        // 13 decimals per million = 19 per token: rounded once, half to even.
        let result = try PriceUnit.million.perTokenPrice(fromText: "0.0000000000015")
        #expect(result.wasRounded)
        #expect(result.money == Money(attos: 2))
    }
}
