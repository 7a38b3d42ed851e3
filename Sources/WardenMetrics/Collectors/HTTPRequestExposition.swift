import Synchronization

/// What one route pattern answered: responses by status code and their durations.
///
/// One object per pattern, made when the router is built and held by its route, so the request
/// path records without a lookup: one short lock for the codes, one in the histogram.
public final class HTTPRouteRequests: Sendable {
    public let route: String
    private let codes = Mutex<[(code: Int, count: UInt64)]>([])
    let durations = Histogram(upperBounds: HTTPRequestCounts.durationBounds)

    init(route: String) { self.route = route }

    /// One response with `status`, `elapsed` after its request arrived.
    public func record(status: Int, elapsed: Duration) {
        codes.withLock { codes in
            if let index = codes.firstIndex(where: { $0.code == status }) { codes[index].count &+= 1 }
            else { codes.append((status, 1)) }
        }
        durations.observe(elapsed)
    }

    var counts: [(code: Int, count: UInt64)] { codes.withLock { $0 }.sorted { $0.code < $1.code } }
}

/// `tokenwarden_http_requests_total{route,code}` and `tokenwarden_http_request_duration_seconds{route}`:
/// every response the HTTP edge sent, by the router's pattern (`/v1/reservations/{id}`, never the
/// path itself, so a client cannot mint series), or `other` for paths no route knows.
///
/// The duration runs from the request's first callback (its headers read) to its response being
/// handed to libmicrohttpd: the body's upload, the handler and any wait for a group commit.
public final class HTTPRequestCounts: Sendable, MetricsCollector {
    /// Seconds: 0.5 ms to 10 s (a check answers in well under a millisecond, an export may stream
    /// for seconds).
    public static let durationBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    public static let otherRoute = "other"

    private let byRoute = Mutex<[String: HTTPRouteRequests]>([:])
    /// Responses for paths no route knows.
    public let other: HTTPRouteRequests

    public init() {
        let other = HTTPRouteRequests(route: Self.otherRoute)
        self.other = other
        byRoute.withLock { $0[Self.otherRoute] = other }
    }

    /// The object for `route`, made on first use (the router asks once per pattern).
    public func requests(for route: String) -> HTTPRouteRequests {
        byRoute.withLock { routes in
            if let existing = routes[route] { return existing }
            let made = HTTPRouteRequests(route: route)
            routes[route] = made
            return made
        }
    }

    public func write(into writer: inout ExpositionWriter) {
        let routes = byRoute.withLock { Array($0.values) }.sorted { $0.route < $1.route }
        let answered = routes.map { ($0, $0.counts) }.filter { !$0.1.isEmpty }
        writer.family("tokenwarden_http_requests_total", type: .counter,
                      help: "HTTP responses sent, by the router's route pattern (other: no route) and status code.")
        for (route, counts) in answered {
            for (code, count) in counts {
                writer.sample("tokenwarden_http_requests_total", LabelPairs([("route", route.route), ("code", String(code))]), count)
            }
        }
        writer.family("tokenwarden_http_request_duration_seconds", type: .histogram,
                      help: "Seconds from a request's headers to its response being handed to the HTTP library, by route pattern.")
        for (route, _) in answered {
            writer.histogram("tokenwarden_http_request_duration_seconds", LabelPairs([("route", route.route)]), route.durations.snapshot())
        }
    }
}
