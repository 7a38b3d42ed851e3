import Foundation
import Testing
import WardenHTTP

/// `POST /v1/integrations/litellm` through the real router, runtime and SQLite store, in process.
@Suite("LiteLLM webhook route")
struct LiteLLMRouteTests {
    static let path = "/v1/integrations/litellm"

    static func exportedEvents(_ warden: InProcessWarden) async throws -> [[String: Any]] {
        try #require(try await warden.get("/v1/usage").json()["events"] as? [[String: Any]])
    }

    @Test func aSinglePayloadObjectIsRecordedUnderItsPrefixedIdWithTheCatalogsExactCost() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmPayload("c1"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"results":[{"id":"litellm:c1","cost":"0.0035","currency":"USD","duplicate":false}],"ignored":[]}"#)
        }
    }

    @Test func anArrayOfPayloadsIsAnsweredInTheBodysOrder() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmBatch(litellmPayload("a2", completion: "0"), litellmPayload("a1")))
            #expect(response.status == 200)
            #expect(response.text == #"{"results":[{"id":"litellm:a2","cost":"0.0025","currency":"USD","duplicate":false},"#
                + #"{"id":"litellm:a1","cost":"0.0035","currency":"USD","duplicate":false}],"ignored":[]}"#)
        }
    }

    @Test func ndjsonIsRecognisedFromTheBodyUnderApplicationJSON() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmPayload("n1") + "\n\n" + litellmPayload("n2") + "\n")
            #expect(response.status == 200)
            let results = try response.json()["results"] as? [[String: Any]]
            #expect(results?.map { $0["id"] as? String } == ["litellm:n1", "litellm:n2"])
        }
    }

    @Test func ndjsonIsAcceptedUnderItsOwnContentType() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, body: litellmPayload("t1") + "\n" + litellmPayload("t2"),
                                                 contentType: "application/x-ndjson")
            #expect(response.status == 200)
            #expect(try await Self.exportedEvents(warden).count == 2)
        }
    }

    @Test func anotherContentTypeIs415NamingIt() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, body: litellmPayload("t1"), contentType: "text/plain")
            #expect(response.status == 415)
            #expect(response.text == #"{"error":"Content-Type must be application/json or application/x-ndjson, not text/plain"}"#)
        }
    }

    @Test func cachedPromptTokensArePricedAsCacheReads() async throws {
        try await withWarden { warden in
            // 600 × 2.50/M + 400 × 1.25/M + 100 × 10/M.
            let response = try await warden.post(Self.path, json: litellmPayload("k1", cachedTokens: 400))
            #expect(try (response.json()["results"] as? [[String: Any]])?.first?["cost"] as? String == "0.003")
            #expect(try await Self.exportedEvents(warden).first?["cache_read_input_tokens"] as? Int == 400)
        }
    }

    @Test func attributionLabelsAreReadFromTheirDefaultPaths() async throws {
        try await withWarden { warden in
            _ = try await warden.post(Self.path, json: litellmPayload("l1", team: "ads"))
            let attribution = try await Self.exportedEvents(warden).first?["attribution"] as? [String: String]
            #expect(attribution == ["team": "ads", "agent": "support-bot", "user": "u-42"])
        }
    }

    @Test func aFailedCallIsIgnoredWithItsReasonAndRecordsNothing() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmPayload("f1", status: "failure"))
            #expect(response.status == 200)
            #expect(response.text == #"{"results":[],"ignored":[{"id":"litellm:f1","reason":"status failure"}]}"#)
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func unreadFieldsOfEveryKindAndUnknownFieldsAreIgnored() async throws {
        try await withWarden { warden in
            let extra = #","future_field":{"a":[1,-0.5e+3,"\/\b\f\n\r\t\u0041",true,false,null,{"b":{}}]},"x\u0079":[]"#
            let response = try await warden.post(Self.path, json: litellmPayload("u1", extra: extra))
            #expect(response.status == 200)
            #expect(try (response.json()["results"] as? [[String: Any]])?.first?["cost"] as? String == "0.0035")
        }
    }

    @Test func theFirstOfTwoMembersWithTheSameNameIsTheOneRead() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmPayload("r1", extra: #","prompt_tokens":999999,"id":"other""#))
            #expect(response.text == #"{"results":[{"id":"litellm:r1","cost":"0.0035","currency":"USD","duplicate":false}],"ignored":[]}"#)
        }
    }

    @Test func malformedJSONInAFieldNeverReadIs400WithItsByteOffset() async throws {
        try await withWarden { warden in
            let payload = litellmPayload("m1", extra: #","cost_breakdown":{"total_cost":0.00575,"service_tier":nul}"#)
            let offset = try #require(Array(payload.utf8).firstRange(of: Array("nul}".utf8))).lowerBound
            let response = try await warden.post(Self.path, json: litellmBatch(litellmPayload("m0"), payload))
            #expect(response.status == 400)
            let body = try response.json()
            let expected = litellmPayload("m0").utf8.count + 2 + offset
            #expect(body["offset"] as? Int == expected)
            #expect(body["error"] as? String == "malformed JSON at byte \(expected): invalid literal (expected true, false or null)")
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func invalidUTF8InAFieldNeverReadIs400() async throws {
        try await withWarden { warden in
            var body = Array(litellmPayload("v1", extra: #","note":"@""#).utf8)
            let at = try #require(body.lastIndex(of: UInt8(ascii: "@")))
            body[at] = 0xC0
            let response = try await warden.send(HTTPRequest(method: "POST", path: Self.path,
                                                             headers: [(name: "Content-Type", value: "application/json")], body: body))
            #expect(response.status == 400)
            #expect(try response.json()["offset"] as? Int == at)
        }
    }

    @Test func aBrokenNDJSONLineIs400NamingItsLineAndRecordsNothing() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmPayload("b1") + "\n{\"id\": \n")
            #expect(response.status == 400)
            let body = try response.json()
            #expect(body["line"] as? Int == 2)
            #expect(body["offset"] as? Int == litellmPayload("b1").utf8.count + 8)
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func oneInvalidPayloadRejectsTheBatchNamingEachFieldAndRecordsNothing() async throws {
        try await withWarden { warden in
            let broken = litellmPayload("i2", prompt: #""many""#, completion: "-1")
            let response = try await warden.post(Self.path, json: litellmBatch(litellmPayload("i1"), broken))
            #expect(response.status == 400)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.map { $0["index"] as? Int } == [1, 1])
            #expect(errors.map { $0["field"] as? String } == ["prompt_tokens", "completion_tokens"])
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func aPayloadThatIsNotAnObjectIsRejectedByItsIndex() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmBatch(litellmPayload("o1"), "[]"))
            #expect(response.status == 400)
            #expect(response.text == #"{"errors":[{"index":1,"field":"","message":"must be a JSON object (a LiteLLM standard logging payload)"}]}"#)
        }
    }

    @Test func aModelTheCatalogLacksIs422AndRecordsNothing() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: litellmBatch(litellmPayload("p1"), litellmPayload("p2", model: "gpt-9")))
            #expect(response.status == 422)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.map { $0["index"] as? Int } == [1])
            #expect(errors.map { $0["field"] as? String } == ["model"])
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func aPayloadSentAgainIsADuplicateWithTheOriginalCost() async throws {
        try await withWarden { warden in
            _ = try await warden.post(Self.path, json: litellmPayload("d1"))
            let again = try await warden.post(Self.path, json: litellmPayload("d1", prompt: "999999"))
            #expect(again.status == 200)
            #expect(again.text == #"{"results":[{"id":"litellm:d1","cost":"0.0035","currency":"USD","duplicate":true}],"ignored":[]}"#)
            #expect(try await Self.exportedEvents(warden).count == 1)
        }
    }

    @Test func anEmptyArrayIs400() async throws {
        try await withWarden { warden in
            let response = try await warden.post(Self.path, json: "[]")
            #expect(response.status == 400)
            #expect(response.text == #"{"error":"the body contains no LiteLLM payloads"}"#)
        }
    }
}
