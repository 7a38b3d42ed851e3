import Logging
import Synchronization
import WardenHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Test doubles and a raw-socket HTTP/1.1 client. Raw sockets rather than URLSession so tests
/// control exactly what goes on the wire: chunk boundaries, keep-alive, abrupt disconnects.

struct ClosureHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPResponder) -> Void

    init(_ body: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) {
        self.body = body
    }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        body(request, responder)
    }
}

/// Collects responders (and their requests) so a test can answer them later from elsewhere.
final class ParkedResponders: Sendable {
    private let parked = Mutex<[(request: HTTPRequest, responder: HTTPResponder)]>([])

    func park(_ request: HTTPRequest, _ responder: HTTPResponder) {
        parked.withLock { $0.append((request, responder)) }
    }

    var count: Int { parked.withLock { $0.count } }

    func takeAll() -> [(request: HTTPRequest, responder: HTTPResponder)] {
        parked.withLock { all in
            defer { all = [] }
            return all
        }
    }
}

let quietLogger = Logger(label: "tokenwarden.http.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Starts a server on a free loopback port, runs `body`, and always stops the server.
func withHTTPServer<Result>(
    _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0),
    handler: some HTTPHandler,
    _ body: (HTTPServer) async throws -> Result
) async throws -> Result {
    let server = HTTPServer(configuration: configuration, handler: handler, logger: quietLogger)
    try server.start()
    defer { server.stop() }
    return try await body(server)
}
