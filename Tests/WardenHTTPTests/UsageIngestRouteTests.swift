import Foundation
import Testing
import WardenHTTP

/// `POST /v1/usage` through the real router, runtime and SQLite store, in process.
@Suite("Usage ingest route")
struct UsageIngestRouteTests {
    @Test func aValidEventIsAnsweredWithItsExactCost() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", json: usageEvent("e1"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"results":[{"id":"e1","cost":"0.0035","currency":"USD","duplicate":false}]}"#)
        }
    }

    @Test func anAnsweredEventIsAlreadyDurableAndExported() async throws {
        try await withWarden { warden in
            _ = try await warden.post("/v1/usage", json: usageEvent("e1"))
            let events = try await warden.get("/v1/usage").json()["events"] as? [[String: Any]]
            #expect(events?.map { $0["id"] as? String } == ["e1"])
        }
    }

    @Test func aBatchIsAnsweredInTheBodysOrder() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", json: "[\(usageEvent("b2", output: 0)),\(usageEvent("b1"))]")
            #expect(response.status == 200)
            #expect(response.text == #"{"results":[{"id":"b2","cost":"0.0025","currency":"USD","duplicate":false},"#
                + #"{"id":"b1","cost":"0.0035","currency":"USD","duplicate":false}]}"#)
        }
    }

    @Test func aRepeatedIdIsADuplicateWithTheOriginalCost() async throws {
        try await withWarden { warden in
            _ = try await warden.post("/v1/usage", json: usageEvent("d1"))
            let again = try await warden.post("/v1/usage", json: usageEvent("d1", input: 999_999))
            #expect(again.status == 200)
            #expect(again.text == #"{"results":[{"id":"d1","cost":"0.0035","currency":"USD","duplicate":true}]}"#)
        }
    }

    @Test func ndjsonIsAcceptedWithItsContentType() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", body: usageEvent("n1") + "\n" + usageEvent("n2") + "\n",
                                                 contentType: "application/x-ndjson")
            #expect(response.status == 200)
            let results = try response.json()["results"] as? [[String: Any]]
            #expect(results?.map { $0["id"] as? String } == ["n1", "n2"])
        }
    }

    @Test func anotherContentTypeIs415NamingIt() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", body: usageEvent("t1"), contentType: "text/plain")
            #expect(response.status == 415)
            #expect(response.text == #"{"error":"Content-Type must be application/json or application/x-ndjson, not text/plain"}"#)
        }
    }

    @Test func anInvalidEventIs400WithItsIndexFieldAndMessage() async throws {
        try await withWarden { warden in
            let invalid = #"{"id":"bad","provider":"openai","model":"gpt-4o","input_tokens":1.5,"output_tokens":1}"#
            let response = try await warden.post("/v1/usage", json: "[\(usageEvent("ok")),\(invalid)]")
            #expect(response.status == 400)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["index"] as? Int == 1)
            #expect(errors.first?["field"] as? String == "input_tokens")
            #expect(errors.first?["message"] as? String == "must be a whole number of tokens")
            #expect(Set(errors.first?.keys.map { $0 } ?? []) == ["index", "field", "message"])
        }
    }

    @Test func aRejectedBatchRecordsNothing() async throws {
        try await withWarden { warden in
            let rejected = try await warden.post("/v1/usage", json: "[\(usageEvent("ok")),\(usageEvent("unpriced", model: "gpt-9"))]")
            #expect(rejected.status == 422)
            let events = try await warden.get("/v1/usage").json()["events"] as? [Any]
            #expect(events?.isEmpty == true)
        }
    }

    @Test func malformedJSONIs400WithTheByteOffset() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", json: #"{"id": "x", "provider" "openai"}"#)
            #expect(response.status == 400)
            let body = try response.json()
            #expect(body["offset"] as? Int == 23)
            #expect((body["error"] as? String)?.hasPrefix("malformed JSON at byte 23") == true)
            #expect(body["line"] == nil)
        }
    }

    @Test func malformedNDJSONIs400WithTheOffsetAndLine() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", body: usageEvent("n1") + "\n{\"id\": \n",
                                                 contentType: "application/x-ndjson")
            #expect(response.status == 400)
            let body = try response.json()
            #expect(body["line"] as? Int == 2)
            #expect((body["offset"] as? Int ?? 0) > usageEvent("n1").utf8.count)
        }
    }

    @Test func aBodyWithoutEventsIs400() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", json: "[]")
            #expect(response.status == 400)
            #expect(response.text == #"{"error":"the body contains no usage events"}"#)
        }
    }

    @Test func anUnknownModelIs422NamingTheModelField() async throws {
        try await withWarden { warden in
            let response = try await warden.post("/v1/usage", json: usageEvent("u1", model: "gpt-9"))
            #expect(response.status == 422)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.map { $0["index"] as? Int } == [0])
            #expect(errors.map { $0["field"] as? String } == ["model"])
            #expect((errors.first?["message"] as? String)?.contains("gpt-9") == true)
        }
    }
}
