import Foundation
import Testing
import WardenHTTP

/// `POST /v1/check` and `DELETE /v1/reservations/{id}` through the real router and rule engine,
/// in process.
@Suite("Check and reservation routes")
struct CheckRouteTests {
    /// A budget every acme check matches (denies past 100 USD), a policy refusing interns, and a
    /// quota of one request a minute for the team `throttled` only.
    static let rules = [
        "budgets.yaml": """
            budgets:
              - name: acme-total
                scope: {org: acme}
                period: total
                limit: "100.00 USD"
                thresholds:
                  - {at: 100%, action: deny}
            """,
        "policies.yaml": """
            policies:
              - name: interns-denied
                when: 'team == "interns"'
                action: deny
                message: "interns may not call models"
            """,
        "quotas.yaml": """
            quotas:
              - name: one-per-minute
                scope: {team: throttled}
                requests: 1
                window: 1m
            """,
    ]

    private static func reason(_ body: [String: Any], rule: String) -> [String: Any]? {
        (body["reasons"] as? [[String: Any]])?.first { $0["rule"] as? String == rule }
    }

    @Test func anAllowedCheckIs200WithAReservation() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest())
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.json()
            #expect(body["decision"] as? String == "allow")
            #expect(body["estimated_cost"] as? String == "0.0125")
            #expect(body["currency"] as? String == "USD")
            #expect(body["retry_after_seconds"] is NSNull)
            let reservation = try #require(body["reservation"] as? [String: Any])
            #expect(Set(reservation.keys) == ["id", "amount", "currency", "tokens", "expires_at"])
            #expect((reservation["id"] as? String)?.hasPrefix("rsv_") == true)
            #expect(reservation["amount"] as? String == "0.0125")
            #expect(reservation["currency"] as? String == "USD")
            #expect(reservation["tokens"] as? Int == 2000)
            let budget = try #require(Self.reason(body, rule: "acme-total"))
            #expect(budget["kind"] as? String == "budget")
            #expect(budget["decision"] as? String == "allow")
            #expect(budget["message"] as? String == "within budget")
            #expect(budget["scope"] as? [String: String] == ["org": "acme"])
        }
    }

    @Test func aCheckNoQuotaAppliesToHasNoRateLimitHeaders() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest())
            #expect(response.status == 200)
            #expect(response.header("RateLimit-Policy") == nil)
            #expect(response.header("RateLimit") == nil)
            #expect(response.header("Retry-After") == nil)
        }
    }

    @Test func aDenyingPolicyIs403WithoutAReservation() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest(team: "interns"))
            #expect(response.status == 403)
            let body = try response.json()
            #expect(body["decision"] as? String == "deny")
            #expect(body["reservation"] is NSNull)
            let policy = try #require(Self.reason(body, rule: "interns-denied"))
            #expect(policy["kind"] as? String == "policy")
            #expect(policy["decision"] as? String == "deny")
            #expect(policy["message"] as? String == "interns may not call models")
        }
    }

    @Test func aCheckThatWouldPassABudgetsDenyStepIs403() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest(extra: #","estimated_cost":"150.00""#))
            #expect(response.status == 403)
            let body = try response.json()
            #expect(body["decision"] as? String == "deny")
            #expect(body["reservation"] is NSNull)
            #expect(Self.reason(body, rule: "acme-total")?["decision"] as? String == "deny")
        }
    }

    @Test func aQuotaOverItsRateIs429WithRetryAfterAndRateLimitHeaders() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let first = try await warden.post("/v1/check", json: checkRequest(team: "throttled"))
            #expect(first.status == 200)
            #expect(first.header("RateLimit-Policy") == #""one-per-minute";q=1;w=60"#)

            let second = try await warden.post("/v1/check", json: checkRequest(team: "throttled"))
            #expect(second.status == 429)
            let retryAfter = try #require(second.header("Retry-After").flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(second.header("RateLimit-Policy") == #""one-per-minute";q=1;w=60"#)
            #expect(second.header("RateLimit")?.hasPrefix(#""one-per-minute";r=0;t="#) == true)
            let body = try second.json()
            #expect(body["decision"] as? String == "throttle")
            #expect(body["retry_after_seconds"] as? Int == retryAfter)
            #expect(body["reservation"] is NSNull)
            #expect(Self.reason(body, rule: "one-per-minute")?["kind"] as? String == "quota")
        }
    }

    @Test func anInvalidFieldIs400NamingIt() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest(extra: #","priority":"urgent""#))
            #expect(response.status == 400)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["priority"])
            #expect(Set(errors.first?.keys.map { $0 } ?? []) == ["field", "message"])
        }
    }

    @Test func aFractionalTokenCountIs400NamingTheField() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let body = #"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":1.5,"attribution":{"org":"acme"}}"#
            let response = try await warden.post("/v1/check", json: body)
            #expect(response.status == 400)
            let errors = try #require(try response.json()["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["estimated_input_tokens"])
        }
    }

    @Test func malformedJSONIs400WithTheByteOffset() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: #"{"provider": "openai" "model"}"#)
            #expect(response.status == 400)
            let body = try response.json()
            #expect(body["offset"] as? Int == 22)
            #expect((body["error"] as? String)?.hasPrefix("malformed JSON at byte 22") == true)
        }
    }

    @Test func anotherContentTypeIs415() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", body: checkRequest(), contentType: "application/x-ndjson")
            #expect(response.status == 415)
            #expect(response.text == #"{"error":"Content-Type must be application/json, not application/x-ndjson"}"#)
        }
    }

    @Test func anUnknownModelWithoutAnEstimatedCostIs422NamingIt() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest(model: "gpt-9"))
            #expect(response.status == 422)
            #expect(response.text == #"{"error":"unknown model \"gpt-9\" of provider \"openai\": no price to estimate the cost; "#
                + #"send estimated_cost or add the model to a pricing file"}"#)
        }
    }

    @Test func anUnknownModelWithAnEstimatedCostIsChecked() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.post("/v1/check", json: checkRequest(model: "gpt-9", extra: #","estimated_cost":"0.50""#))
            #expect(response.status == 200)
            let reservation = try #require(try response.json()["reservation"] as? [String: Any])
            #expect(reservation["amount"] as? String == "0.5")
        }
    }

    // MARK: reservations.max_active

    private static let oneReservation = "reservations:\n  max_active: 1\n"

    @Test func aCheckThatWouldReservePastMaxActiveIs503WithRetryAfter() async throws {
        try await withWarden(config: Self.oneReservation, rules: Self.rules) { warden in
            #expect(try await warden.post("/v1/check", json: checkRequest()).status == 200)
            let response = try await warden.post("/v1/check", json: checkRequest())
            #expect(response.status == 503)
            let body = try response.json()
            #expect((body["error"] as? String)?.hasPrefix("too many unclaimed reservations") == true)
            let seconds = try #require(body["retry_after_seconds"] as? Int)
            #expect((1...300).contains(seconds), "the reservation TTL is 5m")
            #expect(response.header("Retry-After") == String(seconds))
        }
    }

    @Test func aCheckThatReservesNothingIsAnsweredWhileReservationsAreFull() async throws {
        try await withWarden(config: Self.oneReservation, rules: Self.rules) { warden in
            #expect(try await warden.post("/v1/check", json: checkRequest()).status == 200)
            let refused = try await warden.post("/v1/check", json: checkRequest(team: "interns"))
            #expect(refused.status == 403)
        }
    }

    @Test func aReleasedReservationFreesItsPlaceAtOnce() async throws {
        try await withWarden(config: Self.oneReservation, rules: Self.rules) { warden in
            let first = try await warden.post("/v1/check", json: checkRequest()).json()
            let id = try #require((first["reservation"] as? [String: Any])?["id"] as? String)
            #expect(try await warden.delete("/v1/reservations/\(id)").status == 204)
            #expect(try await warden.post("/v1/check", json: checkRequest()).status == 200)
        }
    }

    // MARK: DELETE /v1/reservations/{id}

    @Test func releasingAReservationIs204ThenItIsUnknown() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let check = try await warden.post("/v1/check", json: checkRequest()).json()
            let id = try #require((check["reservation"] as? [String: Any])?["id"] as? String)

            let released = try await warden.delete("/v1/reservations/\(id)")
            #expect(released.status == 204)
            #expect(released.body.isEmpty)

            let again = try await warden.delete("/v1/reservations/\(id)")
            #expect(again.status == 404)
            #expect(again.text == #"{"error":"reservation \#(id) is unknown: never made, already committed or released, or expired"}"#)
        }
    }

    @Test func aReservationCommittedByUsageCannotBeReleased() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let check = try await warden.post("/v1/check", json: checkRequest()).json()
            let id = try #require((check["reservation"] as? [String: Any])?["id"] as? String)
            let usage = try await warden.post("/v1/usage", json: usageEvent("r1", reservation: id))
            #expect(usage.status == 200)
            #expect(try await warden.delete("/v1/reservations/\(id)").status == 404)
        }
    }

    @Test func aReservationPathWithASlashInTheIdIs404() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let response = try await warden.delete("/v1/reservations/rsv_1/extra")
            #expect(response.status == 404)
            #expect(response.text == #"{"error":"no such endpoint: /v1/reservations/rsv_1/extra"}"#)
        }
    }
}
