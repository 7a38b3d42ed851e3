import Logging

/// Dispatches requests by path, then method; a known path with the wrong method gets 405 with
/// an `Allow` header, an unknown path 404. Paths are matched exactly: the API has no path
/// parameters yet, so a table beats a trie.
public struct Router: HTTPHandler {
    public struct Route: Sendable {
        public var methods: [String]
        public var handler: @Sendable (HTTPRequest, HTTPResponder) -> Void
        public init(methods: [String], handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) {
            self.methods = methods
            self.handler = handler
        }
    }

    private let routes: [String: [Route]]

    public init(_ table: [(path: String, route: Route)]) {
        var routes: [String: [Route]] = [:]
        for (path, route) in table { routes[path, default: []].append(route) }
        self.routes = routes
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        guard let candidates = routes[request.path] else {
            responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
            return
        }
        // HEAD is answered like GET; libmicrohttpd drops the body.
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let route = candidates.first(where: { $0.methods.contains(method) }) else {
            var allowed = candidates.flatMap(\.methods)
            if allowed.contains("GET") { allowed.append("HEAD") }
            var response = HTTPError(status: 405, message: "\(request.method) is not allowed on \(request.path)").response
            response.headers.append((name: "Allow", value: allowed.joined(separator: ", ")))
            responder.send(response)
            return
        }
        route.handler(request, responder)
    }
}
