import ArgumentParser
import Logging
import WardenServer

#if canImport(Glibc)
import Glibc
#endif

/// The ingest baseline: WardenServer's own ``HTTPServer`` (same libmicrohttpd flags, thread pool,
/// body limit and keep-alive handling as the daemon) with a handler that does no work.
///
/// The server has already read the whole body into the request when the handler runs, so
/// the difference between this and `tokenwarden serve` is exactly what TokenWarden adds per
/// request: routing, decoding, pricing, the group commit, and answering from the writer thread.
struct BareHandler: HTTPHandler {
    private static let body = Array(#"{"results":[]}"#.utf8)

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        responder.send(.json(200, Self.body))
    }
}

/// `tokenwarden-bench bare-server --listen HOST:PORT`: serves ``BareHandler`` until SIGTERM/SIGINT.
struct BareServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "Serve 200 {\"results\":[]} to every request with WardenServer's HTTPServer (the ingest baseline)."
    )

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:9474"

    @Option(help: "libmicrohttpd worker threads (tokenwarden serve's default is 2).")
    var threads: Int = HTTPServerConfiguration().threadPoolSize

    @Option(help: "Largest accepted body in bytes (tokenwarden's default is 8 MiB).")
    var maxBodyBytes: Int = HTTPServerConfiguration().maxBodyBytes

    func run() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT, not \(listen)")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        // Block the stop signals before libmicrohttpd starts its threads (they inherit the mask),
        // so that sigwait below is the only place they are delivered.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        var configuration = HTTPServerConfiguration()
        configuration.host = String(listen[..<colon])
        configuration.port = port
        configuration.threadPoolSize = threads
        configuration.maxBodyBytes = maxBodyBytes
        let server = HTTPServer(configuration: configuration, handler: BareHandler(), logger: Logger(label: "bare-server"))
        try server.start()

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        server.stop()
    }
}
