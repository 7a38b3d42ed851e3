import ArgumentParser
import Foundation
import Logging
import WardenHTTP
import WardenRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The ingest baseline: WardenHTTP's own ``HTTPServer`` (same libmicrohttpd flags, thread pool,
/// body limit and keep-alive handling as the daemon) with a handler that does no work.
///
/// The server has already read the whole body into the request when the handler runs, so
/// the difference between this and `tokenwarden serve` is exactly what TokenWarden adds per
/// request: routing, decoding, pricing, the group commit, and answering from the writer thread.
struct BareHandler: HTTPHandler {
    static let body = Array(#"{"results":[]}"#.utf8)

    /// Thread CPU to spend per request before answering (the floor benchmark's synthetic work).
    var burnMicroseconds = 0
    /// Answer from another thread after a libmicrohttpd suspend, as the daemon answers usage.
    var late: LateAnswers?

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        if burnMicroseconds > 0 { Self.burn(microseconds: burnMicroseconds) }
        if let late {
            late.answer(responder)
        } else {
            responder.send(.json(200, Self.body))
        }
    }

    /// Spins until this thread has used `microseconds` of CPU: work that needs a core and nothing
    /// else (no lock, no allocation, no system call beyond reading the clock).
    static func burn(microseconds: Int) {
        func threadCPU() -> Int {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            return now.tv_sec * 1_000_000 + now.tv_nsec / 1_000
        }
        let until = threadCPU() + microseconds
        while threadCPU() < until {}
    }
}

/// The shape of the daemon's usage acknowledgement without its work: requests park (the HTTP
/// layer suspends the connection), one thread takes everything parked since its last pass and
/// answers it (each answer a libmicrohttpd resume). What this costs over ``BareHandler`` is the
/// least any server answering after an asynchronous group commit pays on this HTTP stack.
final class LateAnswers: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [HTTPResponder] = []

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "bare-late-answers"
        thread.start()
    }

    func answer(_ responder: HTTPResponder) {
        condition.lock()
        pending.append(responder)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [HTTPResponder] = []
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            swap(&batch, &pending)
            condition.unlock()
            for responder in batch { responder.send(.json(200, BareHandler.body)) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

/// `tokenwarden-bench bare-server --listen HOST:PORT`: serves ``BareHandler`` until SIGTERM/SIGINT.
struct BareServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "Serve 200 {\"results\":[]} to every request with WardenHTTP's HTTPServer (the ingest baseline)."
    )

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:9474"

    @Option(help: "libmicrohttpd worker threads (tokenwarden serve's default is 2).")
    var threads: Int = HTTPServerConfiguration().threadPoolSize

    @Option(help: "Largest accepted body in bytes (tokenwarden's default is 8 MiB).")
    var maxBodyBytes: Int = HTTPServerConfiguration().maxBodyBytes

    @Option(help: "Thread CPU microseconds to spend per request before answering (0: none).")
    var burnMicroseconds: Int = 0

    @Flag(help: "Answer from another thread after a suspend, as the daemon answers usage.")
    var answerLate = false

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
        let handler = BareHandler(burnMicroseconds: max(0, burnMicroseconds), late: answerLate ? LateAnswers() : nil)
        let server = HTTPServer(configuration: configuration, handler: handler, logger: Logger(label: "bare-server"))
        try server.start()

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        server.stop()
    }
}
