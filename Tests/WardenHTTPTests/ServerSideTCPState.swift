import Foundation

/// The kernel's state of the server's end of one loopback TCP connection, read from
/// `/proc/net/tcp` and `/proc/net/tcp6`.
///
/// libmicrohttpd does not watch a suspended connection, so a client hanging up while its request
/// waits for a late response is visible only to the kernel until the response is sent: this is
/// how a test waits for the disconnect to have reached the server, instead of sleeping.
enum ServerSideTCPState: String {
    case established = "01"
    /// The client's FIN has arrived; the server has not closed its end yet.
    case closeWait = "08"
    /// Any other state (see `include/net/tcp_states.h`).
    case other

    /// The state of the socket whose local port is `serverPort` and remote port `clientPort`,
    /// or nil when there is no such socket (never opened, or closed by the server).
    static func of(serverPort: Int, clientPort: Int) -> ServerSideTCPState? {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readWhole(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                // "sl local_address rem_address st ...", addresses as HEXADDR:HEXPORT.
                let fields = line.split(separator: " ")
                guard fields.count > 3,
                      let local = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      let remote = fields[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      local == serverPort, remote == clientPort
                else { continue }
                return ServerSideTCPState(rawValue: String(fields[3])) ?? .other
            }
        }
        return nil
    }

    /// A `/proc` file to its end: they report a size of 0, and a one-read copy stops at a page.
    private static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
