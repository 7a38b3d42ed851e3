import Foundation
import Testing
import WardenCore
@testable import WardenFormats

/// Per-unit prices in TokenWarden's pricing format and from LiteLLM's catalog.
struct MediaPricingFileTests {
    static func money(_ text: String) -> Money { try! Money(exactly: text) }

    static let mediaCatalogURL = LiteLLMTestData.trimmedURL.deletingLastPathComponent().appendingPathComponent("media-prices.json")

    static func mediaCatalog() throws -> LiteLLMImporter.ImportedCatalog {
        let data = try #require(FileManager.default.contents(atPath: mediaCatalogURL.path))
        return try LiteLLMImporter.importCatalog(bytes: [UInt8](data), fileName: "media-prices.json")
    }

    static func entry(_ catalog: LiteLLMImporter.ImportedCatalog, _ model: String) throws -> PriceEntry {
        try #require(catalog.entries.first { $0.model == model }, "\(model) not imported")
    }

    static let yaml = """
        models:
          - provider: openai
            model: gpt-4o-audio-preview
            prices: {per: million, input: "2.50", output: "10.00", audio_input: "40.00", audio_output: "80.00"}
          - provider: openai
            model: dall-e-3
            images:
              - {size: 1024x1024, quality: hd, price: "0.08"}
              - {size: 1024x1024, price: "0.04"}
          - provider: openai
            model: whisper-1
            audio: {input_per_second: "0.0001"}
        """

    @Test func readsAudioTokenImageAndPerSecondPrices() throws {
        let file = try PricingFileLoader.load(text: Self.yaml, fileName: "media.yaml")
        let audio = try #require(file.entries.first { $0.model == "gpt-4o-audio-preview" })
        #expect(audio.price.base.audioInput == Self.money("0.00004"))
        #expect(audio.price.base.audioOutput == Self.money("0.00008"))
        let dalle = try #require(file.entries.first { $0.model == "dall-e-3" })
        #expect(!dalle.price.pricesTokens)
        #expect(dalle.price.media.imagePrice(size: "1024x1024", quality: "hd") == Self.money("0.08"))
        #expect(dalle.price.media.imagePrice(size: "1024x1024", quality: "standard") == Self.money("0.04"))
        let whisper = try #require(file.entries.first { $0.model == "whisper-1" })
        #expect(whisper.price.media.audioInputPerSecond == Self.money("0.0001"))
        #expect(whisper.price.media.audioOutputPerSecond == nil)
    }

    @Test func writtenPricesReadBackTheSame() throws {
        let file = try PricingFileLoader.load(text: Self.yaml, fileName: "media.yaml")
        let written = PricingFileWriter.render(entries: file.entries)
        let reread = try PricingFileLoader.load(text: written, fileName: "written.yaml")
        #expect(reread.entries.map(\.price) == file.entries.sorted { $0.model < $1.model }.map(\.price))
    }

    @Test func aBadImageSizeAndAMissingImagePriceAreErrorsAtTheirPlace() {
        let yaml = """
            models:
              - provider: openai
                model: dall-e-3
                images:
                  - {size: big, price: "0.08"}
                  - {size: 1024x1024}
            """
        do {
            _ = try PricingFileLoader.load(text: yaml, fileName: "bad.yaml")
            Issue.record("loaded a file with errors")
        } catch {
            let messages = error.errors.map(\.description)
            #expect(messages.contains { $0.hasPrefix("bad.yaml:5:") && $0.contains("WIDTHxHEIGHT") })
            #expect(messages.contains { $0.hasPrefix("bad.yaml:6:") && $0.contains("price") })
        }
    }

    @Test func importsEmbeddingsWithTheirInputPrice() throws {
        let embedding = try Self.entry(try Self.mediaCatalog(), "text-embedding-3-small")
        #expect(embedding.price.base.input == Self.money("2e-08"))
        #expect(embedding.price.base.output == .zero)
    }

    @Test func importsSizeAndQualityKeyedImagePricesIntoTheirModel() throws {
        let catalog = try Self.mediaCatalog()
        let image = try Self.entry(catalog, "gpt-image-1")
        #expect(image.price.media.imagePrice(size: "1024x1024", quality: "high") == Self.money("0.167"))
        #expect(image.price.media.imagePrice(size: "1024x1536", quality: "high") == Self.money("0.25"))
        #expect(image.price.media.imagePrice(size: "1024x1024", quality: "low") == Self.money("0.011"))
        // Its output tokens are image tokens.
        #expect(image.price.base.output == Self.money("4e-05"))
        #expect(!catalog.entries.contains { $0.model.contains("1024-x-1024") })
    }

    @Test func aPerPixelPriceBecomesThePriceOfAnImageOfThatSize() throws {
        let dalle = try Self.entry(try Self.mediaCatalog(), "azure/dall-e-3")
        #expect(!dalle.price.pricesTokens)
        // 1024 × 1024 × 8.39233e-08, exactly
        #expect(dalle.price.media.imagePrice(size: "1024x1024", quality: "hd") == Self.money("0.0879999582208"))
        #expect(dalle.price.media.imagePrice(size: "1024x1024", quality: "standard") == Self.money("0.0440000315392"))
    }

    @Test func importsPerSecondAndAudioTokenPrices() throws {
        let catalog = try Self.mediaCatalog()
        let whisper = try Self.entry(catalog, "whisper-1")
        #expect(!whisper.price.pricesTokens)
        #expect(whisper.price.media.audioInputPerSecond == Self.money("0.0001"))
        #expect(whisper.price.media.audioOutputPerSecond == Self.money("0.0001"))
        let audio = try Self.entry(catalog, "gpt-4o-audio-preview-2024-12-17")
        #expect(audio.price.base.audioInput == Self.money("4e-05"))
        #expect(audio.price.base.audioOutput == Self.money("8e-05"))
        let imagen = try Self.entry(catalog, "gemini/imagen-3.0-generate-001")
        #expect(imagen.price.media.imagePrice(size: nil, quality: nil) == Self.money("0.04"))
    }

    @Test func perCharacterSpeechIsStillSkipped() throws {
        let catalog = try Self.mediaCatalog()
        #expect(catalog.report.skipped.map(\.model) == ["tts-1"])
        #expect(catalog.report.imported + catalog.report.skipped.count == catalog.report.entriesInFile)
    }

    @Test func theDiffListsChangedPerUnitPrices() throws {
        let old = PriceEntry(provider: "openai", model: "whisper-1",
                             price: .perUnitOnly(MediaPrices(audioInputPerSecond: Self.money("0.0001"))))
        let new = PriceEntry(provider: "openai", model: "whisper-1",
                             price: .perUnitOnly(MediaPrices(audioInputPerSecond: Self.money("0.00006"))))
        let diff = PriceImportDiff(current: [old], imported: [new], on: CivilDate(year: 2026, month: 3, day: 1))
        #expect(diff.changes.map(\.description) == ["~ openai/whisper-1 audio_input_per_second 0.0001 → 0.00006"])
    }
}
