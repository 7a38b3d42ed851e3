import WardenMetrics

/// The application side of the server: one call per request, on a libmicrohttpd worker thread.
///
/// `handle` must not block: the worker threads are few (``HTTPServerConfiguration/threadPoolSize``)
/// and every connection on a blocked worker stalls with it. Work that waits (a database group
/// commit, another service) should keep `responder` and answer later from wherever it finishes;
/// the connection is parked meanwhile without holding a thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)

    /// Where the server counts a response it sends itself for `path` (a refused upload, a
    /// shutdown), before any handler ran; nil counts nothing.
    func requests(forPath path: String) -> HTTPRouteRequests?
}

extension HTTPHandler {
    public func requests(forPath path: String) -> HTTPRouteRequests? { nil }
}
