#if canImport(Glibc)
import Glibc
#endif

/// A raw-socket HTTP/1.1 client, so tests control exactly what goes on the wire: chunk
/// boundaries, keep-alive, conflicting headers, abrupt disconnects.

public struct ParsedHTTPResponse {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public struct HTTPTestClientError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// A blocking HTTP/1.1 client over one TCP connection, with a receive timeout so a broken server
/// fails the test instead of hanging it.
public final class RawHTTPConnection {
    private var fd: Int32
    private var buffered: [UInt8] = []

    /// `source` binds the client's end to that IPv4 address first (any of 127/8 is loopback), so
    /// one test can be several clients.
    public init(port: Int, host: String = "127.0.0.1", source: String? = nil, receiveTimeoutSeconds: Int = 10) throws {
        let isIPv6 = host.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestClientError(description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source, !isIPv6 {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let code = errno
                close()
                throw HTTPTestClientError(description: "bind to \(source) failed: errno \(code)")
            }
        }
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            // deinit runs even though init throws, so the descriptor is closed once, through close():
            // closing it here and again in deinit would close whatever descriptor a parallel test
            // opened under the same number in between (libmicrohttpd aborts when its socket vanishes).
            close()
            throw HTTPTestClientError(description: "connect to \(host):\(port) failed: errno \(code)")
        }
    }

    deinit {
        close()
    }

    /// The client's end of the connection: its local port (0 once closed).
    public var localPort: Int {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard fd >= 0, result == 0 else { return 0 }
        let family = address.ss_family
        return withUnsafePointer(to: &address) { pointer -> Int in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw HTTPTestClientError(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads one response framed by Content-Length, by `Transfer-Encoding: chunked` (decoded
    /// strictly: malformed framing throws), or, lacking both, by the server closing.
    public func readResponse() throws -> ParsedHTTPResponse {
        var headerEnd = try fill { self.findHeaderEnd() }
        let head = String(decoding: buffered[..<headerEnd], as: UTF8.self)
        headerEnd += 4
        var lines = head.split(separator: "\r\n" as Character, omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw HTTPTestClientError(description: "bad status line in \(head)")
        }
        let headers: [(name: String, value: String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), trimmingSpaces(line[line.index(after: colon)...]))
        }
        var response = ParsedHTTPResponse(status: status, headers: headers, body: [])
        if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            _ = try fill { self.buffered.count >= headerEnd + length ? 0 : nil }
            response.body = Array(buffered[headerEnd..<(headerEnd + length)])
            buffered.removeFirst(headerEnd + length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            buffered.removeFirst(headerEnd)
            response.body = try readChunkedBody()
        } else {
            while try receiveMore() {}
            response.body = Array(buffered[headerEnd...])
            buffered = []
        }
        return response
    }

    /// A chunked body: `size-in-hex CRLF data CRLF` until a zero size, then an empty trailer.
    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let lineEnd = try fill { self.findCRLF() }
            let sizeText = String(decoding: buffered[..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw HTTPTestClientError(description: "bad chunk size line \"\(sizeText)\"")
            }
            buffered.removeFirst(lineEnd + 2)
            _ = try fill { self.buffered.count >= size + 2 ? 0 : nil }
            guard buffered[size] == 13, buffered[size + 1] == 10 else {
                throw HTTPTestClientError(description: "chunk of \(size) bytes not followed by CRLF")
            }
            if size == 0 {
                buffered.removeFirst(2)
                return body
            }
            body.append(contentsOf: buffered[..<size])
            buffered.removeFirst(size + 2)
        }
    }

    private func findCRLF() -> Int? {
        guard buffered.count >= 2 else { return nil }
        for index in 0..<(buffered.count - 1) where buffered[index] == 13 && buffered[index + 1] == 10 {
            return index
        }
        return nil
    }

    /// Reads until at least `count` bytes have arrived (or the server closed); returns how many did.
    public func receive(atLeast count: Int) throws -> Int {
        while buffered.count < count, try receiveMore() {}
        return buffered.count
    }

    /// True once the server has closed its side (EOF) with nothing more to read.
    public func isClosedByServer() throws -> Bool {
        try !receiveMore()
    }

    private func findHeaderEnd() -> Int? {
        guard buffered.count >= 4 else { return nil }
        for index in 0...(buffered.count - 4)
        where buffered[index] == 13 && buffered[index + 1] == 10 && buffered[index + 2] == 13 && buffered[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func fill(_ ready: () -> Int?) throws -> Int {
        while true {
            if let value = ready() { return value }
            guard try receiveMore() else {
                throw HTTPTestClientError(description: "connection closed mid-response (\(buffered.count) bytes buffered)")
            }
        }
    }

    /// Reads what is available; false on EOF or reset.
    private func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered.append(contentsOf: chunk[..<count])
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            throw HTTPTestClientError(description: "timed out waiting for the server")
        }
        return false
    }
}

private func trimmingSpaces(_ text: Substring) -> String {
    var slice = text
    while slice.first == " " { slice = slice.dropFirst() }
    while slice.last == " " { slice = slice.dropLast() }
    return String(slice)
}

/// Encodes one chunk of a `Transfer-Encoding: chunked` body.
public func chunk(_ bytes: [UInt8]) -> [UInt8] {
    Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10]
}

public let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
