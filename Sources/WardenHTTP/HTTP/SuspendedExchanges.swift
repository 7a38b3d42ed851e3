import Synchronization

/// The exchanges whose connections are parked waiting for a late response.
///
/// libmicrohttpd aborts the process if it is stopped while a connection is still suspended, so
/// shutdown must find and resume every one of them, and nothing may be parked after it looked.
/// Parking and the shutdown sweep take this one lock, which makes "refuse further parking" and
/// "take everything parked" a single step.
final class SuspendedExchanges: Sendable {
    private struct State {
        var refusing = false
        var exchanges: [ObjectIdentifier: HTTPExchange] = [:]
    }

    private let state = Mutex(State())

    /// Suspends the exchange's connection and lists it, or, once shutdown has begun, answers it
    /// now. Returns the response to queue immediately, or nil if the connection was parked.
    func park(_ exchange: HTTPExchange, orAnswer shutdownResponse: () -> HTTPResponse) -> HTTPResponse? {
        state.withLock { state in
            if state.refusing {
                return exchange.answerWithoutSuspending(fallback: shutdownResponse())
            }
            if let response = exchange.suspendUnlessAnswered() {
                return response
            }
            state.exchanges[ObjectIdentifier(exchange)] = exchange
            return nil
        }
    }

    func remove(_ exchange: HTTPExchange) {
        _ = state.withLock { $0.exchanges.removeValue(forKey: ObjectIdentifier(exchange)) }
    }

    /// From now on nothing is parked; returns everything parked so far for the caller to answer.
    func refuseAndTakeAll() -> [HTTPExchange] {
        state.withLock { state in
            state.refusing = true
            let all = Array(state.exchanges.values)
            state.exchanges = [:]
            return all
        }
    }

    /// A restarted server may park connections again.
    func reopen() {
        state.withLock { $0.refusing = false }
    }

    var count: Int {
        state.withLock { $0.exchanges.count }
    }
}
