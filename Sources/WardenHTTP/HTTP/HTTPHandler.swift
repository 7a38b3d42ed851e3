/// The application side of the server: one call per request, on a libmicrohttpd worker thread.
///
/// `handle` must not block: the worker threads are few (``HTTPServerConfiguration/threadPoolSize``)
/// and every connection on a blocked worker stalls with it. Work that waits (a database group
/// commit, another service) should keep `responder` and answer later from wherever it finishes;
/// the connection is parked meanwhile without holding a thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}
