import Logging
import WardenRuntime

/// Dispatches requests by path, then method; a known path with the wrong method gets 405 with
/// an `Allow` header, an unknown path 404. Paths are matched exactly, except prefixes ending in
/// `/` (`/v1/reservations/`), which take the rest of the path as a parameter: a table beats a
/// trie at this size.
public struct Router: HTTPHandler {
    public struct Route: Sendable {
        public var methods: [String]
        /// What the route does, for authentication: the role a key needs (``APIOperation``).
        public var operation: APIOperation
        /// The web configuration's `basic_auth_users`, let in besides keys (`/metrics`): with users
        /// configured, a request naming one of them is checked against its bcrypt hash, and while
        /// no key applies every request must name one.
        public var passwords: BasicAuthGate?
        public var handler: @Sendable (HTTPRequest, APICaller, HTTPResponder) -> Void

        public init(methods: [String], operation: APIOperation, passwords: BasicAuthGate? = nil,
                    handler: @escaping @Sendable (HTTPRequest, APICaller, HTTPResponder) -> Void) {
            self.methods = methods
            self.operation = operation
            self.passwords = passwords
            self.handler = handler
        }

        /// A route that does not care who called (it still needs the operation's role).
        public init(methods: [String], operation: APIOperation, passwords: BasicAuthGate? = nil,
                    handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) {
            self.init(methods: methods, operation: operation, passwords: passwords) { request, _, responder in
                handler(request, responder)
            }
        }
    }

    private let routes: [String: [Route]]
    private let prefixes: [(prefix: String, routes: [Route])]
    /// The authentication step, run once the route is known (404 and 405 need no key: the paths
    /// are documented); nil admits everyone, unauthenticated.
    private let authentication: AuthStep?

    public init(_ table: [(path: String, route: Route)], prefixes: [(prefix: String, route: Route)] = [],
                authentication: AuthStep? = nil) {
        var routes: [String: [Route]] = [:]
        for (path, route) in table { routes[path, default: []].append(route) }
        self.routes = routes
        var grouped: [(prefix: String, routes: [Route])] = []
        for (prefix, route) in prefixes {
            if let index = grouped.firstIndex(where: { $0.prefix == prefix }) { grouped[index].routes.append(route) }
            else { grouped.append((prefix, [route])) }
        }
        self.prefixes = grouped
        self.authentication = authentication
    }

    /// Every path (or prefix, ending in `/`) with the methods routed on it, in table order: what
    /// the API's description must cover.
    public var table: [(path: String, methods: [String], isPrefix: Bool)] {
        routes.map { path, routes in (path, routes.flatMap(\.methods), false) }.sorted { $0.path < $1.path }
            + prefixes.map { prefix, routes in (prefix, routes.flatMap(\.methods), true) }
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let candidates = routes[request.path]
            ?? prefixes.first(where: { request.path.hasPrefix($0.prefix) && request.path.count > $0.prefix.count })?.routes
        guard let candidates else {
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
        let passwords = route.passwords.flatMap { $0.isEnabled ? $0 : nil }
        if let passwords, passwords.namesUser(request) {
            return passwords.guarding { request, responder in route.handler(request, .unauthenticated, responder) }(request, responder)
        }
        var caller = APICaller.unauthenticated
        if let authentication {
            switch authentication.admit(request, for: route.operation) {
            case .admitted(let admitted): caller = admitted
            case .refused(let response): return responder.send(response)
            }
        }
        if let passwords, caller.key == nil {
            // No key applies: the configured users, and only they, are let in.
            return passwords.guarding { request, responder in route.handler(request, .unauthenticated, responder) }(request, responder)
        }
        route.handler(request, caller, responder)
    }
}
