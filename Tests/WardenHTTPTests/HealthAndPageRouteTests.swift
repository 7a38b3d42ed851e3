import Foundation
import Testing
import WardenHTTP

/// `/-/healthy`, `/-/ready`, `GET /`, and the edge's table of paths and methods, in process.
@Suite("Health, page and method routes")
struct HealthAndPageRouteTests {
    @Test func healthyIs200() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/-/healthy")
            #expect(response.status == 200)
            #expect(response.text == "TokenWarden is Healthy.\n")
        }
    }

    @Test func readyIs200OnceTheLedgerIsRestored() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/-/ready")
            #expect(response.status == 200)
            #expect(response.text == "TokenWarden is Ready.\n")
        }
    }

    @Test func readyIs503WithRetryAfterBeforeTheLedgerIsRestored() async throws {
        let warden = try await InProcessWarden(start: false)
        let response = try await warden.get("/-/ready")
        let healthy = try await warden.get("/-/healthy")
        try await warden.stop()
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "1")
        #expect(response.text.hasPrefix("TokenWarden is not ready: the ledger is still being restored"))
        #expect(healthy.status == 200)
    }

    @Test func usageAndChecksAre503BeforeTheLedgerIsRestored() async throws {
        let warden = try await InProcessWarden(start: false)
        let usage = try await warden.post("/v1/usage", json: usageEvent("early"))
        let check = try await warden.post("/v1/check", json: checkRequest())
        try await warden.stop()
        for response in [usage, check] {
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "1")
            #expect((try response.json()["error"] as? String)?.hasPrefix("the ledger is still being restored") == true)
        }
    }

    @Test func anUnknownPathIs404WithAJSONError() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v2/usage")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"error":"no such endpoint: /v2/usage"}"#)
        }
    }

    @Test(arguments: [
        ("DELETE", "/metrics", "GET, HEAD"),
        ("GET", "/v1/check", "POST"),
        ("PUT", "/v1/usage", "POST, GET, HEAD"),
        ("GET", "/-/reload", "POST"),
        ("POST", "/v1/audit.csv", "GET, HEAD"),
        ("GET", "/v1/reservations/rsv_1", "DELETE"),
    ])
    func aWrongMethodIs405WithAllow(method: String, path: String, allow: String) async throws {
        try await withWarden { warden in
            let response = try await warden.send(HTTPRequest(method: method, path: path))
            #expect(response.status == 405)
            #expect(response.header("Allow") == allow)
            #expect(response.text == #"{"error":"\#(method) is not allowed on \#(path)"}"#)
        }
    }

    @Test func headIsAnsweredLikeGet() async throws {
        try await withWarden { warden in
            let response = try await warden.send(HTTPRequest(method: "HEAD", path: "/-/ready"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func theSpendPageIsHTMLLinkingTheExports() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.text.hasPrefix("<!doctype html>"))
            #expect(response.text.hasSuffix("</body></html>\n"))
            #expect(response.text.contains(#"<a href="/v1/usage.csv">"#))
            #expect(response.text.contains(#"<a href="/v1/audit.csv">"#))
            #expect(!response.text.contains("<script"))
        }
    }

    @Test func theSpendPageShowsRecordedSpendByTeam() async throws {
        try await withWarden { warden in
            _ = try await warden.post("/v1/usage", json: usageEvent("p1", team: "team-on-the-page"))
            let page = try await warden.get("/").text
            #expect(page.contains("team-on-the-page"))
            #expect(page.contains("1 requests recorded"))
        }
    }
}
