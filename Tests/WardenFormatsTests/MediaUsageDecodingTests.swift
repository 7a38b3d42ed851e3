import Testing
import WardenCore
import WardenFormats

/// The usage event's media fields: audio tokens as subsets of the token counts, images with
/// their size and quality, audio seconds as exact decimals.
struct MediaUsageDecodingTests {
    typealias F = UsageEventDecoderFixtures

    @Test func readsImagesWithTheirSizeAndQuality() throws {
        let events = try F.decode(F.event(("images", "2"), ("image_size", #""1024x1024""#), ("image_quality", #""hd""#)))
        #expect(events[0].media == MediaUsage(images: 2, imageSize: "1024x1024", imageQuality: "hd"))
    }

    @Test func readsAudioSecondsExactlyFromNumbersAndStrings() throws {
        let events = try F.decode(F.event(("audio_input_seconds", "12.5"), ("audio_output_seconds", #""0.000001""#)))
        #expect(events[0].media.audioInputSeconds == MediaSeconds(microseconds: 12_500_000))
        #expect(events[0].media.audioOutputSeconds == MediaSeconds(microseconds: 1))
    }

    @Test func readsAudioTokensAsSubsetsOfTheTokenCounts() throws {
        let events = try F.decode(F.event(("audio_input_tokens", "1000"), ("audio_output_tokens", "200")))
        #expect(events[0].tokens.audioInput == 1000)
        #expect(events[0].tokens.audioOutput == 200)
        #expect(events[0].tokens.uncachedInput == 200)
        #expect(events[0].tokens.visibleOutput == 100)
    }

    @Test func anEmbeddingIsInputTokensWithNoOutput() throws {
        let events = try F.decode(F.event(("model", #""text-embedding-3-small""#), ("output_tokens", "0")))
        #expect(events[0].tokens == TokenUsage(input: 1200, output: 0))
        #expect(events[0].media.isEmpty)
    }

    @Test func audioInputTokensBeyondTheUncachedInputAreAnErrorNamingTheField() {
        let errors = F.errors(F.event(("cache_read_input_tokens", "1000"), ("audio_input_tokens", "300")))
        #expect(errors.map(\.field) == ["audio_input_tokens"])
        #expect(errors.first?.message.contains("must not exceed input_tokens (1200)") == true)
    }

    @Test func audioOutputTokensBeyondTheOutputAreAnErrorNamingTheField() {
        let errors = F.errors(F.event(("reasoning_tokens", "100"), ("audio_output_tokens", "201")))
        #expect(errors.map(\.field) == ["audio_output_tokens"])
    }

    @Test func secondsWithMoreThanSixDecimalsOrAFloatSpellingOfThemAreRefused() {
        #expect(F.errors(F.event(("audio_input_seconds", "0.1234567"))) == [
            F.error("audio_input_seconds", "must have at most 6 decimal places (microseconds)")])
        #expect(F.errors(F.event(("audio_output_seconds", "-1"))) == [F.error("audio_output_seconds", "must not be negative")])
        #expect(F.errors(F.event(("audio_output_seconds", "true"))).map(\.field) == ["audio_output_seconds"])
    }

    @Test func imagesMustBeAWholeNumber() {
        #expect(F.errors(F.event(("images", "1.5"))) == [F.error("images", "must be a whole number of images, 0 or more")])
        #expect(F.errors(F.event(("images", #""2""#))) == [F.error("images", "must be a whole number of images")])
    }
}
