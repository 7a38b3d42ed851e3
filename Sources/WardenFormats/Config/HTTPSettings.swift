import WardenCore

/// The `http:` section of `tokenwarden.yaml`: how much of the listener one client may take.
///
/// ```yaml
/// http:
///   max_connections: 1024            # open connections at most, all clients together
///   max_connections_per_client: 64   # per client address; 0 means no per-client limit
///   idle_timeout: 15s                # a connection that sends nothing this long is closed
///   request_timeout: 30s             # a request's headers and body must arrive within this
///   max_header_bytes: 32KiB          # each connection's memory for a request's line and headers
/// ```
public struct HTTPSettings: Sendable, Equatable {
    public var maxConnections = 1024
    /// 0 turns the per-client limit off (behind a reverse proxy every client has its address).
    public var maxConnectionsPerClient = 64
    /// Whole seconds: libmicrohttpd counts its idle timeout in seconds. The timer restarts on
    /// every byte received, which is why ``requestTimeout`` exists.
    public var idleTimeout = RuleDuration(nanoseconds: 15_000_000_000)
    /// How long a client has to deliver a whole request, from the moment its connection opens or
    /// its previous answer has gone out: a client trickling one byte a second is cut off here.
    public var requestTimeout = RuleDuration(nanoseconds: 30_000_000_000)
    /// libmicrohttpd's per-connection memory pool, which holds the request line and headers
    /// (and the read buffer and the response headers besides).
    public var maxHeaderBytes = 32 << 10

    public init() {}

    /// Reads the `http:` mapping strictly: every problem is reported at its `file:line:col`.
    static func parse(_ object: YAMLObject) -> HTTPSettings {
        var settings = HTTPSettings()
        settings.maxConnections = object.integer("max_connections", in: 1...1_000_000) ?? settings.maxConnections
        settings.maxConnectionsPerClient = object.integer("max_connections_per_client", in: 0...1_000_000)
            ?? settings.maxConnectionsPerClient
        if let idle = object.duration("idle_timeout", from: "1s", to: "1h", example: "15s") {
            if idle.nanoseconds % 1_000_000_000 == 0 {
                settings.idleTimeout = idle
            } else {
                object.diagnostics.error("\(object.child("idle_timeout")) must be whole seconds, not \"\(idle)\"",
                                         at: object.value("idle_timeout"))
            }
        }
        settings.requestTimeout = object.duration("request_timeout", from: "1s", to: "1h", example: "30s") ?? settings.requestTimeout
        settings.maxHeaderBytes = object.byteSize("max_header_bytes", from: "8KiB", to: "1MiB", example: "32KiB")
            ?? settings.maxHeaderBytes
        object.rejectUnknownKeys()
        return settings
    }
}
