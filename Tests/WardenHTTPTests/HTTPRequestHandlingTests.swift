import TestSupport
import Synchronization
import Testing
import WardenHTTP

#if canImport(Glibc)
import Glibc
#endif

@Suite("HTTP request handling")
struct HTTPRequestHandlingTests {
    @Test func getExposesDecodedPathQueryInOrderAndHeaders() async throws {
        let seen = Mutex<HTTPRequest?>(nil)
        let handler = ClosureHandler { request, responder in
            seen.withLock { $0 = request }
            responder.send(.text(200, "ok"))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write(
                "GET /items/a%20b?x=1&y=hello%20world&x=2&flag HTTP/1.1\r\n"
                + "Host: localhost\r\nX-Warden-Tenant: acme\r\n\r\n"
            )
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "ok")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
        let request = try #require(seen.withLock { $0 })
        #expect(request.method == "GET")
        #expect(request.path == "/items/a b")
        #expect(request.query.map(\.name) == ["x", "y", "x", "flag"])
        #expect(request.query.map(\.value) == ["1", "hello world", "2", ""])
        #expect(request.queryValue("x") == "1")
        #expect(request.queryValue("y") == "hello world")
        #expect(request.queryValue("missing") == nil)
        #expect(request.header("x-warden-tenant") == "acme")
        #expect(request.header("HOST") == "localhost")
        #expect(request.body.isEmpty)
    }

    @Test func responseStatusHeadersAndBodyReachTheClient() async throws {
        let handler = ClosureHandler { _, responder in
            responder.send(HTTPResponse(status: 201, headers: [(name: "X-Budget", value: "ok")], body: Array("created".utf8)))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 201)
            #expect(response.header("X-Budget") == "ok")
            #expect(response.text == "created")
        }
    }

    @Test func chunkedPostBodyIsReassembledBeforeTheHandlerRuns() async throws {
        let calls = Mutex(0)
        let handler = ClosureHandler { request, responder in
            calls.withLock { $0 += 1 }
            responder.send(.json(200, request.body))
        }
        let pieces: [[UInt8]] = (0..<5).map { index in Array(repeating: UInt8(ascii: "a") + UInt8(index), count: 700) }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for piece in pieces {
                try client.write(chunk(piece))
                usleep(20_000)  // separate TCP segments, so libmicrohttpd delivers several uploads
            }
            try client.write(lastChunk)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == pieces.flatMap { $0 })
            #expect(response.header("Content-Type") == "application/json")
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func contentLengthBodyArrivingInPiecesIsReassembled() async throws {
        let handler = ClosureHandler { request, responder in responder.send(.json(200, request.body)) }
        let body = Array((0..<3000).map { UInt8(truncatingIfNeeded: $0) })
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            for start in stride(from: 0, to: body.count, by: 1000) {
                try client.write(Array(body[start..<min(start + 1000, body.count)]))
                usleep(10_000)
            }
            let response = try client.readResponse()
            #expect(response.body == body)
        }
    }

    @Test func announcedBodyOverTheLimitIs413WithoutReadingIt() async throws {
        let handled = Mutex(false)
        let handler = ClosureHandler { _, responder in
            handled.withLock { $0 = true }
            responder.send(.text(200, "should not run"))
        }
        try await withHTTPServer(HTTPServerConfiguration(port: 0, maxBodyBytes: 1024), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            // Only the headers are sent: the answer must not wait for a body.
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.text == #"{"error":"request body exceeds 1024 bytes"}"#)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
        }
        #expect(handled.withLock { $0 } == false)
    }

    @Test func chunkedBodyGrowingOverTheLimitIs413() async throws {
        let handled = Mutex(false)
        let handler = ClosureHandler { _, responder in
            handled.withLock { $0 = true }
            responder.send(.text(200, "should not run"))
        }
        try await withHTTPServer(HTTPServerConfiguration(port: 0, maxBodyBytes: 1024), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<4 {
                try client.write(chunk(Array(repeating: 0x41, count: 600)))
                usleep(10_000)
            }
            try client.write(lastChunk)
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.text == #"{"error":"request body exceeds 1024 bytes"}"#)
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
        }
        #expect(handled.withLock { $0 } == false)
    }

    @Test func chunkedUploadThatNeverStopsIsCutOff() async throws {
        let handler = ClosureHandler { _, responder in responder.send(.text(200, "should not run")) }
        try await withHTTPServer(HTTPServerConfiguration(port: 0, maxBodyBytes: 1024), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            var sent = 0
            var cutOff = false
            while sent < 64 << 20 {
                do {
                    try client.write(chunk(Array(repeating: 0x41, count: 16 << 10)))
                } catch {
                    cutOff = true
                    break
                }
                sent += 16 << 10
            }
            #expect(cutOff || (try? client.isClosedByServer()) == true)
            #expect(sent < 8 << 20, "the server read \(sent) bytes of a refused body")
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
        }
    }

    @Test func bodyExactlyAtTheLimitIsAccepted() async throws {
        let handler = ClosureHandler { request, responder in responder.send(.text(200, "\(request.body.count)")) }
        try await withHTTPServer(HTTPServerConfiguration(port: 0, maxBodyBytes: 1024), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n")
            try client.write(Array(repeating: 0x43, count: 1024))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "1024")
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let handler = ClosureHandler { request, responder in responder.send(.text(200, request.path)) }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            for path in ["/first", "/second", "/third"] {
                try client.write("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == path)
                #expect(response.header("Connection")?.lowercased() != "close")
            }
            try client.write("POST /fourth HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            let response = try client.readResponse()
            #expect(response.text == "/fourth")
            #expect(response.header("Connection")?.lowercased() != "close")
        }
    }

    @Test func headersOfEightKiBFitTheDefaultConnectionMemoryAndOversizedOnesAre431() async throws {
        let handler = ClosureHandler { request, responder in responder.send(.text(200, "\(request.header("X-Padding")?.utf8.count ?? 0)")) }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            let padding = String(repeating: "p", count: 8 << 10)
            // Twice on one connection: the pool is reset between requests, not only at first use.
            for _ in 0..<2 {
                try client.write("POST / HTTP/1.1\r\nHost: x\r\nX-Padding: \(padding)\r\nContent-Length: 3\r\n\r\nabc")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "\(8 << 10)")
            }
            let oversized = try RawHTTPConnection(port: server.boundPort)
            try oversized.write("GET / HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "p", count: 64 << 10))\r\n\r\n")
            #expect(try oversized.readResponse().status == 431)
        }
    }

    @Test func connectionMemoryOutsideItsRangeIsAConfigurationError() {
        for bytes in [0, 4095, (64 << 20) + 1] {
            let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, connectionMemoryBytes: bytes),
                                    handler: ClosureHandler { _, responder in responder.send(.text(200, "")) }, logger: quietLogger)
            #expect(throws: HTTPServerError.self) { try server.start() }
        }
    }

    @Test func outOfRangeStatusIsSentAs500() async throws {
        let handler = ClosureHandler { _, responder in responder.send(HTTPResponse(status: 42)) }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 500)
        }
    }
}
