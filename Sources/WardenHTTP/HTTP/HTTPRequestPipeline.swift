import CMicroHTTPD
import Logging
import Synchronization

/// Walks each request through libmicrohttpd's callbacks: receive the body, run the handler, park
/// the connection when the answer comes later, and queue the answer on the connection's worker.
///
/// This is the object behind libmicrohttpd's `void *cls`. ``HTTPServer`` keeps it alive while a
/// daemon runs; responders keep it alive while an answer may still arrive.
final class HTTPRequestPipeline: Sendable {
    let handler: any HTTPHandler
    let logger: Logger
    let maxBodyBytes: Int
    /// Requests libmicrohttpd has begun and not yet completed, in any phase.
    let activeRequests = Atomic<Int>(0)
    /// Set while stopping: new requests are refused and every response closes its connection.
    let isDraining = Atomic<Bool>(false)
    let suspended = SuspendedExchanges()
    /// Every open connection, for ``RequestDeadline``.
    let connections = ConnectionRegistry()
    /// The TLS settings new connections take; nil on a plain HTTP server.
    let tls: HTTPServerTLS?
    /// The last few libmicrohttpd log lines, so a failed start can say what went wrong.
    private let recentDaemonMessages = Mutex<[String]>([])
    /// Connections refused at a connection limit since the last warning, and when it was logged.
    private let refusedAtLimit = Mutex<(count: Int, since: ContinuousClock.Instant?)>((0, nil))

    /// How much of a refused body is read and dropped before hanging up: enough for an honest client
    /// that finishes its upload to see the 413, not so much that a stream runs forever.
    var discardLimit: Int { max(maxBodyBytes, 64 << 10) }

    let bodyTooLarge: @Sendable (String) -> Void

    init(handler: any HTTPHandler, logger: Logger, maxBodyBytes: Int, tls: HTTPServerTLS? = nil,
         bodyTooLarge: @escaping @Sendable (String) -> Void = { _ in }) {
        self.handler = handler
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
        self.tls = tls
        self.bodyTooLarge = bodyTooLarge
    }

    // MARK: - libmicrohttpd callbacks

    /// `MHD_AccessHandlerCallback`. `requestSlot` is libmicrohttpd's per-request `void **`.
    func access(
        connection: MicroHTTPDConnection,
        url: UnsafePointer<CChar>?,
        method: UnsafePointer<CChar>?,
        uploadData: UnsafePointer<CChar>?,
        uploadDataSize: UnsafeMutablePointer<Int>,
        requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let raw = requestSlot.pointee else {
            return begin(connection: connection, url: url, method: method, requestSlot: requestSlot)
        }
        let exchange = Unmanaged<HTTPExchange>.fromOpaque(raw).takeUnretainedValue()

        let chunkSize = uploadDataSize.pointee
        if chunkSize > 0 {
            uploadDataSize.pointee = 0
            let chunk = UnsafeRawBufferPointer(start: uploadData, count: uploadData == nil ? 0 : chunkSize)
            switch exchange.appendBody(chunk, limit: maxBodyBytes, discardLimit: discardLimit) {
            case .kept, .discarded:
                return .YES
            case .overLimit:
                return refuseOversizedBody(exchange, connection: connection)
            case .discardLimitReached:
                logger.notice("client kept uploading far past the body limit; connection closed",
                              metadata: ["path": "\(exchange.path)", "limit": "\(maxBodyBytes)"])
                return .NO
            }
        }

        switch exchange.bodyComplete() {
        case .invokeHandler(let body):
            return run(exchange, connection: connection, body: body)
        case .queue(let response):
            return connection.queue(response, closeConnection: isDraining.load(ordering: .relaxed), logger: logger)
        case .unexpected(let phase):
            logger.error("libmicrohttpd called back in an unexpected request phase; closing the connection",
                         metadata: ["phase": "\(phase)", "path": "\(exchange.path)"])
            return .NO
        }
    }

    /// `MHD_RequestCompletedCallback`: the request is over, whatever happened to it.
    func complete(connection: OpaquePointer?, requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                  termination: MHD_RequestTerminationCode) {
        if let connection { ClientConnection.of(connection)?.awaitingRequest(now: MonotonicClock.now()) }
        guard let requestSlot, let raw = requestSlot.pointee else { return }
        requestSlot.pointee = nil
        let exchange = Unmanaged<HTTPExchange>.fromOpaque(raw).takeRetainedValue()
        if exchange.close() {
            suspended.remove(exchange)
        }
        activeRequests.subtract(1, ordering: .relaxed)
        if termination != .REQUEST_TERMINATED_COMPLETED_OK {
            logger.debug("request ended without a complete response",
                         metadata: ["path": "\(exchange.path)", "termination": "\(termination.rawValue)"])
        }
    }

    /// `MHD_NotifyConnectionCallback` for a new connection, before libmicrohttpd reads from it:
    /// its record goes into `*socketContext` (retained until ``connectionClosed(socketContext:)``),
    /// and a TLS connection gets the settings its handshake will use.
    func connectionStarted(_ connection: OpaquePointer, socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        let settings = tls?.settings
        let record = ClientConnection(socket: warden_mhd_connection_socket(connection), tls: settings, now: MonotonicClock.now())
        socketContext.pointee = Unmanaged.passRetained(record).toOpaque()
        connections.insert(record)
        if let settings, let session = warden_mhd_tls_session(connection) {
            settings.prepare(OpaquePointer(session))
        }
    }

    /// `MHD_NotifyConnectionCallback` once a connection is closed and its TLS session gone (its
    /// socket is closed right after this returns).
    func connectionClosed(socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        guard let raw = socketContext.pointee else { return }
        socketContext.pointee = nil
        let record = Unmanaged<ClientConnection>.fromOpaque(raw).takeRetainedValue()
        connections.remove(record)
    }

    /// `MHD_LogCallback`, already formatted. What one client did to its own connection (hung up
    /// mid-request, sent headers too big for the pool) is logged at debug: a slow or flaky client
    /// must not be able to flood the log. The rest concerns the server and stays at notice.
    func daemonLog(_ message: String) {
        recentDaemonMessages.withLock { messages in
            messages.append(message)
            if messages.count > 8 { messages.removeFirst() }
        }
        if message.contains("reached connection limit") {
            noteRefusedAtLimit()
        } else if Self.isAboutOneClient(message) {
            logger.debug("libmicrohttpd: \(message)")
        } else {
            logger.notice("libmicrohttpd: \(message)")
        }
    }

    /// libmicrohttpd 0.9.75's messages about a single connection's fate.
    static func isAboutOneClient(_ message: String) -> Bool {
        let markers = ["closed by remote side", "Connection reset", "Broken pipe", "Socket disconnected",
                       "Error processing request", "Not enough memory in pool", "timed out", "Failed to receive data",
                       "Failed to send data", "Connection was closed", "incomplete request",
                       "handshake message out of context"]
        return markers.contains { message.contains($0) }
    }

    /// libmicrohttpd says the same thing for the server's and a client's connection limit, once
    /// per refused connection: a client hammering at its limit must not flood the log, so the
    /// refusals are counted and logged at most once every ten seconds.
    private func noteRefusedAtLimit() {
        let report: Int? = refusedAtLimit.withLock { state in
            state.count += 1
            if let since = state.since, ContinuousClock.now - since < .seconds(10) { return nil }
            defer { state = (0, .now) }
            return state.count
        }
        if let report {
            logger.warning("connections refused at the connection limit (http.max_connections or http.max_connections_per_client)",
                           metadata: ["refused": "\(report)"])
        }
    }

    func takeRecentDaemonMessages() -> [String] {
        recentDaemonMessages.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }

    // MARK: - Request phases

    /// The first call for a request. Never queues an ordinary response here: libmicrohttpd would
    /// answer `Connection: close` and keep-alive throughput collapses. The request is marked and the
    /// handler runs on a later call. Refusals are queued at once — closing is what they want.
    private func begin(
        connection: MicroHTTPDConnection,
        url: UnsafePointer<CChar>?,
        method: UnsafePointer<CChar>?,
        requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        activeRequests.add(1, ordering: .relaxed)
        let exchange = HTTPExchange(
            method: method.map { String(cString: $0) } ?? "",
            path: url.map { String(cString: $0) } ?? "/",
            connection: connection
        )
        // Retained until `complete` — libmicrohttpd calls it for every request it called us for.
        requestSlot.pointee = Unmanaged.passRetained(exchange).toOpaque()

        if isDraining.load(ordering: .relaxed) {
            exchange.markRefused()
            return refuse(exchange, shuttingDownResponse(), connection: connection)
        }
        if connection.hasConflictingContentLengths {
            exchange.markRefused()
            return refuse(exchange, HTTPError(status: 400, message: "the request has conflicting Content-Length headers").response,
                          connection: connection)
        }
        if let declared = connection.declaredContentLength, declared > UInt64(maxBodyBytes) {
            // Answering before reading also stops libmicrohttpd sending `100 Continue`.
            exchange.markRefused()
            bodyTooLarge(exchange.path)
            return refuse(exchange, bodyTooLargeResponse(), connection: connection)
        }
        if let declared = connection.declaredContentLength, declared > 0 {
            exchange.reserveBody(Int(declared))
        }
        return .YES
    }

    /// Queues the server's own refusal of a request no handler saw, and counts it under the
    /// request's route.
    private func refuse(_ exchange: HTTPExchange, _ response: HTTPResponse, connection: MicroHTTPDConnection) -> MHD_Result {
        handler.requests(forPath: exchange.path)?.record(status: response.status, elapsed: ContinuousClock.now - exchange.started)
        return connection.queue(response, closeConnection: true, logger: logger)
    }

    /// The body grew past the limit (chunked uploads announce no length). Answer now and close if
    /// libmicrohttpd takes a response mid-upload. Version 0.9.75 does not (it only accepts one
    /// before the body or after all of it), so the rest is read and dropped — never buffered — and
    /// the 413 goes out when the body ends. A client that keeps sending past ``discardLimit`` is
    /// cut off without an answer rather than read forever.
    private func refuseOversizedBody(_ exchange: HTTPExchange, connection: MicroHTTPDConnection) -> MHD_Result {
        bodyTooLarge(exchange.path)
        let response = bodyTooLargeResponse()
        handler.requests(forPath: exchange.path)?.record(status: response.status, elapsed: ContinuousClock.now - exchange.started)
        if connection.queue(response, closeConnection: true, logger: logger) == .YES {
            exchange.markRefused()
        } else {
            exchange.refuseAfterBody(response)
        }
        return .YES
    }

    private func run(_ exchange: HTTPExchange, connection: MicroHTTPDConnection, body: [UInt8]) -> MHD_Result {
        ClientConnection.of(connection.handle)?.requestReceived()
        let request = HTTPRequest(
            method: exchange.method,
            path: exchange.path,
            query: connection.values(.GET_ARGUMENT_KIND),
            headers: connection.values(.HEADER_KIND),
            body: body
        )
        invokeHandler(request, exchange: exchange)

        if let response = suspended.park(exchange, orAnswer: shuttingDownResponse) {
            return connection.queue(response, closeConnection: isDraining.load(ordering: .relaxed), logger: logger)
        }
        // Parked: this worker is free for other connections until the responder resumes it.
        return .YES
    }

    /// Kept separate so the responder is released when the handler is done with it: a handler that
    /// neither answered nor kept it gets its 500 queued right away instead of after a park.
    private func invokeHandler(_ request: HTTPRequest, exchange: HTTPExchange) {
        handler.handle(request, responder: HTTPResponder(exchange: exchange, pipeline: self))
    }

    private func bodyTooLargeResponse() -> HTTPResponse {
        HTTPError(status: 413, message: "request body exceeds \(maxBodyBytes) bytes").response
    }

    func shuttingDownResponse() -> HTTPResponse {
        HTTPError(status: 503, message: "server is shutting down").response
    }
}
