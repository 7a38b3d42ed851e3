import CMicroHTTPD
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TokenWarden's HTTP edge: libmicrohttpd with internal epoll worker threads, and suspend/resume so
/// a handler may answer later from any thread without holding a worker.
///
/// libmicrohttpd is hand-wrapped rather than using a Swift HTTP stack because the ingest hot path
/// wants its throughput with a tiny footprint: measured at ~14 µs of server CPU per small keep-alive
/// request (a bare C libmicrohttpd handler: ~12–13 µs) and ~14 MB RSS.
public final class HTTPServer: Sendable {
    private enum Lifecycle {
        case idle
        case running(daemon: OpaquePointer, port: Int, deadline: RequestDeadline?)
        case stopping
    }

    private let configuration: HTTPServerConfiguration
    private let pipeline: HTTPRequestPipeline
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle.idle)

    public init(configuration: HTTPServerConfiguration, handler: some HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.pipeline = HTTPRequestPipeline(handler: handler, logger: logger, maxBodyBytes: configuration.maxBodyBytes,
                                            tls: configuration.tls, bodyTooLarge: configuration.bodyTooLarge)
    }

    deinit {
        stop()
    }

    /// The port the server listens on (the chosen one when configured with port 0); 0 when not running.
    public var boundPort: Int {
        lifecycle.withLock { lifecycle in
            if case .running(_, let port, _) = lifecycle { return port }
            return 0
        }
    }

    /// Open client connections (idle keep-alive ones included).
    public var openConnectionCount: Int {
        pipeline.connections.count
    }

    /// Requests received and not yet completed, including ones waiting for a late response.
    public var activeRequestCount: Int {
        pipeline.activeRequests.load(ordering: .relaxed)
    }

    /// Binds and starts the worker threads. Throws ``HTTPServerError`` naming the address and the
    /// system's reason when it cannot listen. A stopped server may be started again.
    public func start() throws {
        try validate(configuration)
        let address = try HTTPBindAddress(host: configuration.host, port: configuration.port)
        try lifecycle.withLock { lifecycle in
            guard case .idle = lifecycle else {
                throw HTTPServerError(.alreadyRunning, "the HTTP server on \(address.display) is already running")
            }
            pipeline.isDraining.store(false, ordering: .relaxed)
            pipeline.suspended.reopen()
            _ = pipeline.takeRecentDaemonMessages()

            var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
                | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
            if address.isIPv6 {
                flags |= MHD_USE_IPv6.rawValue
            }
            if configuration.tls != nil {
                flags |= MHD_USE_TLS.rawValue
            }
            let context = Unmanaged.passUnretained(pipeline).toOpaque()
            let priorities = configuration.tls?.priorities ?? ""
            errno = 0
            let started = address.withSockaddr { socketAddress in
                priorities.withCString { priorities in
                    var settings = warden_mhd_settings(
                        flags: flags,
                        port: UInt16(configuration.port),
                        bind_address: socketAddress,
                        thread_pool_size: UInt32(configuration.threadPoolSize),
                        connection_limit: UInt32(configuration.connectionLimit),
                        per_client_connection_limit: UInt32(configuration.connectionLimitPerClient),
                        connection_timeout_seconds: UInt32(configuration.connectionTimeoutSeconds),
                        connection_memory_bytes: configuration.connectionMemoryBytes,
                        access_handler: { context, connection, url, method, _, uploadData, uploadDataSize, requestSlot in
                            guard let context, let connection, let uploadDataSize, let requestSlot else { return .NO }
                            return Unmanaged<HTTPRequestPipeline>.fromOpaque(context).takeUnretainedValue().access(
                                connection: MicroHTTPDConnection(handle: connection),
                                url: url,
                                method: method,
                                uploadData: uploadData,
                                uploadDataSize: uploadDataSize,
                                requestSlot: requestSlot
                            )
                        },
                        completed_handler: { context, connection, requestSlot, termination in
                            guard let context else { return }
                            Unmanaged<HTTPRequestPipeline>.fromOpaque(context).takeUnretainedValue()
                                .complete(connection: connection, requestSlot: requestSlot, termination: termination)
                        },
                        connection_handler: { context, connection, socketContext, event in
                            guard let context, let connection, let socketContext else { return }
                            let pipeline = Unmanaged<HTTPRequestPipeline>.fromOpaque(context).takeUnretainedValue()
                            if event == .CONNECTION_NOTIFY_STARTED {
                                pipeline.connectionStarted(connection, socketContext: socketContext)
                            } else {
                                pipeline.connectionClosed(socketContext: socketContext)
                            }
                        },
                        log_handler: { context, format, arguments in
                            guard let context, let format, let arguments else { return }
                            var buffer = [CChar](repeating: 0, count: 512)
                            let message = buffer.withUnsafeMutableBufferPointer { buffer -> String in
                                guard let base = buffer.baseAddress else { return "" }
                                _ = vsnprintf(base, buffer.count, format, arguments)
                                return String(cString: base)
                            }
                            Unmanaged<HTTPRequestPipeline>.fromOpaque(context).takeUnretainedValue()
                                .daemonLog(message.trimmingTrailingNewlines())
                        },
                        context: context,
                        tls_priorities: configuration.tls == nil ? nil : priorities,
                        tls_certificate_callback: configuration.tls == nil ? nil : TLSSessionSettings.certificateCallback
                    )
                    return warden_mhd_start_daemon(&settings)
                }
            }
            let startErrno = errno
            guard let daemon = started else {
                throw startFailure(address: address, errnoValue: startErrno)
            }
            let port = Int(warden_mhd_bound_port(daemon))
            let deadline = configuration.requestTimeout.map {
                RequestDeadline(registry: pipeline.connections, timeout: $0, logger: logger)
            }
            lifecycle = .running(daemon: daemon, port: port, deadline: deadline)
            logger.info("HTTP server listening", metadata: [
                "address": "\(address.display(port: port))",
                "threads": "\(configuration.threadPoolSize)",
                "tls": "\(configuration.tls != nil)",
            ])
        }
    }

    /// Stops gracefully: stop accepting, let in-flight requests finish for up to
    /// ``HTTPServerConfiguration/shutdownGracePeriod`` (responses meanwhile close their connections
    /// and new requests on open connections get 503), answer whatever still waits 503, then stop
    /// libmicrohttpd. Returns once its threads are gone. Calling it when not running does nothing.
    /// Call it from outside the server: from a handler it would wait for its own worker thread.
    public func stop() {
        let running: (OpaquePointer, RequestDeadline?)? = lifecycle.withLock { lifecycle in
            guard case .running(let daemon, _, let deadline) = lifecycle else { return nil }
            lifecycle = .stopping
            return (daemon, deadline)
        }
        guard let (daemon, deadline) = running else { return }
        deadline?.stop()

        pipeline.isDraining.store(true, ordering: .relaxed)
        let listenSocket = MHD_quiesce_daemon(daemon)

        let clock = ContinuousClock()
        waitForActiveRequests(until: clock.now.advanced(by: configuration.shutdownGracePeriod))

        // libmicrohttpd aborts if stopped with a suspended connection, so every parked request is
        // answered (which resumes it) and nothing may park from here on.
        let stranded = pipeline.suspended.refuseAndTakeAll()
        if !stranded.isEmpty {
            logger.warning("HTTP server stopping: answering requests still waiting for a response with 503",
                           metadata: ["count": "\(stranded.count)"])
        }
        for exchange in stranded {
            _ = exchange.deliver(pipeline.shuttingDownResponse())
        }
        // Give the resumed connections a moment to flush their 503 before the sockets close.
        waitForActiveRequests(until: clock.now.advanced(by: .seconds(1)))

        MHD_stop_daemon(daemon)
        // After a quiesce libmicrohttpd leaves the listening socket to us.
        if listenSocket >= 0 {
            close(listenSocket)
        }
        lifecycle.withLock { $0 = .idle }
        logger.info("HTTP server stopped")
    }

    private func waitForActiveRequests(until deadline: ContinuousClock.Instant) {
        while pipeline.activeRequests.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            usleep(2_000)
        }
    }

    private func validate(_ configuration: HTTPServerConfiguration) throws(HTTPServerError) {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws(HTTPServerError) {
            if !ok { throw HTTPServerError(.invalidConfiguration, message()) }
        }
        let limit = Int(UInt32.max)
        try check((1...limit).contains(configuration.threadPoolSize),
                  "threadPoolSize must be at least 1, got \(configuration.threadPoolSize)")
        try check((1...limit).contains(configuration.connectionLimit),
                  "connectionLimit must be at least 1, got \(configuration.connectionLimit)")
        try check((0...limit).contains(configuration.connectionLimitPerClient),
                  "connectionLimitPerClient must be 0 (no limit) or more, got \(configuration.connectionLimitPerClient)")
        try check(configuration.requestTimeout.map { $0 > .zero } ?? true, "requestTimeout must be positive")
        if let tls = configuration.tls, let problem = tls.prioritiesProblem {
            throw HTTPServerError(.invalidConfiguration, "GnuTLS refuses the TLS versions \(tls.minVersion.rawValue) to \(tls.maxVersion.rawValue): \(problem)")
        }
        try check((0...limit).contains(configuration.connectionTimeoutSeconds),
                  "connectionTimeoutSeconds must be 0 (no timeout) or more, got \(configuration.connectionTimeoutSeconds)")
        try check((4096...(64 << 20)).contains(configuration.connectionMemoryBytes),
                  "connectionMemoryBytes must be between 4096 and 64 MiB, got \(configuration.connectionMemoryBytes)")
        try check(configuration.maxBodyBytes >= 0,
                  "maxBodyBytes must not be negative, got \(configuration.maxBodyBytes)")
        try check(configuration.shutdownGracePeriod >= .zero,
                  "shutdownGracePeriod must not be negative")
    }

    /// errno names the cause when bind or listen failed; otherwise libmicrohttpd's own last log
    /// line is the best explanation there is (it is also in the log either way).
    private func startFailure(address: HTTPBindAddress, errnoValue: Int32) -> HTTPServerError {
        let daemonSaid = pipeline.takeRecentDaemonMessages().last
        let reason: String
        if errnoValue != 0 {
            reason = String(cString: strerror(errnoValue))
        } else if let daemonSaid {
            reason = "libmicrohttpd: \(daemonSaid)"
        } else {
            reason = "libmicrohttpd could not start (no reason given)"
        }
        return HTTPServerError(.bindFailed, "cannot listen on \(address.display): \(reason)")
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var result = Substring(self)
        while let last = result.last, last.isNewline {
            result = result.dropLast()
        }
        return String(result)
    }
}
