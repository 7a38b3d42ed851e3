#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket address the server binds, parsed from the configured host and port.
///
/// Only IP literals (and `localhost`) are accepted: a daemon that resolves names at startup binds
/// to whatever DNS says that day, which is not what an operator who wrote an address expects.
struct HTTPBindAddress {
    private enum Storage {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    private let storage: Storage
    /// The host as an operator would write it in a URL (IPv6 in brackets), for messages.
    private let hostForDisplay: String
    private let port: Int

    /// `host:port` for messages.
    var display: String { display(port: port) }

    /// `host:port` with another port — the one actually bound when port 0 was asked for.
    func display(port: Int) -> String { "\(hostForDisplay):\(port)" }

    var isIPv6: Bool {
        if case .v6 = storage { return true }
        return false
    }

    init(host: String, port: Int) throws(HTTPServerError) {
        guard (0...65535).contains(port) else {
            throw HTTPServerError(.invalidAddress, "port \(port) is outside 0...65535")
        }
        var literal = host
        if literal.hasPrefix("["), literal.hasSuffix("]") {
            literal = String(literal.dropFirst().dropLast())
        }
        if literal == "localhost" { literal = "127.0.0.1" }
        self.port = port

        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            #if canImport(Darwin)
            v4.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
            #endif
            storage = .v4(v4)
            hostForDisplay = literal
            return
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            #if canImport(Darwin)
            v6.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
            #endif
            storage = .v6(v6)
            hostForDisplay = "[\(literal)]"
            return
        }
        throw HTTPServerError(
            .invalidAddress,
            "host '\(host)' is not an IPv4 or IPv6 address literal (e.g. 127.0.0.1, 0.0.0.0, ::1)"
        )
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        switch storage {
        case .v4(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        case .v6(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        }
    }
}
