import TestSupport
import Synchronization
import Testing
import WardenHTTP

#if canImport(Glibc)
import Glibc
#endif

@Suite("HTTP server lifecycle")
struct HTTPServerLifecycleTests {
    @Test func stopWhileIdleReleasesThePort() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0),
            handler: ClosureHandler { _, responder in responder.send(.text(200, "ok")) },
            logger: quietLogger
        )
        try server.start()
        let port = server.boundPort
        #expect(port > 0)
        server.stop()
        server.stop()
        #expect(server.boundPort == 0)
        #expect(throws: HTTPTestClientError.self) { try RawHTTPConnection(port: port) }
    }

    @Test func stopAnswersRequestsStillWaitingWith503() async throws {
        let parked = ParkedResponders()
        let handler = ClosureHandler { request, responder in parked.park(request, responder) }
        let configuration = HTTPServerConfiguration(port: 0, shutdownGracePeriod: .milliseconds(100))
        let server = HTTPServer(configuration: configuration, handler: handler, logger: quietLogger)
        try server.start()
        var clients: [RawHTTPConnection] = []
        for _ in 0..<5 {
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
            clients.append(client)
        }
        #expect(try await poll(for: .seconds(5), until: { parked.count == 5 }))

        server.stop()

        for client in clients {
            let response = try client.readResponse()
            #expect(response.status == 503)
            #expect(response.text == #"{"error":"server is shutting down"}"#)
        }
        // The handler's own answer, arriving after shutdown, goes nowhere and breaks nothing.
        for (_, responder) in parked.takeAll() {
            responder.send(.text(200, "too late"))
        }
        #expect(server.activeRequestCount == 0)
    }

    @Test func stopLetsAnInFlightLateResponseFinishWithinTheGracePeriod() async throws {
        let parked = ParkedResponders()
        let handler = ClosureHandler { request, responder in parked.park(request, responder) }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, shutdownGracePeriod: .seconds(5)),
            handler: handler, logger: quietLogger
        )
        try server.start()
        let client = try RawHTTPConnection(port: server.boundPort)
        try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await poll(for: .seconds(5), until: { parked.count == 1 }))
        // The answer comes from its own thread while stop() waits out the grace period: stop() is
        // entered right after (no suspension point in between), well before the delay ends.
        for (_, responder) in parked.takeAll() {
            startThread(after: .milliseconds(300)) { responder.send(.text(200, "finished")) }
        }
        server.stop()
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.header("Connection")?.lowercased() == "close")
    }

    @Test func serverCanBeStartedAgainAfterStop() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0),
            handler: ClosureHandler { _, responder in responder.send(.text(200, "ok")) },
            logger: quietLogger
        )
        for _ in 0..<2 {
            try server.start()
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "ok")
            server.stop()
        }
    }

    @Test func startingTwiceIsAnError() async throws {
        try await withHTTPServer(handler: ClosureHandler { _, responder in responder.send(.text(200, "")) }) { server in
            let error = #expect(throws: HTTPServerError.self) { try server.start() }
            #expect(error?.code == .alreadyRunning)
        }
    }

    @Test func bindingAnOccupiedPortFailsNamingTheAddressAndReason() async throws {
        let handler = ClosureHandler { _, responder in responder.send(.text(200, "")) }
        try await withHTTPServer(handler: handler) { first in
            let port = first.boundPort
            let second = HTTPServer(
                configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port),
                handler: handler, logger: quietLogger
            )
            let error = #expect(throws: HTTPServerError.self) { try second.start() }
            #expect(error?.code == .bindFailed)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
            #expect(error?.message.contains("Address already in use") == true)
        }
    }

    @Test(arguments: ["example.com", "999.1.1.1", ""])
    func aHostThatIsNotAnAddressLiteralIsRejected(host: String) throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: host, port: 0),
            handler: ClosureHandler { _, responder in responder.send(.text(200, "")) },
            logger: quietLogger
        )
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.code == .invalidAddress)
    }

    @Test func anOutOfRangeConfigurationIsRejected() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, threadPoolSize: 0),
            handler: ClosureHandler { _, responder in responder.send(.text(200, "")) },
            logger: quietLogger
        )
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func listensOnAnIPv6LoopbackLiteral() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "::1", port: 0),
            handler: ClosureHandler { _, responder in responder.send(.text(200, "v6")) },
            logger: quietLogger
        )
        do {
            try server.start()
        } catch let error as HTTPServerError where error.code == .bindFailed {
            return  // no IPv6 loopback in this environment
        }
        defer { server.stop() }
        let client = try RawHTTPConnection(port: server.boundPort, host: "::1")
        try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "v6")
    }
}

/// Runs `body` on a fresh OS thread after `delay`, so a "late" response really comes from
/// outside libmicrohttpd and Dispatch.
func startThread(after delay: Duration, _ body: @escaping @Sendable () -> Void) {
    let micros = delay.components.seconds * 1_000_000 + delay.components.attoseconds / 1_000_000_000_000
    let work = Unmanaged.passRetained(ThreadBody {
        usleep(useconds_t(micros))
        body()
    })
    var thread = pthread_t()
    pthread_create(&thread, nil, { context in
        guard let context else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
        return nil
    }, work.toOpaque())
    pthread_detach(thread)
}

final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
