import Testing
import WardenCore

/// A check's estimate priced like a usage event: images, audio seconds and audio tokens at their
/// per-unit and audio prices, and a unit without a price refused naming its field.
struct CheckEstimateMediaTests {
    static func money(_ text: String) -> Money { try! Money(exactly: text) }

    static let catalog = PriceCatalog(entries: [
        PriceEntry(provider: "openai", model: "dall-e-3", price: .perUnitOnly(MediaPrices(images: [
            ImagePrice(size: "1024x1024", quality: "hd", price: money("0.08")),
        ]))),
        PriceEntry(provider: "openai", model: "whisper-1",
                   price: .perUnitOnly(MediaPrices(audioInputPerSecond: money("0.0001")))),
        PriceEntry(provider: "openai", model: "gpt-4o-audio",
                   price: ModelPrice(input: money("0.0000025"), output: money("0.00001"),
                                     audioInput: money("0.00004"), audioOutput: money("0.00008"))),
    ])
    static let now = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

    static func request(_ model: String) -> CheckRequest {
        CheckRequest(provider: "openai", model: model, attribution: Attribution())
    }

    @Test func imagesAreEstimatedAtTheirSizeAndQualitysPrice() throws {
        var request = Self.request("dall-e-3")
        request.media = MediaUsage(images: 3, imageSize: "1024x1024", imageQuality: "hd")
        try request.priceEstimate(with: Self.catalog, at: Self.now).get()
        #expect(request.estimatedCost == Self.money("0.24"))
        #expect(request.currency == "USD")
    }

    @Test func audioSecondsAreEstimatedAtThePerSecondPrice() throws {
        var request = Self.request("whisper-1")
        request.media = MediaUsage(audioInputSeconds: MediaSeconds(microseconds: 90_500_000))
        try request.priceEstimate(with: Self.catalog, at: Self.now).get()
        #expect(request.estimatedCost == Self.money("0.00905"))
    }

    @Test func audioTokensOfTheEstimateArePricedAtTheAudioRates() throws {
        var request = Self.request("gpt-4o-audio")
        request.estimatedInputTokens = 1_000
        request.maxOutputTokens = 500
        request.audioInputTokens = 600
        request.audioOutputTokens = 300
        try request.priceEstimate(with: Self.catalog, at: Self.now).get()
        // 400 × 0.0000025 + 600 × 0.00004 + 200 × 0.00001 + 300 × 0.00008
        #expect(request.estimatedCost == Self.money("0.051"))
    }

    @Test func anImageOfAnUnpricedSizeLeavesTheEstimateUnpricedNamingImages() {
        var request = Self.request("dall-e-3")
        request.media = MediaUsage(images: 1, imageSize: "256x256", imageQuality: "standard")
        guard case .failure(let unpriced) = request.priceEstimate(with: Self.catalog, at: Self.now) else {
            Issue.record("an image without a price was estimated")
            return
        }
        #expect(unpriced.field == "images")
        #expect(unpriced.message.contains(#"no per-image price for image_size "256x256""#))
        #expect(request.estimatedCost == .zero)
    }

    @Test func tokensOfAModelPricedOnlyPerUnitAreUnpricedNamingTheEstimate() {
        var request = Self.request("whisper-1")
        request.estimatedInputTokens = 10
        guard case .failure(let unpriced) = request.priceEstimate(with: Self.catalog, at: Self.now) else {
            Issue.record("tokens of a per-unit-only model were estimated")
            return
        }
        #expect(unpriced.field == "estimated_input_tokens")
    }

    @Test func anUnknownModelNamesTheModel() {
        var request = Self.request("gpt-9")
        guard case .failure(let unpriced) = request.priceEstimate(with: Self.catalog, at: Self.now) else {
            Issue.record("an unknown model was estimated")
            return
        }
        #expect(unpriced.field == "model")
        #expect(unpriced.message.hasPrefix(#"unknown model "gpt-9" of provider "openai""#))
    }
}
