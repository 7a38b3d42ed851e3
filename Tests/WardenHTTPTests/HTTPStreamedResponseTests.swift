import TestSupport
import Synchronization
import Testing
import WardenHTTP

#if canImport(Glibc)
import Glibc
#endif

/// A body of `size` deterministic bytes, handed out in reads of at most `maxRead`; records how far
/// it was read and when it is released.
final class CountingBodyStream: HTTPBodyStream {
    let size: Int
    let maxRead: Int
    private let state = Mutex<(offset: Int, reads: Int)>((0, 0))
    private let released: (@Sendable () -> Void)?

    init(size: Int, maxRead: Int = .max, released: (@Sendable () -> Void)? = nil) {
        self.size = size
        self.maxRead = maxRead
        self.released = released
    }

    deinit { released?() }

    static func byte(at offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: offset &* 31 &+ offset >> 8) }
    static func expected(size: Int) -> [UInt8] { (0..<size).map(byte(at:)) }

    var bytesRead: Int { state.withLock { $0.offset } }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        state.withLock { state in
            let count = min(buffer.count, maxRead, size - state.offset)
            for index in 0..<count { buffer[index] = Self.byte(at: state.offset + index) }
            state.offset += count
            state.reads += 1
            return count
        }
    }
}

@Suite("HTTP streamed responses")
struct HTTPStreamedResponseTests {
    @Test func aLargeStreamedBodyArrivesChunkedAndByteExact() async throws {
        let size = 5_000_000 + 17
        let handler = ClosureHandler { _, responder in
            responder.send(HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/octet-stream")],
                                        stream: CountingBodyStream(size: size)))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding")?.lowercased() == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.header("Content-Type") == "application/octet-stream")
            #expect(response.body.count == size)
            #expect(response.body == CountingBodyStream.expected(size: size))
        }
    }

    @Test func tinyReadsAndAnEmptyBodyAreFramedCorrectlyOnOneKeptAliveConnection() async throws {
        let sizes = Mutex([3_000, 0, 1])
        let handler = ClosureHandler { _, responder in
            let size = sizes.withLock { $0.removeFirst() }
            responder.send(HTTPResponse(status: 200, stream: CountingBodyStream(size: size, maxRead: 7)))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            for size in [3_000, 0, 1] {
                try client.write("GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection")?.lowercased() != "close")
                #expect(response.body == CountingBodyStream.expected(size: size), "body of \(size) bytes")
            }
        }
    }

    @Test func anHTTP10ClientGetsTheBodyDelimitedByTheServerClosing() async throws {
        let size = 200_000
        let handler = ClosureHandler { _, responder in
            responder.send(HTTPResponse(status: 200, stream: CountingBodyStream(size: size)))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET /old HTTP/1.0\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding") == nil, "HTTP/1.0 has no chunked encoding")
            #expect(response.body == CountingBodyStream.expected(size: size))
        }
    }

    @Test func aClientLeavingMidBodyReleasesTheStreamAndTheServerCarriesOn() async throws {
        let size = 200_000_000
        let released = Atomic<Bool>(false)
        let stream = Mutex<CountingBodyStream?>(nil)
        let handler = ClosureHandler { request, responder in
            if request.path == "/big" {
                let body = CountingBodyStream(size: size, released: { released.store(true, ordering: .releasing) })
                stream.withLock { $0 = body }
                responder.send(HTTPResponse(status: 200, stream: body))
            } else {
                responder.send(.text(200, "still here"))
            }
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.receive(atLeast: 100_000) >= 100_000)
            client.close()
            let readBeforeRelease = try #require(stream.withLock { $0 }).bytesRead
            stream.withLock { $0 = nil }
            #expect(try await poll(for: .seconds(10), until: { released.load(ordering: .acquiring) }),
                    "the stream is released once libmicrohttpd notices the client left")
            #expect(readBeforeRelease < size, "the body was not rendered to its end for nobody")

            let next = try RawHTTPConnection(port: server.boundPort)
            try next.write("GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try next.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "still here")
        }
    }
}
