import Foundation
import Testing
import WardenHTTP

/// `GET /v1/usage` and `GET /v1/usage.csv` through the real router and store, in process.
@Suite("Usage export routes")
struct UsageExportRouteTests {
    /// Records three events (search, ads, search) in one batch.
    private static func recordThree(_ warden: InProcessWarden) async throws {
        let batch = "[\(usageEvent("u1")),\(usageEvent("u2", team: "ads")),\(usageEvent("u3"))]"
        let response = try await warden.post("/v1/usage", json: batch)
        try #require(response.status == 200, "\(response.text)")
    }

    @Test func theJSONExportIsAStreamedPageOfEvents() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let response = try await warden.get("/v1/usage")
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.json()
            #expect(Set(body.keys) == ["events", "next_cursor"])
            #expect((body["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["u1", "u2", "u3"])
            #expect(body["next_cursor"] is NSNull)
        }
    }

    @Test func anExportedEventHasEveryDocumentedField() async throws {
        try await withWarden { warden in
            _ = try await warden.post("/v1/usage", json: usageEvent("u1"))
            let event = try #require((try await warden.get("/v1/usage").json()["events"] as? [[String: Any]])?.first)
            #expect(Set(event.keys) == ["seq", "id", "time", "received_at", "provider", "model", "input_tokens", "output_tokens",
                                        "cache_read_input_tokens", "cache_creation_input_tokens", "reasoning_tokens", "cost",
                                        "currency", "priced", "attribution", "reservation", "audio_input_tokens",
                                        "audio_output_tokens", "images", "image_size", "image_quality",
                                        "audio_input_seconds", "audio_output_seconds"])
            #expect(event["cost"] as? String == "0.0035")
            #expect(event["input_tokens"] as? Int == 1000)
            #expect(event["priced"] as? Bool == true)
            #expect(event["attribution"] as? [String: String] == ["org": "acme", "team": "search"])
            #expect(event["reservation"] is NSNull)
            #expect(event["images"] as? Int == 0 && event["image_size"] is NSNull)
            #expect(event["audio_input_seconds"] as? String == "0")
        }
    }

    @Test func aFullPageCarriesTheCursorOfTheNextOne() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let first = try await warden.get("/v1/usage", query: [("limit", "2")]).json()
            let firstEvents = try #require(first["events"] as? [[String: Any]])
            #expect(firstEvents.map { $0["id"] as? String } == ["u1", "u2"])
            let cursor = try #require(first["next_cursor"] as? String)
            #expect(cursor == "\(firstEvents[1]["seq"] as? Int ?? -1)")

            let second = try await warden.get("/v1/usage", query: [("limit", "2"), ("cursor", cursor)]).json()
            #expect((second["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["u3"])
            #expect(second["next_cursor"] is NSNull)
        }
    }

    @Test func anAttributionKeyFiltersTheExport() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let body = try await warden.get("/v1/usage", query: [("team", "ads")]).json()
            #expect((body["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["u2"])
        }
    }

    @Test func anUnknownQueryParameterIs400NamingIt() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/usage", query: [("tem", "search")])
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/json")
            #expect((try response.json()["error"] as? String)?.hasPrefix(#"unknown query parameter "tem""#) == true)
        }
    }

    @Test func aRepeatedQueryParameterIs400NamingIt() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/usage", query: [("since", "2026-01-01T00:00:00Z"), ("since", "2027-01-01T00:00:00Z")])
            #expect(response.status == 400)
            #expect(response.text == #"{"error":"query parameter since is given more than once; give it once"}"#)
        }
    }

    @Test func aJSONLimitAboveTenThousandIs400() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/usage", query: [("limit", "10001")])
            #expect(response.status == 400)
            #expect(response.text == #"{"error":"query parameter limit must be an integer from 1 to 10000"}"#)
        }
    }

    @Test func theCSVExportIsAnAttachmentWithAHeaderRow() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let response = try await warden.get("/v1/usage.csv")
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "text/csv; charset=utf-8; header=present")
            #expect(response.header("Content-Disposition") == #"attachment; filename="tokenwarden-usage.csv""#)
            #expect(response.header("X-Next-Cursor") == nil)
            let lines = response.csvLines
            let header = [
                "seq,id,time,received_at,provider,model,input_tokens,output_tokens,cache_read_input_tokens",
                "cache_creation_input_tokens,reasoning_tokens,cost,currency,priced",
                "agent,environment,feature,org,project,session,team,user,reservation",
                "audio_input_tokens,audio_output_tokens,images,image_size,image_quality,audio_input_seconds,audio_output_seconds",
            ].joined(separator: ",")
            #expect(lines.first == header)
            #expect(lines.count == 4)
            #expect(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] } == ["u1", "u2", "u3"])
        }
    }

    @Test func aCSVPageWithMoreRowsAfterItSetsXNextCursor() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let response = try await warden.get("/v1/usage.csv", query: [("limit", "2")])
            #expect(response.status == 200)
            let lines = response.csvLines
            #expect(lines.count == 3)
            let secondSeq = lines.last.map { String($0.prefix { $0 != "," }) }
            #expect(response.header("X-Next-Cursor") == secondSeq)

            let next = try await warden.get("/v1/usage.csv", query: [("cursor", try #require(secondSeq))])
            #expect(next.csvLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] } == ["u3"])
            #expect(next.header("X-Next-Cursor") == nil)
        }
    }

    @Test func theCSVExportRefusesAnUnknownQueryParameter() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/usage.csv", query: [("colour", "red")])
            #expect(response.status == 400)
            #expect(response.header("Content-Disposition") == nil)
        }
    }

    @Test func theNDJSONExportIsAStreamedAttachmentOfOneEventObjectPerLine() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let response = try await warden.get("/v1/usage.ndjson")
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "application/x-ndjson")
            #expect(response.header("Content-Disposition") == #"attachment; filename="tokenwarden-usage.ndjson""#)
            #expect(response.text.hasSuffix("\n"))
            let lines = response.text.split(separator: "\n").map { String($0) }
            let events = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(events.map { $0["id"] as? String } == ["u1", "u2", "u3"])
        }
    }

    @Test func anNDJSONPageWithMoreEventsAfterItSetsXNextCursor() async throws {
        try await withWarden { warden in
            try await Self.recordThree(warden)
            let first = try await warden.get("/v1/usage.ndjson", query: [("limit", "2")])
            let cursor = try #require(first.header("X-Next-Cursor"))
            #expect(first.text.split(separator: "\n").count == 2)
            let next = try await warden.get("/v1/usage.ndjson", query: [("cursor", cursor)])
            let ids = try next.text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(ids.map { $0?["id"] as? String } == ["u3"])
            #expect(next.header("X-Next-Cursor") == nil)
        }
    }

    @Test func theNDJSONExportRefusesAnUnknownQueryParameter() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/usage.ndjson", query: [("colour", "red")])
            #expect(response.status == 400)
            #expect(response.header("Content-Disposition") == nil)
        }
    }
}
