import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One client connection, from libmicrohttpd's notice that it started to its notice that it
/// closed: its socket, the TLS settings its handshake uses, and since when it has been waiting
/// for a complete request.
///
/// libmicrohttpd keeps a pointer to it in the connection's `socket_context` (retained until the
/// close notice), which is how the access handler and the GnuTLS callbacks find it.
final class ClientConnection: Sendable {
    let socket: Int32
    let tls: TLSSessionSettings?
    /// ``MonotonicClock`` nanoseconds since which the connection has been receiving a request
    /// (from its start, or since its previous response went out); 0 while a request is handled
    /// and answered, when no deadline applies.
    let receivingSince: Atomic<UInt64>

    init(socket: Int32, tls: TLSSessionSettings?, now: UInt64) {
        self.socket = socket
        self.tls = tls
        receivingSince = Atomic(now)
    }

    /// The request's headers and body have all arrived.
    func requestReceived() {
        receivingSince.store(0, ordering: .relaxed)
    }

    /// The response went out (or the request ended otherwise): the next request's time starts.
    func awaitingRequest(now: UInt64) {
        receivingSince.store(now, ordering: .relaxed)
    }

    /// The record of a libmicrohttpd connection; nil if it has none (it started before tracking).
    static func of(_ connection: OpaquePointer) -> ClientConnection? {
        guard let raw = warden_mhd_socket_context(connection) else { return nil }
        return Unmanaged<ClientConnection>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds, as a plain integer that fits an atomic.
enum MonotonicClock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
