import Logging
import WardenMetrics
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
        /// The patterns of a prefix route's paths, as `tokenwarden_http_requests_total` names them
        /// (`/v1/keys/{name}/rotate`); a path is counted under the first pattern whose text after
        /// its last parameter it ends with. An exact route is counted under its path.
        public var patterns: [String]
        /// What each pattern answered, in ``patterns``' order; set by the router.
        var requests: [HTTPRouteRequests] = []

        public init(methods: [String], operation: APIOperation, passwords: BasicAuthGate? = nil, patterns: [String] = [],
                    handler: @escaping @Sendable (HTTPRequest, APICaller, HTTPResponder) -> Void) {
            self.methods = methods
            self.operation = operation
            self.passwords = passwords
            self.patterns = patterns
            self.handler = handler
        }

        /// A route that does not care who called (it still needs the operation's role).
        public init(methods: [String], operation: APIOperation, passwords: BasicAuthGate? = nil, patterns: [String] = [],
                    handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) {
            self.init(methods: methods, operation: operation, passwords: passwords, patterns: patterns) { request, _, responder in
                handler(request, responder)
            }
        }

        /// What `path` is counted under: the pattern it matches, else `fallback`.
        func requests(forPath path: String, fallback: HTTPRouteRequests) -> HTTPRouteRequests {
            if requests.count == 1 { return requests[0] }
            for (pattern, requests) in zip(patterns, requests) {
                let tail = pattern.lastIndex(of: "}").map { pattern[pattern.index(after: $0)...] } ?? ""
                if path.hasSuffix(tail) { return requests }
            }
            return fallback
        }
    }

    private let routes: [String: [Route]]
    private let prefixes: [(prefix: String, routes: [Route])]
    /// The authentication step, run once the route is known (404 and 405 need no key: the paths
    /// are documented); nil admits everyone, unauthenticated.
    private let authentication: AuthStep?
    /// Responses by route pattern and status code, and their durations (a collector of /metrics).
    public let requests: HTTPRequestCounts

    public init(_ table: [(path: String, route: Route)], prefixes: [(prefix: String, route: Route)] = [],
                authentication: AuthStep? = nil, requests: HTTPRequestCounts = HTTPRequestCounts()) {
        var routes: [String: [Route]] = [:]
        for (path, var route) in table {
            route.patterns = [path]
            route.requests = [requests.requests(for: path)]
            routes[path, default: []].append(route)
        }
        self.routes = routes
        var grouped: [(prefix: String, routes: [Route])] = []
        for (prefix, var route) in prefixes {
            if route.patterns.isEmpty { route.patterns = [prefix + "{}"] }
            route.requests = route.patterns.map(requests.requests(for:))
            if let index = grouped.firstIndex(where: { $0.prefix == prefix }) { grouped[index].routes.append(route) }
            else { grouped.append((prefix, [route])) }
        }
        self.prefixes = grouped
        self.authentication = authentication
        self.requests = requests
    }

    /// What a response for `path` is counted under, before any route ran (a refused upload).
    public func requests(forPath path: String) -> HTTPRouteRequests? {
        candidates(for: path)?.first?.requests(forPath: path, fallback: requests.other) ?? requests.other
    }

    private func candidates(for path: String) -> [Route]? {
        routes[path] ?? prefixes.first(where: { path.hasPrefix($0.prefix) && path.count > $0.prefix.count })?.routes
    }

    /// Every path (or prefix, ending in `/`) with the methods routed on it, in table order: what
    /// the API's description must cover.
    public var table: [(path: String, methods: [String], isPrefix: Bool)] {
        routes.map { path, routes in (path, routes.flatMap(\.methods), false) }.sorted { $0.path < $1.path }
            + prefixes.map { prefix, routes in (prefix, routes.flatMap(\.methods), true) }
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        guard let candidates = candidates(for: request.path) else {
            responder.count(in: requests.other)
            responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
            return
        }
        // HEAD is answered like GET; libmicrohttpd drops the body.
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let route = candidates.first(where: { $0.methods.contains(method) }) else {
            responder.count(in: candidates[0].requests(forPath: request.path, fallback: requests.other))
            var allowed = candidates.flatMap(\.methods)
            if allowed.contains("GET") { allowed.append("HEAD") }
            var response = HTTPError(status: 405, message: "\(request.method) is not allowed on \(request.path)").response
            response.headers.append((name: "Allow", value: allowed.joined(separator: ", ")))
            responder.send(response)
            return
        }
        responder.count(in: route.requests(forPath: request.path, fallback: requests.other))
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
