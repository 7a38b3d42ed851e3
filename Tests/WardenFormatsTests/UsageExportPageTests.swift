import Testing
import WardenCore
import WardenFormats

/// A saved page of `GET /v1/usage` read back as the events that were posted.
@Suite struct UsageExportPageTests {
    static let page = #"""
        {"events":[{"seq":7,"id":"e1","time":"2026-03-04T10:15:00.123456789Z","received_at":"2026-03-04T10:15:01Z",
        "provider":"openai","model":"gpt-4o","input_tokens":2000000,"output_tokens":12,"cache_read_input_tokens":5,
        "cache_creation_input_tokens":0,"reasoning_tokens":3,"cost":"5.000125","currency":"USD","priced":true,
        "attribution":{"org":"acme","team":"search"},"reservation":null},
        {"seq":8,"id":"e2","time":"2026-03-04T11:00:00Z","received_at":"2026-03-04T11:00:00Z","provider":"openai",
        "model":"gpt-4o","input_tokens":1,"output_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,
        "reasoning_tokens":0,"cost":"0.0000025","currency":"USD","priced":true,"attribution":{},"reservation":"r-1"}],
        "next_cursor":"8"}
        """#

    @Test func aPageDecodesToTheEventsAsPosted() throws {
        let body = try #require(UsageExportPage.usageBody(fromPage: Array(Self.page.utf8)))
        let events = try UsageEventDecoder(schema: .standard).decode(body, format: .json)
        #expect(events.map(\.id) == ["e1", "e2"])
        #expect(events[0].time == (try Timestamp(rfc3339: "2026-03-04T10:15:00.123456789Z")))
        #expect(events[0].tokens == TokenUsage(input: 2_000_000, output: 12, cacheRead: 5, cacheCreation: 0, reasoning: 3))
        #expect(events[0].attribution["team"] == "search")
        #expect(events[0].reservation == nil)
        #expect(events[1].reservation == "r-1")
    }

    @Test func ndjsonAndPlainArraysAreNotPages() {
        #expect(UsageExportPage.usageBody(fromPage: Array(#"{"id":"e1","provider":"openai"}"#.utf8)) == nil)
        #expect(UsageExportPage.usageBody(fromPage: Array("{\"id\":\"a\"}\n{\"id\":\"b\"}\n".utf8)) == nil)
        #expect(UsageExportPage.usageBody(fromPage: Array(#"[{"id":"e1"}]"#.utf8)) == nil)
    }

    @Test func aMemberTheExportDoesNotWriteIsStillAnError() throws {
        let page = #"{"events":[{"id":"e1","time":"2026-03-04T10:15:00Z","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":0,"colour":"red"}],"next_cursor":null}"#
        let body = try #require(UsageExportPage.usageBody(fromPage: Array(page.utf8)))
        #expect(throws: UsageDecodeError.self) { try UsageEventDecoder(schema: .standard).decode(body, format: .json) }
    }
}
