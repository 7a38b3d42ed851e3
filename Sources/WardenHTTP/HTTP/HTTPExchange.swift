import CMicroHTTPD
import Synchronization

/// One request and its eventual response on a libmicrohttpd connection.
///
/// libmicrohttpd calls back for a request on one worker thread at a time, but the answer may come
/// from any thread at any moment — during the handler, long after it, or after the client left.
/// Every transition therefore happens under this exchange's lock, and the two libmicrohttpd calls
/// that race with those threads (suspend and resume) are made while holding it: a resume can never
/// overtake its suspend, and never touches a connection libmicrohttpd has already completed.
///
/// Lock order: ``SuspendedExchanges`` → exchange. The exchange never takes another lock.
final class HTTPExchange: Sendable {
    enum Phase {
        /// The body is arriving; only the connection's worker thread gets here.
        case receiving
        /// The handler is running; a response sent now is stashed and queued when it returns.
        case handling
        /// The connection is parked in libmicrohttpd; a response sent now resumes it.
        case suspended
        /// A late response arrived and resumed the connection; the worker will queue it.
        case resumed
        /// The body was refused mid-upload but the refusal could not be queued yet; the rest of
        /// the body is read and dropped, and the stashed refusal goes out once it has arrived.
        case discardingBody
        /// A response has been handed to libmicrohttpd.
        case responded
        /// libmicrohttpd completed the request; the connection must not be touched again.
        case closed
    }

    /// What the worker should do once libmicrohttpd says the body is complete.
    enum NextStep {
        case invokeHandler(body: [UInt8])
        case queue(HTTPResponse)
        case unexpected(Phase)
    }

    enum ChunkOutcome {
        case kept
        /// This chunk took the body past the limit; nothing of the body is kept from here on.
        case overLimit
        /// Read and thrown away after a refusal.
        case discarded
        /// More has been thrown away than is reasonable to keep reading; time to hang up.
        case discardLimitReached
    }

    enum DeliveryOutcome {
        case accepted
        case alreadyAnswered
        case clientGone
    }

    private struct State {
        var phase: Phase = .receiving
        /// Valid until ``close()``; only used under the lock.
        var connection: MicroHTTPDConnection?
        var body: [UInt8] = []
        var pending: HTTPResponse?
        /// A response has been supplied (by the handler or by the server itself); later ones are dropped.
        var answered = false
        /// Listed in ``SuspendedExchanges`` so shutdown can find it.
        var parked = false
        /// Bytes read and dropped in ``Phase/discardingBody``.
        var discardedBytes = 0
    }

    let method: String
    let path: String
    /// When libmicrohttpd first called for the request (its headers read): where
    /// `tokenwarden_http_request_duration_seconds` starts.
    let started = ContinuousClock.now
    private let state: Mutex<State>

    init(method: String, path: String, connection: MicroHTTPDConnection) {
        self.method = method
        self.path = path
        self.state = Mutex(State(connection: connection))
    }

    /// Makes room for the body the request declared (at most the limit, checked before), so a
    /// large upload is copied once rather than again at each doubling of its buffer.
    func reserveBody(_ declaredBytes: Int) {
        state.withLock { state in state.body.reserveCapacity(declaredBytes) }
    }

    /// Keeps an upload chunk, unless it would take the body past `limit`. After a refusal, chunks
    /// are dropped until `discardLimit` bytes have gone by.
    func appendBody(_ chunk: UnsafeRawBufferPointer, limit: Int, discardLimit: Int) -> ChunkOutcome {
        state.withLock { state in
            guard state.phase == .receiving else {
                state.discardedBytes += chunk.count
                return state.discardedBytes > discardLimit ? .discardLimitReached : .discarded
            }
            guard chunk.count <= limit - state.body.count else {
                state.body = []
                return .overLimit
            }
            state.body.append(contentsOf: chunk)
            return .kept
        }
    }

    /// The server answers this request itself (413, 503) and has queued that answer.
    func markRefused() {
        state.withLock { state in
            state.phase = .responded
            state.answered = true
            state.body = []
        }
    }

    /// The server's refusal could not be queued mid-upload: keep it until the body has been drained.
    func refuseAfterBody(_ response: HTTPResponse) {
        state.withLock { state in
            state.phase = .discardingBody
            state.answered = true
            state.pending = response
            state.body = []
        }
    }

    /// Called when libmicrohttpd reports the body complete, or calls again after a resume.
    func bodyComplete() -> NextStep {
        state.withLock { state in
            switch state.phase {
            case .receiving:
                state.phase = .handling
                let body = state.body
                state.body = []
                return .invokeHandler(body: body)
            case .resumed, .discardingBody:
                guard let response = state.pending else { return .unexpected(state.phase) }
                state.pending = nil
                state.phase = .responded
                return .queue(response)
            case .handling, .suspended, .responded, .closed:
                return .unexpected(state.phase)
            }
        }
    }

    /// After the handler returned: the response it already sent, or nil once the connection is
    /// suspended. Only ``SuspendedExchanges/park(_:orAnswer:)`` calls this, holding its lock.
    func suspendUnlessAnswered() -> HTTPResponse? {
        state.withLock { state in
            if let response = state.pending {
                state.pending = nil
                state.phase = .responded
                return response
            }
            state.phase = .suspended
            state.parked = true
            if let connection = state.connection { MHD_suspend_connection(connection.handle) }
            return nil
        }
    }

    /// After the handler returned during shutdown, when nothing may be parked any more: the
    /// handler's response if it sent one, otherwise `fallback`.
    func answerWithoutSuspending(fallback: HTTPResponse) -> HTTPResponse {
        state.withLock { state in
            state.phase = .responded
            state.answered = true
            if let response = state.pending {
                state.pending = nil
                return response
            }
            return fallback
        }
    }

    /// Hands over the response from whichever thread has it.
    func deliver(_ response: HTTPResponse) -> DeliveryOutcome {
        state.withLock { state in
            guard !state.answered else { return .alreadyAnswered }
            state.answered = true
            switch state.phase {
            case .handling:
                state.pending = response
                return .accepted
            case .suspended:
                state.pending = response
                state.phase = .resumed
                // libmicrohttpd's worker calls the access handler again, which queues `pending`.
                if let connection = state.connection { MHD_resume_connection(connection.handle) }
                return .accepted
            case .closed:
                return .clientGone
            case .receiving, .resumed, .discardingBody, .responded:
                return .alreadyAnswered
            }
        }
    }

    /// libmicrohttpd completed the request (sent, failed, timed out or shut down). Returns whether
    /// the exchange was parked, so the caller can take it off the shutdown list.
    func close() -> Bool {
        state.withLock { state in
            state.phase = .closed
            state.connection = nil
            state.pending = nil
            state.body = []
            return state.parked
        }
    }
}
