import Dispatch
import Logging
import Synchronization

/// Cuts off clients that take longer than ``HTTPServerConfiguration/requestTimeout`` to deliver a
/// request's headers and body.
///
/// libmicrohttpd's idle timeout restarts with every byte received, so a client that sends one
/// byte a second is never idle and would hold its connection (and, a thousand times over, the
/// whole connection limit) for as long as it likes. This checks every connection a few times
/// per timeout and shuts down the sockets of those that have been receiving for too long.
final class RequestDeadline: Sendable {
    private let registry: ConnectionRegistry
    private let timeoutNanoseconds: UInt64
    private let logger: Logger
    // Dispatch sources may be resumed and cancelled from any thread.
    private nonisolated(unsafe) let timer: DispatchSourceTimer
    /// Connections cut off since the last log line, and when that line was written.
    private let unreported = Mutex<(count: Int, since: ContinuousClock.Instant)>((0, .now))

    init(registry: ConnectionRegistry, timeout: Duration, logger: Logger) {
        self.registry = registry
        let (seconds, attoseconds) = timeout.components
        timeoutNanoseconds = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tokenwarden.http.request-deadline", qos: .utility))
        // Four checks per timeout (at most one a second): a connection is cut off at most a
        // quarter of the timeout late.
        let interval = min(1_000_000_000, max(50_000_000, timeoutNanoseconds / 4))
        timer.schedule(deadline: .now() + .nanoseconds(Int(interval)), repeating: .nanoseconds(Int(interval)),
                       leeway: .nanoseconds(Int(interval / 10)))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.resume()
    }

    func stop() {
        timer.cancel()
    }

    private func sweep() {
        let now = MonotonicClock.now()
        guard now > timeoutNanoseconds else { return }
        let cut = registry.cutOffReceiving(since: now - timeoutNanoseconds)
        // A slow client is one client's business, but many are an attack worth a line: at
        // most one every ten seconds, with the count.
        let report: Int? = unreported.withLock { state in
            state.count += cut
            guard state.count > 0, ContinuousClock.now - state.since >= .seconds(10) else { return nil }
            defer { state = (0, .now) }
            return state.count
        }
        if let report {
            logger.notice("closed connections that did not deliver a complete request in time", metadata: [
                "connections": "\(report)", "request_timeout": "\(Duration.nanoseconds(Int64(timeoutNanoseconds)))",
            ])
        }
    }
}
