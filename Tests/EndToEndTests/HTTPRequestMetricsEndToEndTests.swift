import Foundation
import TestSupport
import Testing

/// `tokenwarden_http_requests_total{route,code}` and `tokenwarden_http_request_duration_seconds{route}`
/// over real requests: labelled by the router's pattern, never by the path a client sent.
@Suite struct HTTPRequestMetricsEndToEndTests {
    @Test func responsesAreCountedByRoutePatternAndStatusCode() async throws {
        let fixture = try RulesFixture(config: "ingest:\n  max_body_bytes: 2KiB\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        for id in ["m1", "m2", "m3"] {
            #expect(try await HTTP.postJSON("\(base)/v1/usage", usageEvent(id)).status == 200)
        }
        #expect(try await HTTP.postJSON("\(base)/v1/usage", "{").status == 400)
        let large = "[" + (0..<40).map { usageEvent("big-\($0)") }.joined(separator: ",") + "]"
        #expect(try await HTTP.postJSON("\(base)/v1/usage", large).status == 413)
        #expect(try await HTTP.request("PUT", "\(base)/v1/check").status == 405)
        for id in ["res_a", "res_b"] {
            #expect(try await HTTP.request("DELETE", "\(base)/v1/reservations/\(id)").status == 404)
        }
        for path in ["/nope", "/v1/nope/\(UUID().uuidString)"] {
            #expect(try await HTTP.get("\(base)\(path)").status == 404)
        }
        #expect(try await HTTP.get("\(base)/-/healthy").status == 200)

        let scrape = try await HTTP.get("\(base)/metrics")
        let result = try Tools.run("promtool", ["check", "metrics"], input: scrape.body)
        #expect(result.status == 0, "promtool: \(result.output)")
        let exposition = Exposition(scrape.text)
        let counted: [([String: String], Double)] = [
            (["route": "/v1/usage", "code": "200"], 3),
            (["route": "/v1/usage", "code": "400"], 1),
            (["route": "/v1/usage", "code": "413"], 1),
            (["route": "/v1/check", "code": "405"], 1),
            (["route": "/v1/reservations/{id}", "code": "404"], 2),
            (["route": "other", "code": "404"], 2),
            (["route": "/-/healthy", "code": "200"], 1),
        ]
        for (labels, count) in counted {
            #expect(exposition.values("tokenwarden_http_requests_total", where: labels) == [count], "\(labels)")
        }
        let routes = Set(exposition.samples.filter { $0.name == "tokenwarden_http_requests_total" }.compactMap { $0.labels["route"] })
        #expect(!routes.contains { $0.contains("res_") || $0.contains("nope") }, "\(routes)")
        #expect(exposition.values("tokenwarden_http_request_duration_seconds_count", where: ["route": "/v1/usage"]) == [5])
        #expect(exposition.values("tokenwarden_http_request_duration_seconds_bucket", where: ["route": "/v1/usage", "le": "+Inf"]) == [5])
        #expect(exposition.values("tokenwarden_http_request_duration_seconds_sum", where: ["route": "/v1/usage"]).first.map { $0 > 0 } == true)
        await warden.stop()
    }
}
