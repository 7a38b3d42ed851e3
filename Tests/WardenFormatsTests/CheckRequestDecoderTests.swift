import Testing
import WardenCore
import WardenFormats

@Suite struct CheckRequestDecoderTests {
    let decoder = CheckRequestDecoder(schema: .standard)

    func decode(_ text: String) -> Result<CheckRequestDecoder.Decoded, CheckRequestDecoder.Failure> {
        decoder.decode(Array(text.utf8))
    }

    func errors(_ text: String) -> [String] {
        guard case .failure(.invalid(let errors)) = decode(text) else { return [] }
        return errors.map { "\($0.field): \($0.message)" }
    }

    @Test func theIssueExampleDecodes() throws {
        let decoded = try decode("""
            {"provider": "openai", "model": "gpt-4o", "estimated_input_tokens": 1200, "max_output_tokens": 800,
             "attribution": {"org": "acme", "team": "search", "user": "u1", "agent": "a1"}}
            """).get()
        #expect(decoded.request.provider == "openai")
        #expect(decoded.request.model == "gpt-4o")
        #expect(decoded.request.estimatedInputTokens == 1200)
        #expect(decoded.request.maxOutputTokens == 800)
        #expect(decoded.request.estimatedTokens == 2000)
        #expect(decoded.request.attribution["team"] == "search")
        #expect(decoded.request.priority == .normal)
        #expect(!decoded.hasExplicitCost)
    }

    @Test func readsTheMediaFieldsOfAUsageEvent() throws {
        let decoded = try decode("""
            {"provider": "openai", "model": "gpt-image-1", "estimated_input_tokens": 50, "max_output_tokens": 20,
             "audio_input_tokens": 30, "audio_output_tokens": 20, "images": 4, "image_size": "1024x1024",
             "image_quality": "hd", "audio_input_seconds": 12.5, "audio_output_seconds": "0.000001"}
            """).get()
        let request = decoded.request
        #expect(request.audioInputTokens == 30 && request.audioOutputTokens == 20)
        #expect(request.media == MediaUsage(images: 4, imageSize: "1024x1024", imageQuality: "hd",
                                            audioInputSeconds: MediaSeconds(microseconds: 12_500_000),
                                            audioOutputSeconds: MediaSeconds(microseconds: 1)))
        #expect(!decoded.hasExplicitCost)
    }

    @Test func aCheckWithoutMediaFieldsEstimatesNoMedia() throws {
        let request = try decode(#"{"provider":"p","model":"m","estimated_input_tokens":10}"#).get().request
        #expect(request.media == .none && request.audioInputTokens == 0 && request.audioOutputTokens == 0)
    }

    @Test func badMediaFieldsAreErrorsNamingThem() {
        #expect(errors(#"{"provider":"p","model":"m","images":1.5,"audio_input_seconds":"0.0000001","audio_output_seconds":-1}"#) == [
            "images: must be a whole number of images, 0 or more",
            "audio_input_seconds: must have at most 6 decimal places (microseconds)",
            "audio_output_seconds: must not be negative",
        ])
        #expect(errors(#"{"provider":"p","model":"m","image_size":7}"#) == ["image_size: must be a string"])
    }

    @Test func audioTokensBeyondTheEstimatedTokensAreErrorsNamingTheField() {
        #expect(errors(#"{"provider":"p","model":"m","estimated_input_tokens":10,"audio_input_tokens":11}"#) == [
            "audio_input_tokens: audio_input_tokens (11) must not exceed estimated_input_tokens (10), which counts audio tokens too",
        ])
        #expect(errors(#"{"provider":"p","model":"m","max_output_tokens":5,"audio_output_tokens":6}"#) == [
            "audio_output_tokens: audio_output_tokens (6) must not exceed max_output_tokens (5), which counts audio tokens too",
        ])
    }

    @Test func anExplicitCostIsExactFromANumberOrAString() throws {
        let number = try decode(#"{"provider":"p","model":"m","estimated_cost":0.1}"#).get()
        #expect(number.hasExplicitCost)
        #expect(number.request.estimatedCost == (try Money.parse("0.1").money))
        let string = try decode(#"{"provider":"p","model":"m","estimated_cost":"2.50","currency":"EUR","priority":"high"}"#).get()
        #expect(string.request.estimatedCost == (try Money.parse("2.5").money))
        #expect(string.request.currency == "EUR")
        #expect(string.request.priority == .high)
    }

    @Test func everyErrorIsReportedWithItsField() {
        let found = errors(#"{"modle":"m","estimated_input_tokens":-1,"max_output_tokens":1.5,"attribution":{"tema":"x"},"priority":"urgent","estimated_cost":"-3"}"#)
        #expect(found.contains { $0.hasPrefix("modle: unknown field") })
        #expect(found.contains("provider: is required"))
        #expect(found.contains("model: is required"))
        #expect(found.contains("estimated_input_tokens: must not be negative"))
        #expect(found.contains("max_output_tokens: must be a whole number of tokens"))
        #expect(found.contains { $0.hasPrefix("attribution.tema: unknown attribution key") })
        #expect(found.contains { $0.hasPrefix("priority: must be low, normal or high") })
        #expect(found.contains { $0.hasPrefix("estimated_cost: must be a decimal amount from 0") })
    }

    @Test(arguments: CheckRequestDecoder.fields)
    func aRepeatedFieldIsReportedOncePerRepeat(field: String) {
        let body = #"{"\#(field)":null,"\#(field)":null,"\#(field)":null}"#
        #expect(errors(body).filter { $0 == "\(field): duplicate field" }.count == 2)
    }

    @Test func aRepeatedUnknownFieldIsUnknownEachTimeAndNeverADuplicate() {
        let found = errors(#"{"provider":"p","model":"m","modle":1,"modle":2}"#)
        #expect(found.count == 2)
        let allowed = "approval_id, attribution, audio_input_seconds, audio_input_tokens, audio_output_seconds, "
            + "audio_output_tokens, currency, estimated_cost,"
        #expect(found.allSatisfy { $0.hasPrefix("modle: unknown field; allowed: " + allowed) })
    }

    @Test func distinctFieldsAreNoDuplicates() throws {
        let body = #"{"provider":"p","model":"m","estimated_input_tokens":1,"max_output_tokens":2,"estimated_cost":"1","currency":"USD","attribution":{},"priority":"low","id":"x","time":"2026-01-01T00:00:00Z"}"#
        #expect(errors(body).isEmpty)
        _ = try decode(body).get()
    }

    @Test func anApprovalIDMustBeANonEmptyString() throws {
        #expect(try decode(#"{"provider":"p","model":"m","estimated_cost":"1","approval_id":"apr_1"}"#).get().approvalID == "apr_1")
        #expect(try decode(#"{"provider":"p","model":"m"}"#).get().approvalID == nil)
        #expect(errors(#"{"provider":"p","model":"m","approval_id":7}"#) == ["approval_id: must be a string"])
        #expect(errors(#"{"provider":"p","model":"m","approval_id":""}"#) == ["approval_id: must not be empty"])
    }

    @Test func malformedJSONNamesItsOffset() {
        guard case .failure(.malformed(let error)) = decode(#"{"provider": "p",, }"#) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(error.offset == 17)
    }
}
