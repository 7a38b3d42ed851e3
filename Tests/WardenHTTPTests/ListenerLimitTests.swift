import Foundation
import Synchronization
import TestSupport
import Testing
@testable import WardenHTTP

/// What one client may take of the listener: connections per client address, and the time to
/// deliver a request. Real sockets against a real server in this process; the clients use
/// different addresses of 127/8 to be different clients.
@Suite struct ListenerLimitTests {
    private static let okHandler = ClosureHandler { _, responder in responder.send(.text(200, "ok")) }

    private static func configuration(perClient: Int = 0, requestTimeout: Duration? = nil) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(port: 0)
        configuration.connectionLimitPerClient = perClient
        configuration.requestTimeout = requestTimeout
        return configuration
    }

    /// Sends one request on `connection` and reads its answer.
    private static func get(_ connection: RawHTTPConnection, _ path: String = "/") throws -> ParsedHTTPResponse {
        try connection.write("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return try connection.readResponse()
    }

    @Test func aConnectionPastThePerClientLimitIsClosedWhileAnotherAddressIsServed() async throws {
        try await withHTTPServer(Self.configuration(perClient: 3), handler: Self.okHandler) { server in
            // Each of the first three is served, so each is open and counted.
            let held = try (0..<3).map { _ in try RawHTTPConnection(port: server.boundPort, source: "127.0.0.3") }
            for connection in held { #expect(try Self.get(connection).status == 200) }

            let oneTooMany = try RawHTTPConnection(port: server.boundPort, source: "127.0.0.3", receiveTimeoutSeconds: 5)
            try? oneTooMany.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try oneTooMany.isClosedByServer(), "the fourth connection from 127.0.0.3 was not closed")

            let otherClient = try RawHTTPConnection(port: server.boundPort, source: "127.0.0.4")
            #expect(try Self.get(otherClient).status == 200)
            for connection in held { #expect(try Self.get(connection).status == 200) }
        }
    }

    @Test func aClientTricklingItsRequestIsCutOffAtTheRequestTimeout() async throws {
        try await withHTTPServer(Self.configuration(requestTimeout: .seconds(1)), handler: Self.okHandler) { server in
            let port = server.boundPort
            let (sent, total, seconds, closed) = try await onOwnThread {
                let trickler = try RawHTTPConnection(port: port, source: "127.0.0.5")
                let request = Array("GET / HTTP/1.1\r\nHost: t\r\nX-Padding: \(String(repeating: "a", count: 200))\r\n\r\n".utf8)
                let started = ContinuousClock.now
                var sent = 0
                // One byte every 100 ms: never idle, and 25 s before the request would be complete.
                while sent < request.count, ContinuousClock.now - started < .seconds(15) {
                    do { try trickler.write([request[sent]]) } catch { break }
                    sent += 1
                    usleep(100_000)
                }
                let elapsed = ContinuousClock.now - started
                return (sent, request.count, elapsed, try trickler.isClosedByServer())
            }
            #expect(sent < total, "the whole trickled request got through")
            #expect(seconds < .seconds(6), "the trickling client was cut off only after \(seconds)")
            #expect(closed)
        }
    }

    @Test func keepAliveRequestsEachHaveTheirOwnRequestTimeout() async throws {
        try await withHTTPServer(Self.configuration(requestTimeout: .seconds(2)), handler: Self.okHandler) { server in
            let port = server.boundPort
            let statuses = try await onOwnThread {
                let client = try RawHTTPConnection(port: port, source: "127.0.0.6")
                // 4 s on one connection, a request every 300 ms: longer than the timeout in all,
                // never near it for one request.
                return try (0..<12).map { _ in
                    let status = try Self.get(client).status
                    usleep(300_000)
                    return status
                }
            }
            #expect(statuses == Array(repeating: 200, count: 12))
        }
    }

    @Test func aLateResponseIsNotCutOffByTheRequestTimeout() async throws {
        let handler = ClosureHandler { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { responder.send(.text(200, "late")) }
        }
        try await withHTTPServer(Self.configuration(requestTimeout: .seconds(1)), handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort, source: "127.0.0.7")
            let response = try Self.get(client)
            #expect(response.status == 200)
            #expect(response.text == "late")
        }
    }

    @Test func theServerCountsItsOpenConnections() async throws {
        try await withHTTPServer(Self.configuration(), handler: Self.okHandler) { server in
            let connections = try (0..<5).map { _ in try RawHTTPConnection(port: server.boundPort, source: "127.0.0.8") }
            for connection in connections { #expect(try Self.get(connection).status == 200) }
            #expect(server.openConnectionCount == 5)
            for connection in connections { connection.close() }
            let drained = try await poll(for: .seconds(5)) { server.openConnectionCount == 0 }
            #expect(drained)
        }
    }
}
