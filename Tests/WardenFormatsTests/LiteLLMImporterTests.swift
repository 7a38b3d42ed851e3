import Testing
@testable import WardenCore
import WardenFormats

private func importJSON(_ json: String, options: LiteLLMImporter.Options = .init()) throws -> LiteLLMImporter.ImportedCatalog {
    try LiteLLMImporter.importCatalog(bytes: Array(json.utf8), fileName: "litellm.json", options: options)
}

/// A catalog with one entry made of `fields` (JSON members, without braces) for model `m`.
private func entry(_ fields: String, model: String = "m") -> String {
    #"{"\#(model)": {"litellm_provider": "p", "mode": "chat", \#(fields)}}"#
}

private let basic = #""input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06"#

@Suite("LiteLLM importer")
struct LiteLLMImporterTests {
    @Test func importsTokenPricesFromTheirJSONText() throws {
        let result = try importJSON(entry(basic + #", "cache_read_input_token_cost": 1e-07, "cache_creation_input_token_cost": 1.25e-06, "output_cost_per_reasoning_token": 3e-06"#))
        let imported = try #require(result.entries.first)
        #expect(imported.provider == "p" && imported.model == "m" && imported.currency == "USD" && imported.effectiveFrom == nil)
        #expect(imported.price.base == TokenPrices(
            input: Money(attos: 1_000_000_000_000), output: Money(attos: 2_000_000_000_000),
            cacheRead: Money(attos: 100_000_000_000), cacheCreation: Money(attos: 1_250_000_000_000),
            reasoning: Money(attos: 3_000_000_000_000)))
        #expect(result.report.imported == 1 && result.report.skipped.isEmpty)
    }

    @Test func roundsAPriceWithMoreThanEighteenDecimalsAndNamesTheEntry() throws {
        let json = "{\n  \"databricks/x\": {\n    \"litellm_provider\": \"databricks\", \"mode\": \"chat\",\n"
            + "    \"input_cost_per_token\": 2.9999900000000002e-06, \"output_cost_per_token\": 1e-06\n  }\n}"
        let result = try importJSON(json)
        #expect(result.entries.first?.price.base.input?.exactDecimal == "0.00000299999")
        let rounding = try #require(result.report.roundings.first)
        #expect(rounding.model == "databricks/x" && rounding.field == "input_cost_per_token")
        #expect(rounding.location == PricingFileLocation(file: "litellm.json", line: 4, column: 29))
        #expect(rounding.description.contains("'databricks/x' is 2.9999900000000002e-06"))
    }

    @Test func readsTieredKeysWithOrWithoutK() throws {
        let result = try importJSON(entry(basic + #", "input_cost_per_token_above_200k_tokens": 2e-06, "output_cost_per_token_above_200k_tokens": 3e-06, "cache_read_input_token_cost_above_200k_tokens": 5e-07, "input_cost_per_token_above_128_tokens": 1.5e-06"#))
        let tiers = try #require(result.entries.first?.price.tiers)
        #expect(tiers.map(\.aboveInputTokens) == [128, 200_000])
        #expect(tiers[1].prices == TokenPrices(
            input: Money(attos: 2_000_000_000_000), output: Money(attos: 3_000_000_000_000), cacheRead: Money(attos: 500_000_000_000)))
    }

    @Test func theCacheHitPriceStandsInForAMissingCacheReadPriceOnly() throws {
        let onlyHit = try importJSON(entry(basic + #", "input_cost_per_token_cache_hit": 1e-08"#))
        #expect(onlyHit.entries.first?.price.base.cacheRead == Money(attos: 10_000_000_000))
        let both = try importJSON(entry(basic + #", "input_cost_per_token_cache_hit": 1e-08, "cache_read_input_token_cost": 2e-08"#))
        #expect(both.entries.first?.price.base.cacheRead == Money(attos: 20_000_000_000))
    }

    @Test func skipsOffPeakAndSizeTablePricingAndListsThem() throws {
        let json = #"""
            {"a": {"litellm_provider": "deepseek", "mode": "chat", "input_cost_per_token": 3e-07, "output_cost_per_token": 1.2e-06,
                   "off_peak_pricing": {"input_cost_per_token": 1.5e-07, "windows": []}},
             "b": {"litellm_provider": "dashscope", "mode": "chat", "input_cost_per_token": 3e-07, "output_cost_per_token": 1.5e-06,
                   "tiered_pricing": [{"input_cost_per_token": 3e-07, "range": [0, 32000.0]}]},
             "c": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
            """#
        let result = try importJSON(json)
        #expect(result.entries.map(\.model) == ["c"])
        #expect(result.report.skipped.map(\.model) == ["a", "b"])
        #expect(result.report.skipped.map(\.reason) == [.offPeakPricing, .tieredPricing])
        #expect(result.report.skipped[0].provider == "deepseek")
        #expect(result.report.summary.contains("off_peak_pricing (time-of-day prices)"))
        #expect(result.report.summary.contains("tiered_pricing (size-range table)"))
    }

    @Test func skipsPerRequestPerSecondAndPerCharacterPrices() throws {
        let json = #"""
            {"request": {"litellm_provider": "perplexity", "mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 1e-06, "input_cost_per_request": 0.005},
             "second": {"litellm_provider": "bedrock", "mode": "chat", "cost_per_second": 0.01, "input_cost_per_second": 0.01},
             "character": {"litellm_provider": "vertex", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, "input_cost_per_character": 2.5e-07},
             "free-character": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0, "input_cost_per_character": 0}}
            """#
        let result = try importJSON(json)
        #expect(result.entries.map(\.model) == ["free-character"])
        #expect(result.report.skipped.map(\.reason) == [
            .perRequestPricing("input_cost_per_request"), .perSecondPricing("cost_per_second"),
            .perCharacterPricing("input_cost_per_character"),
        ])
    }

    @Test func skipsEntriesWithoutTokenPrices() throws {
        let result = try importJSON(entry(#""output_cost_per_token": 1e-06, "input_cost_per_video_per_second": 0.00049"#))
        #expect(result.report.skipped.map(\.reason) == [.missingTokenPrice("input_cost_per_token")])
        let noOutput = try importJSON(entry(#""input_cost_per_token": 1e-06"#))
        #expect(noOutput.report.skipped.map(\.reason) == [.missingTokenPrice("output_cost_per_token")])
    }

    @Test func skipsAnUnrecognisedPriceFieldRatherThanIgnoringIt() throws {
        let result = try importJSON(entry(basic + #", "output_cost_per_token_above_1m_tokens": 3e-06"#))
        #expect(result.report.skipped.map(\.reason) == [.unrecognisedPriceField("output_cost_per_token_above_1m_tokens")])
    }

    @Test func skipsATierWithoutAnInputPrice() throws {
        let result = try importJSON(entry(basic + #", "output_cost_per_token_above_200k_tokens": 3e-06"#))
        #expect(result.report.skipped.map(\.reason) == [.tierWithoutInputPrice(200_000)])
    }

    @Test func skipsInvalidAndNegativePrices() throws {
        let text = try importJSON(entry(#""input_cost_per_token": "1e-06", "output_cost_per_token": 2e-06"#))
        #expect(text.report.skipped.map(\.reason) == [.invalidPrice("input_cost_per_token", "not a number")])
        let negative = try importJSON(entry(#""input_cost_per_token": -1e-06, "output_cost_per_token": 2e-06"#))
        #expect(negative.report.skipped.map(\.reason) == [.invalidPrice("input_cost_per_token", "negative (-1e-06)")])
    }

    @Test func importsTokenAndUnitPricedModesAndSkipsTheSampleSpec() throws {
        let json = #"""
            {"sample_spec": {"litellm_provider": "one of ...", "mode": "one of: chat", "input_cost_per_token": 0.0},
             "e": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 1e-07},
             "mod": {"litellm_provider": "openai", "mode": "moderation", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0},
             "r": {"litellm_provider": "openai", "mode": "responses", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "c": {"litellm_provider": "openai", "mode": "completion", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "x": {"litellm_provider": "openai", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
            """#
        let result = try importJSON(json)
        #expect(result.entries.map(\.model) == ["e", "r", "c"])
        #expect(result.report.skipped.map(\.reason) == [.documentationEntry, .unsupportedMode("moderation"), .unsupportedMode(nil)])
    }

    @Test func anEmbeddingWithoutAnOutputPriceHasAFreeOutput() throws {
        let result = try importJSON(#"{"e": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 1e-07}}"#)
        let price = try #require(result.entries.first?.price)
        #expect(price.base.input == Money(attos: 100_000_000_000) && price.base.output == .zero)
        #expect(price.cost(of: TokenUsage(input: 1_000, output: 0)) == Money(attos: 100_000_000_000_000))
    }

    @Test func ignoresServiceTiersAndMediaPricesButCountsThem() throws {
        let result = try importJSON(entry(basic + #", "input_cost_per_token_batches": 5e-07, "input_cost_per_token_above_200k_tokens_priority": 9e-06, "input_cost_per_video_per_second": 4.9e-04, "cache_creation_input_token_cost_above_1hr": 2e-06, "search_context_cost_per_query": {"search_context_size_low": 0.01}"#))
        #expect(result.entries.count == 1)
        #expect(result.entries.first?.price.tiers == [])
        #expect(result.report.ignoredFields == [.serviceTier: 1, .media: 1, .extendedCacheTTL: 1, .toolCharge: 1])
    }

    @Test func importsAChatModelsAudioTokenPrices() throws {
        let result = try importJSON(entry(basic + #", "input_cost_per_audio_token": 4e-05, "output_cost_per_audio_token": 8e-05"#))
        #expect(result.entries.first?.price.base.audioInput == Money(attos: 40_000_000_000_000))
        #expect(result.entries.first?.price.base.audioOutput == Money(attos: 80_000_000_000_000))
        #expect(result.report.ignoredFields.isEmpty)
    }

    @Test func aPerPixelPriceWithMoreThanEighteenDecimalsGivesTheExactImagePrice() throws {
        // 2.0751953125e-09 has 19 decimals; × 1024 × 1536 pixels it is exactly 0.003264.
        let result = try importJSON(#"""
            {"azure/low/1024-x-1536/gpt-image-1-mini": {"litellm_provider": "azure", "mode": "image_generation",
                "input_cost_per_pixel": 2.0751953125e-09, "output_cost_per_pixel": 0.0}}
            """#)
        let image = try #require(result.entries.first)
        #expect(image.model == "azure/gpt-image-1-mini")
        #expect(image.price.media.imagePrice(size: "1024x1536", quality: "low")?.exactDecimal == "0.003264")
        #expect(result.report.roundings.isEmpty)
    }

    @Test func anImageModelWithNoPriceAtAllIsSkippedNotImportedEmpty() throws {
        let result = try importJSON(#"""
            {"qwen-image": {"litellm_provider": "dashscope", "mode": "image_generation"},
             "flux": {"litellm_provider": "azure_ai", "mode": "image_generation", "input_cost_per_pixel": 5e-08}}
            """#)
        #expect(result.entries.isEmpty)
        #expect(result.report.skipped.map(\.reason) == [.missingImagePrice, .missingImagePrice])
    }

    @Test func filtersByProviderAndOptionalModelPrefix() throws {
        let json = #"""
            {"vertex_ai/gemini-x": {"litellm_provider": "vertex_ai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "vertex_ai/grok-x": {"litellm_provider": "vertex_ai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "gpt-x": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "other": {"litellm_provider": "fireworks_ai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
            """#
        let filters = ["openai", "vertex_ai:vertex_ai/gemini"].compactMap(LiteLLMImporter.ProviderFilter.init(parsing:))
        let result = try importJSON(json, options: .init(providers: filters))
        #expect(result.entries.map(\.model) == ["vertex_ai/gemini-x", "gpt-x"])
        #expect(result.report.filteredOut == 2)
        #expect(LiteLLMImporter.ProviderFilter(parsing: ":x") == nil)
        #expect(LiteLLMImporter.ProviderFilter(parsing: "p:") == nil)
    }

    @Test func invalidJSONIsAnErrorWithItsLocation() {
        #expect {
            _ = try importJSON("{\n  \"m\": {\"litellm_provider\": \"p\",}\n}")
        } throws: { error in
            (error as? PricingFileErrors)?.errors.map(\.description) == ["litellm.json:2:33: invalid JSON: expected a string key after ','"]
        }
    }

    @Test func theLoaderRecognisesALiteLLMCatalog() throws {
        let file = try PricingFileLoader.load(text: entry(basic), fileName: "prices.json")
        #expect(file.format == .liteLLM)
        #expect(file.entries.count == 1)
        #expect(file.importReport?.imported == 1)
    }

    @Test func theLoaderReportsBrokenLiteLLMJSONAsJSON() {
        #expect {
            _ = try PricingFileLoader.load(text: #"{"m": {"litellm_provider": "p" "mode": "chat"}}"#, fileName: "l.json")
        } throws: { error in
            (error as? PricingFileErrors)?.errors.first?.message.hasPrefix("invalid JSON in a LiteLLM catalog") == true
        }
    }

    @Test func aLeadingByteOrderMarkIsReadAsWhitespaceAndLocationsStillCountFromTheFile() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(entry(basic).utf8)
        let result = try LiteLLMImporter.importCatalog(bytes: bytes, fileName: "litellm.json")
        #expect(result.entries.map(\.model) == ["m"])
        #expect(result.entries.first?.source == PricingFileLocation(file: "litellm.json", line: 1, column: 3))
        let file = try PricingFileLoader.load(bytes: bytes, fileName: "litellm.json")
        #expect(file.format == .liteLLM)
    }

    @Test func decodesStringEscapesInKeys() throws {
        let result = try importJSON(#"{"a\"b\u00e9\ud83d\ude00": {"litellm_provider": "p", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}"#)
        #expect(result.entries.first?.model == "a\"bé😀")
    }
}

/// The importer on real catalog entries: the trimmed LiteLLM catalog in `Tests/Fixtures/litellm`,
/// a few entries of every kind the importer imports, skips or rounds (its README says which).
@Suite("LiteLLM importer on the trimmed catalog")
struct LiteLLMCatalogTests {
    static func imported() throws -> LiteLLMImporter.ImportedCatalog {
        try LiteLLMImporter.importCatalog(bytes: try LiteLLMTestData.trimmedBytes(), fileName: "model-prices-trimmed.json")
    }

    @Test func accountsForEveryEntry() throws {
        let report = try Self.imported().report
        #expect(report.entriesInFile == 57)
        #expect(report.imported == 40)
        #expect(report.skipped.count == 17)
        #expect(report.filteredOut == 0)
    }

    @Test func skipsEachEntryForItsReason() throws {
        let skipped = try Self.imported().report.skipped
        let reasons = Dictionary(uniqueKeysWithValues: skipped.map { ($0.model, $0.reason) })
        #expect(reasons == [
            "sample_spec": .documentationEntry,
            "fallback_generalizations": .missingProvider,
            "fireworks-ai-default": .unsupportedMode(nil),
            "tts-1": .perCharacterPricing("input_cost_per_character"),
            "omni-moderation-latest": .unsupportedMode("moderation"),
            "mistral/mistral-moderation-2603": .unsupportedMode("moderation"),
            "cohere.rerank-v3-5:0": .unsupportedMode("rerank"),
            "deepseek-v4-flash": .offPeakPricing,
            "deepseek/deepseek-v4-flash": .offPeakPricing,
            "dashscope/qwen-flash": .tieredPricing,
            "dashscope/qwen-plus-latest": .tieredPricing,
            "perplexity/pplx-70b-online": .perRequestPricing("input_cost_per_request"),
            "bedrock/*/1-month-commitment/cohere.command-text-v14": .perSecondPricing("cost_per_second"),
            "vertex_ai/gemini-2.0-flash": .perCharacterPricing("input_cost_per_character"),
            "medlm-large": .perCharacterPricing("input_cost_per_character"),
            "twelvelabs.pegasus-1-2-v1:0": .missingTokenPrice("input_cost_per_token"),
            "dashscope/qwen3-30b-a3b": .missingTokenPrice("input_cost_per_token"),
        ])
        #expect(skipped.first { $0.model == "deepseek-v4-flash" }?.provider == "deepseek")
    }

    @Test func roundsEveryPriceWithMoreThanEighteenDecimalsAndOnlyThose() throws {
        let roundings = try Self.imported().report.roundings
        #expect(roundings.map { [$0.model, $0.field, $0.text, $0.rounded.exactDecimal] } == [
            ["databricks/databricks-claude-sonnet-4-1", "input_cost_per_token", "2.9999900000000002e-06", "0.00000299999"],
            ["databricks/databricks-claude-sonnet-4-1", "output_cost_per_token", "1.5000020000000002e-05", "0.00001500002"],
            ["databricks/databricks-gemini-2-5-flash", "input_cost_per_token", "3.0001999999999996e-07", "0.00000030002"],
            ["novita/deepseek/deepseek-v4-pro", "input_cost_per_token", "1.6000000000000001e-06", "0.0000016"],
            ["novita/deepseek/deepseek-v4-pro", "output_cost_per_token", "3.2000000000000003e-06", "0.0000032"],
            ["bigmodel/glm-5.3", "input_cost_per_token", "1.1428571428571428e-06", "0.000001142857142857"],
            ["bigmodel/glm-5.3", "cache_read_input_token_cost", "2.857142857142857e-07", "0.000000285714285714"],
        ])
    }

    @Test func countsThePricesItLeavesOutOnPurpose() throws {
        let ignored = try Self.imported().report.ignoredFields
        #expect(ignored == [.serviceTier: 15, .toolCharge: 10, .extendedCacheTTL: 4, .media: 4, .regionalUplift: 3,
                            .databricksUnits: 2, .explicitCacheRead: 1])
    }

    @Test func importsTieredAndCachePricesFromTheirKeys() throws {
        let entries = Dictionary(uniqueKeysWithValues: try Self.imported().entries.map { ($0.model, $0) })
        #expect(entries["kyma/qwen3.7-flash"]?.price.tiers.map(\.aboveInputTokens) == [32_000, 256_000])
        #expect(entries["minimax/MiniMax-M3"]?.price.tiers.map(\.aboveInputTokens) == [512_000])
        #expect(entries["claude-haiku-5-5"]?.price.tiers.map(\.aboveInputTokens) == [100_000])
        let sonnet = try #require(entries["anthropic.claude-sonnet-4-20250514-v1:0"])
        #expect(sonnet.provider == "bedrock_converse")
        #expect(sonnet.price.tiers.map(\.aboveInputTokens) == [200_000])
        #expect(sonnet.price.tiers.first?.prices.cacheCreation != nil)
        #expect(sonnet.price.base.cacheCreation != nil && sonnet.price.base.cacheRead != nil)
        // input_cost_per_token_cache_hit stands in for the missing cache-read price.
        #expect(entries["deepseek/deepseek-chat"]?.price.base.cacheRead != nil)
        #expect(entries["dashscope/qwen-turbo"]?.price.base.reasoning != nil)
    }

    @Test func writingAndReadingBackKeepsEveryPrice() throws {
        let entries = try Self.imported().entries
        let yaml = PricingFileWriter.render(entries: entries)
        let reread = try PricingFileLoader.load(text: yaml, fileName: "all.yaml")
        #expect(reread.warnings.isEmpty)
        let byKey = Dictionary(uniqueKeysWithValues: reread.entries.map { ("\($0.provider)\u{0}\($0.model)", $0) })
        #expect(byKey.count == entries.count)
        for entry in entries {
            #expect(byKey["\(entry.provider)\u{0}\(entry.model)"]?.price == entry.price, "\(entry.model)")
        }
    }
}
