import Testing
import WardenCore
import WardenFormats

/// Choosing the body format from the Content-Type header.
@Suite struct UsageEventDecoderContentTypeTests {
    @Test func readsJSONMediaType() {
        #expect(UsageBodyFormat.from(contentType: "application/json") == .json)
    }

    @Test func ignoresCaseAndParameters() {
        #expect(UsageBodyFormat.from(contentType: "Application/JSON; charset=utf-8") == .json)
        #expect(UsageBodyFormat.from(contentType: " application/json ;charset=\"UTF-8\"; foo=bar") == .json)
    }

    @Test func readsBothNDJSONMediaTypes() {
        #expect(UsageBodyFormat.from(contentType: "application/x-ndjson") == .ndjson)
        #expect(UsageBodyFormat.from(contentType: "application/ndjson; charset=utf8") == .ndjson)
    }

    @Test func refusesOtherMediaTypes() {
        for contentType in [nil, "", "text/plain", "application/jsonl", "application/json-seq", "text/json", "application/x-www-form-urlencoded"] {
            #expect(UsageBodyFormat.from(contentType: contentType) == nil, "\(contentType ?? "nil")")
        }
    }

    @Test func refusesCharsetsOtherThanUTF8() {
        #expect(UsageBodyFormat.from(contentType: "application/json; charset=iso-8859-1") == nil)
        #expect(UsageBodyFormat.from(contentType: "application/json; charset=utf-16") == nil)
    }
}
