import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Many raw connections from one address to a server, held as an attacker would hold them:
/// idle ones that send nothing, and trickling ones that send one byte of a never-ending request
/// header per ``round()``. A connection the server closes is opened again at the next round.
///
/// Non-blocking sockets, all driven from the thread that calls the methods (not thread-safe).
final class ConnectionFlood {
    private enum Kind { case idle, trickling }

    private struct Connection {
        var socket: Int32
        var kind: Kind
        var sent: Int
    }

    private let port: Int
    private var connections: [Connection] = []
    /// Connections opened again after the server closed them.
    private(set) var reopened = 0

    private static let requestHead = Array("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ".utf8)

    init(port: Int) {
        self.port = port
    }

    deinit {
        for connection in connections where connection.socket >= 0 { close(connection.socket) }
    }

    func open(idle: Int, trickling: Int) throws {
        for index in 0..<(idle + trickling) {
            connections.append(Connection(socket: try connect(), kind: index < idle ? .idle : .trickling, sent: 0))
        }
    }

    /// Each trickling connection sends its next byte; each connection the server has closed
    /// (or refused) is opened again.
    func round() {
        for index in connections.indices {
            var connection = connections[index]
            if connection.kind == .trickling {
                let byte = connection.sent < Self.requestHead.count ? Self.requestHead[connection.sent] : UInt8(ascii: "a")
                let result = withUnsafePointer(to: byte) { send(connection.socket, $0, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if result == 1 {
                    connection.sent += 1
                } else if errno != EAGAIN && errno != EWOULDBLOCK {
                    reopen(&connection)
                }
            } else if isClosed(connection.socket) {
                reopen(&connection)
            }
            connections[index] = connection
        }
    }

    /// Connections the server holds open: connected, neither closed nor reset.
    func openCount() -> Int {
        connections.filter { isConnected($0.socket) && !isClosed($0.socket) }.count
    }

    private func reopen(_ connection: inout Connection) {
        close(connection.socket)
        connection.socket = (try? connect()) ?? -1
        connection.sent = 0
        reopened += 1
    }

    private func connect() throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket() failed: errno \(errno) (open-file limit?)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 && errno != EINPROGRESS {
            let code = errno
            close(socket)
            throw TestFailure("connect() failed: errno \(code)")
        }
        return socket
    }

    /// Whether the server closed or reset the connection (or it could not be made).
    private func isClosed(_ socket: Int32) -> Bool {
        guard socket >= 0 else { return true }
        var byte: UInt8 = 0
        let result = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if result == 0 { return true }
        return result < 0 && errno != EAGAIN && errno != EWOULDBLOCK
    }

    private func isConnected(_ socket: Int32) -> Bool {
        guard socket >= 0 else { return false }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(socket, $0, &length) }
        } == 0
    }
}

/// The open-file limit of this process, raised to its hard limit (6,000 sockets need it).
enum TestOpenFileLimit {
    static func raise() -> Int {
        var limits = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
        if limits.rlim_cur < limits.rlim_max {
            limits.rlim_cur = limits.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
        }
        return Int(clamping: limits.rlim_cur)
    }
}
