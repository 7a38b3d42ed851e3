import Foundation
import SwiftProtobuf
import Testing
import WardenFormats
import WardenHTTP

/// `POST /v1/traces` through the real router, runtime and SQLite store, in process.
@Suite("OTLP trace route")
struct OTLPTraceRouteTests {
    static let path = "/v1/traces"

    static func post(_ warden: InProcessWarden, _ body: [UInt8], contentType: String = "application/x-protobuf",
                     encoding: String? = nil) async throws -> RouteResponse {
        var headers = [(name: "Content-Type", value: contentType)]
        if let encoding { headers.append((name: "Content-Encoding", value: encoding)) }
        return try await warden.send(HTTPRequest(method: "POST", path: path, headers: headers, body: body))
    }

    static func exportedEvents(_ warden: InProcessWarden) async throws -> [[String: Any]] {
        try #require(try await warden.get("/v1/usage").json()["events"] as? [[String: Any]])
    }

    @Test func aProtobufExportIsRecordedAndAnsweredWithAnEmptyProtobufResponse() async throws {
        try await withWarden { warden in
            let span = OTLPSpan()
            let response = try await Self.post(warden, try OTLPExports.protobuf(span))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/x-protobuf")
            #expect(response.body.isEmpty)
            let events = try await Self.exportedEvents(warden)
            #expect(events.map { $0["id"] as? String } == [span.id])
            #expect(events.first?["cost"] as? String == "0.0035")
            #expect(events.first?["attribution"] as? [String: String] == ["agent": "support-bot"])
        }
    }

    @Test func aJSONExportIsAnsweredInJSON() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, Array(OTLPExports.json(OTLPSpan()).utf8), contentType: "application/json")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == "{}")
            #expect(try await Self.exportedEvents(warden).map { $0["id"] as? String } == [OTLPSpan().id])
        }
    }

    @Test func aContentTypeWithParametersIsAccepted() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, Array(OTLPExports.json(OTLPSpan()).utf8), contentType: "Application/JSON; charset=utf-8")
            #expect(response.status == 200)
        }
    }

    @Test func aGzipBodyIsInflated() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, try SystemGzip.compress(try OTLPExports.protobuf(OTLPSpan())), encoding: "gzip")
            #expect(response.status == 200)
            #expect(try await Self.exportedEvents(warden).count == 1)
        }
    }

    @Test func aCorruptGzipBodyIs400WithAStatusInTheRequestsEncoding() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, [0x1F, 0x8B, 0x08, 0, 1, 2, 3], contentType: "application/json", encoding: "gzip")
            #expect(response.status == 400)
            let status = try response.json()
            #expect(status["code"] as? Int == 3)
            #expect((status["message"] as? String)?.hasPrefix("the gzip body cannot be inflated") == true)
        }
    }

    @Test func anotherContentEncodingIs415() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, try OTLPExports.protobuf(OTLPSpan()), contentType: "application/json", encoding: "br")
            #expect(response.status == 415)
            #expect(try response.json()["message"] as? String == "Content-Encoding br is not supported (use gzip or none)")
        }
    }

    @Test func anotherContentTypeIs415AnsweredInJSON() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, try OTLPExports.protobuf(OTLPSpan()), contentType: "text/plain")
            #expect(response.status == 415)
            #expect(response.header("Content-Type") == "application/json")
            #expect(try response.json()["message"] as? String
                    == "Content-Type must be application/x-protobuf or application/json, not text/plain")
        }
    }

    @Test func anInflatedBodyOverTheLimitIs413AndRecordsNothing() async throws {
        try await withWarden(config: "ingest:\n  max_body_bytes: 1KiB\n") { warden in
            var span = OTLPSpan()
            span.name = String(repeating: "x", count: 4096)
            let compressed = try SystemGzip.compress(try OTLPExports.protobuf(span))
            #expect(compressed.count < 1024)
            let response = try await Self.post(warden, compressed, contentType: "application/json", encoding: "gzip")
            #expect(response.status == 413)
            #expect(try response.json()["code"] as? Int == 8)
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func aSpanThatCannotBePricedIsRejectedAloneInThePartialSuccess() async throws {
        try await withWarden { warden in
            var unknown = OTLPSpan()
            unknown.spanID = [9, 9, 9, 9, 9, 9, 9, 9]
            unknown.model = "gpt-9"
            let body = Array(OTLPExports.json(OTLPSpan(), unknown).utf8)
            let response = try await Self.post(warden, body, contentType: "application/json")
            #expect(response.status == 200)
            let partial = try #require(try response.json()["partialSuccess"] as? [String: Any])
            #expect(partial["rejectedSpans"] as? Int == 1)
            #expect((partial["errorMessage"] as? String)?.contains("0909090909090909") == true)
            #expect(try await Self.exportedEvents(warden).map { $0["id"] as? String } == [OTLPSpan().id])
        }
    }

    @Test func aPartialSuccessIsAnsweredInProtobufToAProtobufExport() async throws {
        try await withWarden { warden in
            var unknown = OTLPSpan()
            unknown.model = "gpt-9"
            let response = try await Self.post(warden, try OTLPExports.protobuf(unknown))
            #expect(response.status == 200)
            let answer = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(serializedBytes: response.body)
            #expect(answer.partialSuccess.rejectedSpans == 1)
            #expect(!answer.partialSuccess.errorMessage.isEmpty)
        }
    }

    @Test func aSpanWithoutUsageIsIgnoredAndRecordsNothing() async throws {
        try await withWarden { warden in
            var plain = OTLPSpan()
            plain.input = nil
            plain.output = nil
            let response = try await Self.post(warden, Array(OTLPExports.json(plain).utf8), contentType: "application/json")
            #expect(response.status == 200)
            #expect(response.text == "{}")
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func malformedJSONIs400NamingTheByteAndRecordsNothing() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, Array(#"{"resourceSpans":[}"#.utf8), contentType: "application/json")
            #expect(response.status == 400)
            #expect(try response.json()["message"] as? String == "malformed JSON at byte 18: expected a value")
            #expect(try await Self.exportedEvents(warden).isEmpty)
        }
    }

    @Test func aBodyThatIsNotAProtobufExportIs400InProtobuf() async throws {
        try await withWarden { warden in
            let response = try await Self.post(warden, [0xFF, 0xFF, 0xFF])
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/x-protobuf")
            #expect(!response.body.isEmpty)
        }
    }

    @Test func anExportSentAgainRecordsItsSpansOnce() async throws {
        try await withWarden { warden in
            let body = try OTLPExports.protobuf(OTLPSpan())
            _ = try await Self.post(warden, body)
            let again = try await Self.post(warden, body)
            #expect(again.status == 200)
            #expect(try await Self.exportedEvents(warden).count == 1)
        }
    }
}
