/// How the HTTP edge listens and how much it lets one client use.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal (`127.0.0.1`, `0.0.0.0`, `::1`, `[::]`), or `localhost`.
    public var host: String
    /// 0 picks any free port; read it back from ``HTTPServer/boundPort``.
    public var port: Int
    /// libmicrohttpd worker threads, each with its own epoll set. 1 means a single polling thread.
    /// More than the core count only adds context switches: handlers must not block anyway.
    public var threadPoolSize: Int
    /// Largest request body accepted; a larger one is answered 413 without being buffered.
    public var maxBodyBytes: Int
    /// Concurrent connections, including ones parked waiting for a late response.
    public var connectionLimit: Int
    /// Concurrent connections from one client address; a connection past it is closed as soon as
    /// it is accepted. 0 means no limit.
    public var connectionLimitPerClient = 0
    /// Idle seconds before libmicrohttpd closes a connection; 0 disables the timeout.
    /// Connections waiting for a late response never time out (libmicrohttpd suspends them).
    /// The idle timer restarts with every byte received: see ``requestTimeout``.
    public var connectionTimeoutSeconds: Int
    /// How long a client has to deliver a whole request (for a TLS connection's first request,
    /// the handshake included), from the moment its connection opens or its previous response
    /// has gone out; past it the connection is closed. nil means no limit.
    public var requestTimeout: Duration?
    /// Serve HTTPS with these settings; nil serves plain HTTP.
    public var tls: HTTPServerTLS?
    /// Each connection's libmicrohttpd memory pool: the request line and headers, one record of
    /// about 48 bytes per header and query argument, the read buffer bodies pass through, and the
    /// response headers. Requests that do not fit are refused: libmicrohttpd 0.9.75 answers 431 to
    /// headers that overflow it, but only logs the 431 for query arguments that do, and the client
    /// waits for the idle timeout. 32 KiB, libmicrohttpd's default, holds a 16 KiB
    /// URL or about 600 query arguments; 16 KiB failed at about 300 arguments. libmicrohttpd
    /// zeroes the pool between requests, which is why it is not larger.
    public var connectionMemoryBytes: Int
    /// How long ``HTTPServer/stop()`` waits for in-flight requests before answering the rest 503.
    public var shutdownGracePeriod: Duration
    /// Told the path of every request answered 413 before any handler saw it, so the route that
    /// would have taken it can count the rejection.
    public var bodyTooLarge: @Sendable (_ path: String) -> Void = { _ in }

    public init(
        host: String = "127.0.0.1",
        port: Int = 9473,
        threadPoolSize: Int = 2,
        maxBodyBytes: Int = 8 << 20,
        connectionLimit: Int = 1024,
        connectionTimeoutSeconds: Int = 60,
        connectionMemoryBytes: Int = 32 << 10,
        shutdownGracePeriod: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.maxBodyBytes = maxBodyBytes
        self.connectionLimit = connectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionMemoryBytes = connectionMemoryBytes
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
