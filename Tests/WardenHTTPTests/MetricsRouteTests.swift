import Foundation
import Testing
import WardenHTTP

/// `GET /metrics` through the real ledger and collectors, in process.
@Suite("Metrics route")
struct MetricsRouteTests {
    @Test func theDefaultIsPrometheusTextStreamed() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/metrics")
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.header("Vary") == "Accept, Accept-Encoding")
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.text.contains("# TYPE tokenwarden_build_info gauge"))
            #expect(!response.text.contains("# EOF"))
        }
    }

    @Test func recordedUsageShowsInTheExposition() async throws {
        try await withWarden { warden in
            _ = try await warden.post("/v1/usage", json: usageEvent("m1", team: "metered"))
            let lines = try await warden.get("/metrics").text.split(separator: "\n")
            let requests = lines.filter { $0.hasPrefix("tokenwarden_requests_total{") && $0.contains(#"team="metered""#) }
            #expect(requests.count == 1)
            #expect(requests.first?.hasSuffix(" 1") == true)
        }
    }

    @Test func openMetricsIsServedWhenAcceptAsksForIt() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/metrics", headers: [("Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")])
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(response.text.hasSuffix("# EOF\n"))
        }
    }

    @Test func theBodyIsGzippedWhenAccepted() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/metrics", headers: [("Accept-Encoding", "gzip, deflate")])
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(Array(response.body.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
            let plain = String(decoding: try SystemGzip.decompress(response.body), as: UTF8.self)
            #expect(plain.contains("# TYPE tokenwarden_build_info gauge"))
        }
    }

    @Test func gzipRefusedWithQZeroIsNotUsed() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/metrics", headers: [("Accept-Encoding", "gzip;q=0, *")])
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.text.contains("# TYPE tokenwarden_build_info gauge"))
        }
    }
}
