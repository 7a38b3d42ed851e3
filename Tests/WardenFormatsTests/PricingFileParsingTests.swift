import Testing
@testable import WardenCore
import WardenFormats

private func load(_ yaml: String, file: String = "prices.yaml") throws(PricingFileErrors) -> PricingFile {
    try PricingFileLoader.load(text: yaml, fileName: file)
}

/// The errors loading `yaml` reports, as `line:col: message`.
private func errors(_ yaml: String) -> [PricingFileError] {
    do {
        _ = try load(yaml)
        return []
    } catch {
        return error.errors
    }
}

private func perMillion(_ text: String) -> Money { try! PriceUnit.million.perTokenPrice(fromText: text).money }

@Suite("Pricing file format")
struct PricingFileParsingTests {
    static let example = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {input: "2.50", output: "10.00", cache_read: "1.25", per: million}
            effective_from: 2024-08-06
            tiers:
              - {above_input_tokens: 200000, input: "5.00", output: "15.00"}
          - provider: anthropic
            model: claude-sonnet-4-5
            currency: EUR
            prices:
              per: token
              input: 0.000003
              output: 1.5e-5
              cache_read: "3e-7"
              cache_creation: 0.00000375
              reasoning: 0.000015
        aliases:
          - {alias: gpt-4o-latest, provider: openai, model: gpt-4o}
        """

    @Test func readsTheDocumentedExample() throws {
        let file = try load(Self.example)
        #expect(file.format == .tokenWarden)
        #expect(file.warnings.isEmpty)
        #expect(file.entries.count == 2)
        let gpt = file.entries[0]
        #expect(gpt.provider == "openai" && gpt.model == "gpt-4o" && gpt.currency == "USD")
        #expect(gpt.effectiveFrom == CivilDate(year: 2024, month: 8, day: 6))
        #expect(gpt.price.base == TokenPrices(input: perMillion("2.5"), output: perMillion("10"), cacheRead: perMillion("1.25")))
        #expect(gpt.price.tiers == [PriceTier(aboveInputTokens: 200_000, prices: TokenPrices(input: perMillion("5"), output: perMillion("15")))])
        #expect(gpt.source == PricingFileLocation(file: "prices.yaml", line: 3, column: 5))
        #expect(file.aliases == [ModelAlias(alias: "gpt-4o-latest", provider: "openai", model: "gpt-4o")])
    }

    @Test func perTokenPricesAreReadFromTheirTextWhetherQuotedOrNot() throws {
        let claude = try load(Self.example).entries[1]
        #expect(claude.currency == "EUR")
        #expect(claude.price.base.input == Money(attos: 3_000_000_000_000))
        #expect(claude.price.base.output == Money(attos: 15_000_000_000_000))
        #expect(claude.price.base.cacheRead == Money(attos: 300_000_000_000))
        #expect(claude.price.base.cacheCreation == Money(attos: 3_750_000_000_000))
        #expect(claude.price.base.reasoning == Money(attos: 15_000_000_000_000))
    }

    @Test func tiersInheritTheUnitOfThePricesUnlessTheyGiveTheirOwn() throws {
        let file = try load("""
            models:
              - provider: p
                model: m
                prices: {per: million, input: "1", output: "2"}
                tiers:
                  - {above_input_tokens: 1_000, input: "3"}
                  - {above_input_tokens: 2000, per: token, input: "0.000004"}
            """)
        #expect(file.entries[0].price.tiers.map(\.prices.input) == [perMillion("3"), perMillion("4")])
        #expect(file.entries[0].price.tiers.map(\.aboveInputTokens) == [1_000, 2_000])
    }

    @Test func aPriceWithMoreThanEighteenDecimalsIsRoundedWithAWarning() throws {
        let file = try load("""
            models:
              - provider: p
                model: m
                prices: {per: token, input: 2.9999900000000002e-06, output: "1"}
            """)
        #expect(file.entries[0].price.base.input?.exactDecimal == "0.00000299999")
        #expect(file.warnings.count == 1)
        #expect(file.warnings.map(\.description) == [
            "prices.yaml:4:33: warning: 'input' 2.9999900000000002e-06 has more than 18 decimals per token; rounded to 0.00000299999 per token"
        ])
    }

    @Test func anUnknownKeyIsAnErrorAtTheKey() {
        let found = errors("""
            models:
              - provider: openai
                model: gpt-4o
                colour: blue
                prices: {per: million, input: "1", output: "2"}
            """)
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("prices.yaml:4:5: unknown key \"colour\" in models[0] (known keys:") == true)
    }

    @Test func aValueOfTheWrongTypeIsAnErrorAtTheValue() {
        let found = errors("""
            models:
              - provider: openai
                model: gpt-4o
                prices: [1, 2]
            """)
        #expect(found.map { "\($0.line):\($0.column)" } == ["4:13"])
        #expect(found.first?.message.contains("must be a mapping") == true)
    }

    @Test func aNegativePriceIsAnError() {
        let found = errors("""
            models:
              - provider: openai
                model: gpt-4o
                prices: {per: million, input: "-1", output: "2"}
            """)
        #expect(found.map { "\($0.line):\($0.column)" } == ["4:35"])
        #expect(found.first?.message == "models[0].prices.input must be at least 0, not -1")
    }

    @Test func aPriceLeftBlankIsAnErrorNotTheDefaultPrice() {
        let found = errors("""
            models:
              - provider: p
                model: m
                prices: {per: token, input: "1", output: "2", cache_read: ~}
            """)
        #expect(found.map(\.description) == ["prices.yaml:4:63: models[0].prices.cache_read has no value"])
    }

    @Test func aBadDateIsAnError() {
        let found = errors("""
            models:
              - provider: openai
                model: gpt-4o
                effective_from: 2024-02-30
                prices: {per: million, input: "1", output: "2"}
            """)
        #expect(found.map(\.description) == ["prices.yaml:4:21: models[0].effective_from must be a date YYYY-MM-DD, not \"2024-02-30\""])
    }

    @Test func aDateBeyondTheTimesTokenWardenRepresentsIsAnError() {
        let found = errors("""
            models:
              - {provider: openai, model: gpt-4o, effective_from: 6664-08-06, prices: {per: million, input: "1", output: "2"}}
              - {provider: openai, model: gpt-4o, effective_from: 1000-01-01, prices: {per: million, input: "1", output: "2"}}
            """)
        #expect(found.map(\.description) == [
            "prices.yaml:2:55: models[0].effective_from must be a date from 1678 to 2261, not \"6664-08-06\"",
            "prices.yaml:3:55: models[1].effective_from must be a date from 1678 to 2261, not \"1000-01-01\"",
        ])
    }

    @Test func aPriceThatIsNotANumberIsAnError() {
        let found = errors("""
            models:
              - {provider: p, model: m, prices: {per: million, input: cheap, output: "2"}}
            """)
        #expect(found.map { "\($0.line):\($0.column)" } == ["2:59"])
    }

    @Test func missingRequiredKeysAreErrors() {
        let found = errors("""
            models:
              - provider: openai
                prices: {input: "1"}
            """)
        #expect(found.map(\.message) == [
            "missing required key \"model\" in models[0]",
            "missing required key \"per\" in models[0].prices (token or million: the unit of the prices)",
            "missing required key \"output\" in models[0].prices",
        ])
    }

    @Test func everyErrorOfTheFileIsReportedInOrder() {
        let found = errors("""
            currency: dollars
            models:
              - provider: openai
                model: gpt-4o
                prices: {per: million, input: "1", output: "2", cache: "1"}
              - provider: openai
                model: gpt-4o-mini
                prices: {per: thousand, input: "1", output: "2"}
                tiers:
                  - {above_input_tokens: -5, input: "2"}
            aliases:
              - {alias: x, provider: openai}
            """)
        #expect(found.map { "\($0.line):\($0.column)" } == ["1:11", "5:53", "8:19", "10:30", "12:5"])
    }

    @Test func aDuplicateEntryIsAnError() {
        let found = errors("""
            models:
              - {provider: p, model: m, prices: {per: token, input: "1", output: "2"}}
              - {provider: p, model: m, effective_from: 2025-01-01, prices: {per: token, input: "1", output: "2"}}
              - {provider: p, model: m, prices: {per: token, input: "3", output: "4"}}
            """)
        #expect(found.map(\.description) == ["prices.yaml:4:5: duplicate price for p/m (first given at line 2)"])
    }

    @Test func aDuplicateYAMLKeyIsAnErrorWithItsLocation() {
        let found = errors("""
            models:
              - provider: p
                model: m
                model: n
                prices: {per: token, input: "1", output: "2"}
            """)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("duplicate key \"model\"") == true)
        #expect(found.first?.line == 3)
    }

    @Test func malformedYAMLIsAnErrorWithItsLocation() {
        let found = errors("models:\n  - provider: p\n   model: [\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.message.hasPrefix("YAML syntax error") == true)
    }

    @Test func anEmptyFileIsAnError() {
        #expect(errors("# nothing here\n").map(\.message) == ["the file is empty; expected a mapping with 'models:'"])
    }

    @Test func aTierNeedsAtLeastOnePrice() {
        let found = errors("""
            models:
              - provider: p
                model: m
                prices: {per: token, input: "1", output: "2"}
                tiers: [{above_input_tokens: 5}]
            """)
        #expect(found.count == 1 && found[0].message.hasPrefix("a tier must give at least one price"))
    }

    @Test func ourFormatWrittenAsJSONIsReadToo() throws {
        let file = try load(#"{"models": [{"provider": "p", "model": "m", "prices": {"per": "token", "input": 1e-6, "output": 2e-6}}]}"#)
        #expect(file.format == .tokenWarden)
        #expect(file.entries.first?.price.base.output == Money(attos: 2_000_000_000_000))
    }

    @Test func theWriterOutputReadsBackToTheSamePrices() throws {
        let original = try load(Self.example)
        let text = PricingFileWriter.render(entries: original.entries, aliases: original.aliases, header: ["test"])
        let reread = try load(text, file: "written.yaml")
        #expect(reread.entries == original.entries.sorted { $0.provider < $1.provider })
        #expect(reread.aliases == original.aliases)
        #expect(text.contains(#"prices: {per: million, input: "2.5", output: "10", cache_read: "1.25"}"#))
        #expect(text.hasPrefix("# test\ncurrency: USD\n"))
    }

    @Test func theWriterQuotesNamesSafely() throws {
        let price = ModelPrice(input: Money(attos: 1), output: Money(attos: 2))
        let entries = [PriceEntry(provider: "bedrock", model: #"anthropic.claude-3:0 "x"\y"#, price: price)]
        let reread = try load(PricingFileWriter.render(entries: entries))
        #expect(reread.entries.first?.model == #"anthropic.claude-3:0 "x"\y"#)
    }
}
