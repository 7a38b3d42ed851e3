import Testing
import WardenCore

/// The per-unit part of the cost rule: images by size and quality, audio seconds, audio tokens at
/// their own rate, and the missing prices that make an event unpriced.
struct MediaPricingTests {
    static func money(_ text: String) -> Money { try! Money(exactly: text) }
    static func seconds(_ text: String) -> MediaSeconds { try! MediaSeconds.parse(text).get() }

    static let dalle = ModelPrice.perUnitOnly(MediaPrices(images: [
        ImagePrice(size: "1024x1024", quality: "standard", price: money("0.04")),
        ImagePrice(size: "1024x1024", quality: "hd", price: money("0.08")),
        ImagePrice(size: "1792x1024", price: money("0.12")),
    ]))

    @Test func imagesCostTheirSizeAndQualitysPriceEach() {
        let media = MediaUsage(images: 3, imageSize: "1024x1024", imageQuality: "hd")
        #expect(Self.dalle.cost(of: TokenUsage(input: 0, output: 0), media: media) == .success(Self.money("0.24")))
    }

    @Test func aSizePricedForAnyQualityCoversEveryQuality() {
        let media = MediaUsage(images: 1, imageSize: "1792x1024", imageQuality: "hd")
        #expect(Self.dalle.cost(of: TokenUsage(input: 0, output: 0), media: media) == .success(Self.money("0.12")))
    }

    @Test func anImageOfAnUnpricedSizeIsAMissingPriceNotZero() {
        let media = MediaUsage(images: 1, imageSize: "512x512", imageQuality: "standard")
        #expect(Self.dalle.cost(of: TokenUsage(input: 0, output: 0), media: media)
                == .failure(.image(size: "512x512", quality: "standard")))
    }

    @Test func anImageWithoutASizeMatchesOnlyAPriceForAnySize() {
        let media = MediaUsage(images: 1)
        #expect(Self.dalle.cost(of: TokenUsage(input: 0, output: 0), media: media) == .failure(.image(size: nil, quality: nil)))
        let anySize = ModelPrice.perUnitOnly(MediaPrices(images: [ImagePrice(price: Self.money("0.02"))]))
        #expect(anySize.cost(of: TokenUsage(input: 0, output: 0), media: media) == .success(Self.money("0.02")))
    }

    @Test func tokensOnAnEntryPricedOnlyPerUnitAreAMissingPrice() {
        #expect(Self.dalle.cost(of: TokenUsage(input: 10, output: 0), media: .none) == .failure(.tokens))
    }

    @Test func audioSecondsCostThePerSecondPriceExactly() {
        let whisper = ModelPrice.perUnitOnly(MediaPrices(audioInputPerSecond: Self.money("0.0001")))
        let media = MediaUsage(audioInputSeconds: Self.seconds("12.5"))
        #expect(whisper.cost(of: TokenUsage(input: 0, output: 0), media: media) == .success(Self.money("0.00125")))
        #expect(whisper.cost(of: TokenUsage(input: 0, output: 0), media: MediaUsage(audioOutputSeconds: Self.seconds("1")))
                == .failure(.audioOutputSeconds))
    }

    @Test func aPerSecondProductFinerThanTheResolutionIsRoundedHalfToEven() {
        // 0.000283333333333333333 has 21 decimals in the catalog; rounded to 18 at import.
        let price = Self.money("0.000283333333333333")
        let entry = ModelPrice.perUnitOnly(MediaPrices(audioInputPerSecond: price))
        // 0.000001 s × price = 2.83333333333333e-10, i.e. 283333333.333333 attos → 283333333 attos.
        let tiny = MediaUsage(audioInputSeconds: MediaSeconds(microseconds: 1))
        #expect(entry.cost(of: TokenUsage(input: 0, output: 0), media: tiny) == .success(Money(attos: 283_333_333)))
        // Whole seconds need no rounding at all.
        let minute = MediaUsage(audioInputSeconds: Self.seconds("60"))
        #expect(entry.cost(of: TokenUsage(input: 0, output: 0), media: minute) == .success(Self.money("0.01699999999999998")))
    }

    @Test func audioTokensArePricedAtTheirOwnRate() {
        let price = ModelPrice(input: Self.money("0.0000025"), output: Self.money("0.00001"),
                               audioInput: Self.money("0.00004"), audioOutput: Self.money("0.00008"))
        let usage = TokenUsage(input: 1000, output: 500, audioInput: 600, audioOutput: 300)
        // 400 × 2.5e-6 + 600 × 4e-5 + 200 × 1e-5 + 300 × 8e-5
        #expect(price.cost(of: usage) == Self.money("0.051"))
        #expect(price.breakdown(of: usage).total == Self.money("0.051"))
    }

    @Test func audioTokensFallBackToTheTextRateWithoutAnAudioPrice() {
        let price = ModelPrice(input: Self.money("0.0000025"), output: Self.money("0.00001"))
        let audio = TokenUsage(input: 1000, output: 500, audioInput: 600, audioOutput: 300)
        #expect(price.cost(of: audio) == price.cost(of: TokenUsage(input: 1000, output: 500)))
    }

    @Test func theMediaCostIsAddedToTheTokenCost() {
        let price = ModelPrice(input: Self.money("0.000005"), output: .zero,
                               media: MediaPrices(images: [ImagePrice(size: "1024x1024", quality: "low", price: Self.money("0.011"))]))
        let media = MediaUsage(images: 2, imageSize: "1024x1024", imageQuality: "low")
        #expect(price.cost(of: TokenUsage(input: 50, output: 0), media: media) == .success(Self.money("0.02225")))
    }

    @Test func anEventWithAnUnpricedUnitIsRejectedNamingTheField() throws {
        let catalog = PriceCatalog(entries: [PriceEntry(provider: "openai", model: "dall-e-3", price: Self.dalle)])
        let event = UsageEvent(id: "e1", time: Timestamp(secondsSinceEpoch: 1_800_000_000), provider: "openai",
                               model: "dall-e-3", tokens: TokenUsage(input: 0, output: 0),
                               media: MediaUsage(images: 1, imageSize: "256x256"), attribution: Attribution())
        let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
        guard case .failure(let unknown) = UsagePricer(catalog: catalog, unknownModels: .reject).price([event], receivedAt: now) else {
            Issue.record("priced an image without a price")
            return
        }
        #expect(unknown.errors.map(\.field) == ["images"])
        #expect(unknown.errors[0].message.contains("no per-image price for image_size \"256x256\""))
        let recorded = try UsagePricer(catalog: catalog, unknownModels: .recordAtZeroCost).price([event], receivedAt: now).get()
        #expect(recorded.map(\.priced) == [false])
        #expect(recorded.map(\.cost) == [.zero])
    }

    @Test func secondsAreReadExactlyToTheMicrosecond() {
        #expect(MediaSeconds.parse("12.5") == .success(MediaSeconds(microseconds: 12_500_000)))
        #expect(MediaSeconds.parse("1e-6") == .success(MediaSeconds(microseconds: 1)))
        #expect(MediaSeconds.parse("0.0000001") == .failure(.tooPrecise))
        #expect(MediaSeconds.parse("-1") == .failure(.negative))
        #expect(MediaSeconds.parse("1e10") == .failure(.tooLarge))
        #expect(MediaSeconds.parse("twelve") == .failure(.notADecimal))
        #expect(MediaSeconds(microseconds: 12_500_000).exactDecimal == "12.5")
        #expect(MediaSeconds(microseconds: 1).exactDecimal == "0.000001")
        #expect(MediaSeconds(microseconds: 3_000_000).exactDecimal == "3")
    }

    @Test func tokenKindsPartitionAllTokensForRandomEvents() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let input = Int64.random(in: 0...1_000_000, using: &generator)
            let cacheRead = Int64.random(in: 0...input, using: &generator)
            let cacheCreation = Int64.random(in: 0...(input - cacheRead), using: &generator)
            let audioInput = Int64.random(in: 0...(input - cacheRead - cacheCreation), using: &generator)
            let output = Int64.random(in: 0...1_000_000, using: &generator)
            let reasoning = Int64.random(in: 0...output, using: &generator)
            let audioOutput = Int64.random(in: 0...(output - reasoning), using: &generator)
            let usage = TokenUsage(input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation,
                                   reasoning: reasoning, audioInput: audioInput, audioOutput: audioOutput)
            var totals = SeriesTotals()
            totals.add(tokens: usage, cost: .zero, currency: "USD")
            let kinds = [totals.uncachedInput, totals.audioInput, totals.cacheRead, totals.cacheCreation, totals.output, totals.audioOutput]
            #expect(kinds.allSatisfy { $0 >= 0 })
            #expect(kinds.reduce(0, +) == input + output)
            #expect(totals.reasoning <= totals.output)
        }
    }

    @Test func seriesTotalsSumImagesAndSecondsExactly() {
        var totals = SeriesTotals()
        for _ in 0..<10 {
            totals.add(tokens: TokenUsage(input: 0, output: 0),
                       media: MediaUsage(images: 2, audioInputSeconds: Self.seconds("0.1"), audioOutputSeconds: Self.seconds("1.000001")),
                       cost: .zero, currency: "USD")
        }
        #expect(totals.images == 20)
        #expect(totals.audioInputSeconds.exactDecimal == "1")
        #expect(totals.audioOutputSeconds.exactDecimal == "10.00001")
    }
}
