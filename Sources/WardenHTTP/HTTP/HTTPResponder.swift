import Logging
import Synchronization
import WardenMetrics

/// Sends the response for one request: from any thread, exactly once, either inside
/// ``HTTPHandler/handle(_:responder:)`` or later (after a database group commit, for instance).
///
/// A late `send` costs the worker threads nothing: the connection is parked in libmicrohttpd
/// meanwhile. Later calls are ignored, and a `send` after the client hung up is a harmless no-op.
/// A responder released without ever sending answers 500, so a forgotten code path shows up as
/// an error instead of a client waiting until shutdown.
public final class HTTPResponder: Sendable {
    private enum Destination: Sendable {
        case exchange(HTTPExchange, HTTPRequestPipeline)
        case callback(@Sendable (HTTPResponse) -> Void)
    }

    private let destination: Destination
    private let hasSent = Atomic<Bool>(false)
    /// Where the response is counted (``count(in:)``): an unretained ``HTTPRouteRequests``, which
    /// the router holds for the server's life; 0 counts nothing. An address rather than a
    /// reference, so that the request path pays no retain for it.
    private let counted = Atomic<UInt>(0)

    /// A responder that hands its response to `deliver` — for driving handlers without a socket,
    /// in tests or from another front end. `deliver` runs on the thread that calls `send`.
    public init(_ deliver: @escaping @Sendable (HTTPResponse) -> Void) {
        destination = .callback(deliver)
    }

    init(exchange: HTTPExchange, pipeline: HTTPRequestPipeline) {
        destination = .exchange(exchange, pipeline)
    }

    /// Counts the response, when it is sent, in `requests` (the route's), with the time since the
    /// request arrived. `requests` must outlive the responder (the router's do).
    public func count(in requests: HTTPRouteRequests) {
        counted.store(UInt(bitPattern: Unmanaged.passUnretained(requests).toOpaque()), ordering: .relaxed)
    }

    private func recordCount(_ status: Int) {
        guard case .exchange(let exchange, _) = destination,
              let address = UnsafeRawPointer(bitPattern: counted.load(ordering: .relaxed)) else { return }
        let elapsed = ContinuousClock.now - exchange.started
        Unmanaged<HTTPRouteRequests>.fromOpaque(address)._withUnsafeGuaranteedRef { $0.record(status: status, elapsed: elapsed) }
    }

    public func send(_ response: HTTPResponse) {
        guard hasSent.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            if case .exchange(let exchange, let pipeline) = destination {
                pipeline.logger.warning("HTTPResponder.send called more than once; extra response dropped",
                                        metadata: ["path": "\(exchange.path)"])
            }
            return
        }
        recordCount(response.status)
        deliver(response)
    }

    private func deliver(_ response: HTTPResponse) {
        switch destination {
        case .callback(let deliver):
            deliver(response)
        case .exchange(let exchange, let pipeline):
            switch exchange.deliver(response) {
            case .accepted:
                break
            case .clientGone:
                pipeline.logger.debug("client left before its response was ready; response dropped",
                                      metadata: ["path": "\(exchange.path)"])
            case .alreadyAnswered:
                // The server answered for the handler (503 during shutdown).
                pipeline.logger.debug("response arrived after the server had answered; dropped",
                                      metadata: ["path": "\(exchange.path)"])
            }
        }
    }

    deinit {
        guard !hasSent.load(ordering: .acquiring) else { return }
        let fallback = HTTPError(status: 500, message: "the handler finished without a response").response
        recordCount(fallback.status)
        switch destination {
        case .callback(let deliver):
            deliver(fallback)
        case .exchange(let exchange, let pipeline):
            // Not an error if the server already answered for the handler (503 at shutdown).
            if exchange.deliver(fallback) == .accepted {
                pipeline.logger.error("handler released its HTTPResponder without sending; answered 500",
                                      metadata: ["path": "\(exchange.path)", "method": "\(exchange.method)"])
            }
        }
    }
}
