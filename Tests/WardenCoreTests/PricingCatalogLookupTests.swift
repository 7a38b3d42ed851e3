import Testing
@testable import WardenCore
import WardenFormats

private func price(_ input: Int128) -> ModelPrice { ModelPrice(input: Money(attos: input), output: Money(attos: 1)) }

private func entry(_ provider: String, _ model: String, _ input: Int128, from date: CivilDate? = nil) -> PriceEntry {
    PriceEntry(provider: provider, model: model, effectiveFrom: date, price: price(input))
}

private func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

private let now = time("2026-01-01T00:00:00Z")

@Suite("Price lookup")
struct PricingCatalogLookupTests {
    static let catalog = PriceCatalog(
        entries: [
            entry("openai", "gpt-4o", 10),
            entry("azure", "gpt-4o", 11),
            entry("openai", "gpt-4o-mini", 20),
            entry("anthropic", "claude-sonnet-4-5", 30),
            entry("gemini", "gemini/gemini-2.5-pro", 40),
            entry("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0", 50),
            entry("vertex_ai-language-models", "gemini-2.5-flash", 60),
        ],
        aliases: [
            ModelAlias(alias: "gpt-4o-latest", provider: "openai", model: "gpt-4o"),
            ModelAlias(alias: "sonnet", provider: "anthropic", model: "claude-sonnet-4-5"),
            ModelAlias(alias: "ghost", provider: "openai", model: "gpt-9"),
        ])

    private func find(_ provider: String, _ model: String, at time: Timestamp = now) -> (Int128, PriceMatch.Rule)? {
        Self.catalog.lookup(provider: provider, model: model, at: time).map { ($0.price.base.input!.attos, $0.rule) }
    }

    @Test func theExactProviderAndModelPairComesFirst() {
        #expect(find("azure", "gpt-4o")! == (11, .exactPair))
        #expect(find("openai", "gpt-4o")! == (10, .exactPair))
    }

    @Test func aModelNamePricedUnderOneProviderMatchesAnyProvider() {
        #expect(find("openrouter", "gpt-4o-mini")! == (20, .modelName))
        #expect(find("vertex_ai", "gemini-2.5-flash")! == (60, .modelName))
        #expect(find("", "claude-sonnet-4-5")! == (30, .modelName))
    }

    @Test func aModelNamePricedUnderSeveralProvidersIsNotGuessed() {
        #expect(find("openrouter", "gpt-4o") == nil)
    }

    @Test func theProviderPrefixIsAddedToTheModelName() {
        #expect(find("gemini", "gemini-2.5-pro")! == (40, .providerPrefix))
    }

    @Test func theProviderPrefixIsRemovedFromTheModelName() {
        #expect(find("openai", "openai/gpt-4o")! == (10, .providerPrefix))
        #expect(find("bedrock", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")! == (50, .providerPrefix))
        #expect(find("openai", "openai/") == nil)
    }

    @Test func onlyTheEventsOwnProviderIsAddedOrRemoved() {
        #expect(find("vertex_ai", "gemini-2.5-pro") == nil)
        #expect(find("openai", "azure/gpt-4o") == nil)
    }

    @Test func anAliasIsTriedLast() {
        #expect(find("whatever", "gpt-4o-latest")! == (10, .alias))
        #expect(find("anthropic", "sonnet")! == (30, .alias))
    }

    @Test func anAliasToAnUnpricedModelMatchesNothingAndIsReported() {
        #expect(find("openai", "ghost") == nil)
        #expect(Self.catalog.warnings == ["warning: alias 'ghost' points to openai/gpt-9, which has no price"])
    }

    @Test func aDatedSnapshotIsNotGuessedFromItsUndatedName() {
        #expect(find("openai", "gpt-4o-2024-05-13") == nil)
        #expect(find("anthropic", "claude-sonnet-4-5-20250929") == nil)
    }

    @Test func namesAreComparedExactly() {
        #expect(find("openai", "GPT-4o") == nil)
        #expect(find("OpenAI", "gpt-4o") == nil)  // ambiguous by name alone
    }

    @Test func theLatestVersionInForceAtTheEventTimeApplies() {
        let catalog = PriceCatalog(entries: [
            entry("openai", "gpt-4o", 3, from: CivilDate(year: 2024, month: 8, day: 6)),
            entry("openai", "gpt-4o", 5, from: CivilDate(year: 2024, month: 5, day: 13)),
            entry("openai", "gpt-4o", 2, from: CivilDate(year: 2025, month: 1, day: 1)),
        ])
        func at(_ text: String) -> Int128? { catalog.lookup(provider: "openai", model: "gpt-4o", at: time(text))?.price.base.input?.attos }
        #expect(at("2024-05-12T23:59:59.999999999Z") == nil)  // before the first version: unknown
        #expect(at("2024-05-13T00:00:00Z") == 5)
        #expect(at("2024-08-05T23:59:59Z") == 5)
        #expect(at("2024-08-06T00:00:00Z") == 3)
        #expect(at("2024-08-06T01:30:00+02:00") == 5)  // 2024-08-05T23:30Z
        #expect(at("2030-01-01T00:00:00Z") == 2)
    }

    @Test func anEntryWithoutADateAppliesUntilTheFirstDatedOne() {
        let catalog = PriceCatalog(entries: [
            entry("p", "m", 1),
            entry("p", "m", 2, from: CivilDate(year: 2025, month: 6, day: 1)),
        ])
        #expect(catalog.lookup(provider: "p", model: "m", at: time("1990-01-01T00:00:00Z"))?.price.base.input?.attos == 1)
        #expect(catalog.lookup(provider: "p", model: "m", at: time("2025-06-01T00:00:00Z"))?.price.base.input?.attos == 2)
    }

    @Test func theRuleThatKnowsTheNameDecidesEvenBeforeItsFirstVersion() {
        let catalog = PriceCatalog(entries: [
            entry("openai", "gpt-5", 1, from: CivilDate(year: 2025, month: 8, day: 7)),
        ], aliases: [ModelAlias(alias: "gpt-5", provider: "x", model: "y")])
        #expect(catalog.lookup(provider: "openai", model: "gpt-5", at: time("2025-01-01T00:00:00Z")) == nil)
    }

    @Test func aLaterFileOverridesTheSameProviderModelAndDate() throws {
        let shipped = try PricingFileLoader.load(text: """
            models:
              - {provider: openai, model: gpt-4o, prices: {per: million, input: "2.50", output: "10"}}
              - {provider: openai, model: gpt-4o, effective_from: 2026-06-01, prices: {per: million, input: "2", output: "8"}}
            aliases:
              - {alias: four, provider: openai, model: gpt-4o}
            """, fileName: "catalog.yaml")
        let local = try PricingFileLoader.load(text: """
            models:
              - {provider: openai, model: gpt-4o, prices: {per: million, input: "1", output: "4"}}
            aliases:
              - {alias: four, provider: openai, model: gpt-4o-mini}
            """, fileName: "local.yaml")
        let catalog = PriceCatalog(files: [shipped, local])
        #expect(catalog.entries.count == 2)
        let before = catalog.lookup(provider: "openai", model: "gpt-4o", at: time("2026-01-01T00:00:00Z"))
        #expect(before?.entry.source?.file == "local.yaml")
        let after = catalog.lookup(provider: "openai", model: "gpt-4o", at: time("2026-07-01T00:00:00Z"))
        #expect(after?.entry.source?.file == "catalog.yaml")
        #expect(catalog.aliases.map(\.model) == ["gpt-4o-mini"])
    }

    @Test func theMatchCarriesTheEntrysCurrency() throws {
        let file = try PricingFileLoader.load(text: """
            currency: EUR
            models:
              - {provider: mistral, model: mistral-large, prices: {per: million, input: "2", output: "6"}}
            """, fileName: "eur.yaml")
        let match = PriceCatalog(files: [file]).lookup(provider: "mistral", model: "mistral-large", at: now)
        #expect(match?.currency == "EUR")
        #expect(match?.cost(of: TokenUsage(input: 1_000_000, output: 0)).exactDecimal == "2")
    }

    @Test func prefixVariantsAreComputedWithoutSurprises() {
        #expect(PriceCatalog.prefixVariant(provider: "openai", model: "openai/gpt-4o") == "gpt-4o")
        #expect(PriceCatalog.prefixVariant(provider: "openai", model: "gpt-4o") == "openai/gpt-4o")
        #expect(PriceCatalog.prefixVariant(provider: "openai", model: "openaix/gpt-4o") == "openai/openaix/gpt-4o")
        #expect(PriceCatalog.prefixVariant(provider: "", model: "gpt-4o") == nil)
    }
}
