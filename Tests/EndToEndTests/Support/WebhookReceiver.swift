import Foundation
import Synchronization

/// A tiny HTTP/1.1 server on a loopback port that records webhook deliveries, for the
/// notification tests (the EndToEndTests target cannot import the server's HTTP code).
///
/// One request per connection (`Connection: close`), a thread per accept loop: enough for a
/// trickle of notifications. It can answer 503 (`available = false`) or not listen at all
/// (``close()``, then ``listen()`` again on the same port) to play a receiver that is down.
///
/// Every request is recorded with the status it was answered: ``deliveries`` are the ones it
/// accepted (204), ``refusals`` the ones it answered 503 while unavailable.
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery: Sendable {
        var headers: [String: String]
        var body: Data
        /// 204 when accepted, 503 when refused.
        var status: Int
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var eventID: Int? { header("X-TokenWarden-Event-Id").flatMap(Int.init) }
        var attempt: Int? { header("X-TokenWarden-Delivery-Attempt").flatMap(Int.init) }
    }

    let port: Int
    private let state = Mutex<(socket: Int32, stopped: DispatchSemaphore?, requests: [Delivery], available: Bool)>((-1, nil, [], true))

    init(port: Int) { self.port = port }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request received, in order of arrival.
    var requests: [Delivery] { state.withLock { $0.requests } }

    /// The requests answered 204.
    var deliveries: [Delivery] { requests.filter { $0.status == 204 } }

    /// The requests answered 503 while unavailable.
    var refusals: [Delivery] { requests.filter { $0.status == 503 } }

    var available: Bool {
        get { state.withLock { $0.available } }
        set { state.withLock { $0.available = newValue } }
    }

    func listen() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw TestFailure("cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        let stopped = DispatchSemaphore(value: 0)
        state.withLock { $0.socket = fd; $0.stopped = stopped }
        let thread = Thread { [self] in
            acceptLoop(fd)
            Glibc.close(fd)
            stopped.signal()
        }
        thread.start()
    }

    /// Stops listening: connections are refused until ``listen()``. Returns once the port is free.
    ///
    /// The accept thread closes the socket, not this call: closed here, its number could be reused
    /// by another test's descriptor before the thread calls `accept` again, which would then take
    /// that descriptor's connections (or wait on it).
    func close() {
        let (fd, stopped) = state.withLock { state -> (Int32, DispatchSemaphore?) in
            defer { state.socket = -1; state.stopped = nil }
            return (state.socket, state.stopped)
        }
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))  // wakes the blocked accept
            stopped?.wait()
        }
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 {
                if state.withLock({ $0.socket }) != fd { return }
                continue
            }
            handle(connection)
            Glibc.close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let count = read(connection, &chunk, chunk.count)
            if count <= 0 { return }
            buffer += chunk[0..<count]
            if headerEnd == nil, let range = Data(buffer).range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: buffer[0..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            if let end = headerEnd, buffer.count >= end + contentLength { break }
        }
        let end = headerEnd!
        var headers: [String: String] = [:]
        for line in String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let body = Data(buffer[end..<(end + contentLength)])
        let available = state.withLock { state -> Bool in
            state.requests.append(Delivery(headers: headers, body: body, status: state.available ? 204 : 503))
            return state.available
        }
        let response = available ? "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
            : "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = Array(response.utf8).withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }

    deinit { close() }
}

/// HMAC-SHA256 through the `openssl` command line (this target does not link swift-crypto), so
/// the test checks the server's signatures with an independent implementation.
enum OpenSSLHMAC {
    static func hex(body: Data, secret: String) throws -> String {
        let result = try Tools.run("openssl", ["dgst", "-sha256", "-hmac", secret, "-r"], input: body)
        guard result.status == 0, let digest = result.output.split(separator: " ").first else {
            throw TestFailure("openssl dgst failed: \(result.output)")
        }
        return String(digest)
    }
}
