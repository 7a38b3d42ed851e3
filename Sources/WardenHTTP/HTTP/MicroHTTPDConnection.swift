import CMicroHTTPD
import Logging

/// The libmicrohttpd connection handle. Everything a handler needs is copied out of it into Swift
/// values before the handler runs.
///
/// `@unchecked Sendable` because the pointer is an opaque token that crosses threads only inside
/// ``HTTPExchange``, whose lock decides when it may be used: on the connection's worker during a
/// callback, or for suspend/resume, which libmicrohttpd allows from any thread.
struct MicroHTTPDConnection: @unchecked Sendable {
    let handle: OpaquePointer

    /// Headers (`.HEADER_KIND`) or decoded query arguments (`.GET_ARGUMENT_KIND`), in arrival order.
    /// Read with their lengths: a percent-encoded NUL (`team=a%00b`) stays in the value, where
    /// validation can refuse it, instead of silently cutting the value short as a C string would.
    func values(_ kind: MHD_ValueKind) -> [(name: String, value: String)] {
        var values: [(name: String, value: String)] = []
        withUnsafeMutablePointer(to: &values) { list in
            _ = MHD_get_connection_values_n(handle, kind, { list, _, name, nameSize, value, valueSize in
                guard let list, let name else { return .YES }
                list.assumingMemoryBound(to: [(name: String, value: String)].self).pointee.append(
                    (name: Self.text(name, count: nameSize), value: value.map { Self.text($0, count: valueSize) } ?? "")
                )
                return .YES
            }, list)
        }
        return values
    }

    private static func text(_ pointer: UnsafePointer<CChar>, count: Int) -> String {
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// The request's `Content-Length`, if it sent a well-formed one.
    var declaredContentLength: UInt64? {
        guard let value = MHD_lookup_connection_value(handle, .HEADER_KIND, "Content-Length") else {
            return nil
        }
        return UInt64(String(cString: value))
    }

    /// Whether the request carries two `Content-Length` headers that differ. libmicrohttpd 0.9.75
    /// takes the first; a proxy in front may take the last, and that disagreement is how requests
    /// are smuggled past it. Compared as bytes, without building strings: this runs per request.
    var hasConflictingContentLengths: Bool {
        struct Scan {
            var first: UnsafeRawBufferPointer?
            var conflict = false
        }
        var scan = Scan()
        _ = withUnsafeMutablePointer(to: &scan) { scanPointer in
            MHD_get_connection_values_n(handle, .HEADER_KIND, { context, _, name, nameSize, value, valueSize in
                guard let context, let name, nameSize == 14 else { return .YES }
                let expected = "content-length"
                var index = 0
                for byte in expected.utf8 {
                    let sent = UInt8(bitPattern: name[index])
                    guard sent | 0x20 == byte else { return .YES }  // ASCII case folding; "-" | 0x20 is "-"
                    index += 1
                }
                let scan = context.assumingMemoryBound(to: Scan.self)
                let bytes = UnsafeRawBufferPointer(start: value, count: value == nil ? 0 : valueSize)
                if let first = scan.pointee.first {
                    if !first.elementsEqual(bytes) {
                        scan.pointee.conflict = true
                        return .NO
                    }
                } else {
                    scan.pointee.first = bytes
                }
                return .YES
            }, scanPointer)
        }
        return scan.conflict
    }

    /// Bodies from this size on are lent to libmicrohttpd instead of copied: a 100k-series
    /// /metrics body is ~100 MB, and a copy doubled the scrape's peak memory.
    static let lendThreshold = 64 << 10

    /// Keeps a body alive, unchanged, until libmicrohttpd has sent it and calls back.
    private final class LentBody {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// A response that reads `body` in place. The array is immutable and retained by the box
    /// until libmicrohttpd frees the response, so its storage (and address) cannot change.
    private static func lend(_ body: [UInt8]) -> OpaquePointer? {
        let box = Unmanaged.passRetained(LentBody(body))
        let base = box.takeUnretainedValue().bytes.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
        let created = MHD_create_response_from_buffer_with_free_callback_cls(body.count, base, { context in
            guard let context else { return }
            Unmanaged<LentBody>.fromOpaque(context).release()
        }, box.toOpaque())
        if created == nil { box.release() }
        return created
    }

    /// Keeps a streamed body alive until libmicrohttpd has read it to the end (or the client left)
    /// and frees the response.
    private final class StreamedBody {
        let stream: any HTTPBodyStream
        init(_ stream: any HTTPBodyStream) { self.stream = stream }
    }

    /// How much libmicrohttpd asks a stream for at a time (advisory; it may ask for less).
    static let streamBlockSize = 64 << 10

    /// A response of unknown length that pulls its bytes from `stream` as the socket drains.
    private static func stream(_ stream: any HTTPBodyStream) -> OpaquePointer? {
        let box = Unmanaged.passRetained(StreamedBody(stream))
        let created = MHD_create_response_from_callback(
            UInt64.max,  // MHD_SIZE_UNKNOWN (a macro Swift does not import): chunked, or close-delimited
            streamBlockSize,
            { context, _, buffer, capacity in
                guard let context, let buffer, capacity > 0 else { return -2 }  // MHD_CONTENT_READER_END_WITH_ERROR
                let body = Unmanaged<StreamedBody>.fromOpaque(context).takeUnretainedValue()
                let written = body.stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity))
                precondition(written <= capacity, "HTTPBodyStream wrote past its buffer")
                if written < 0 { return -2 }  // MHD_CONTENT_READER_END_WITH_ERROR
                return written > 0 ? written : -1  // MHD_CONTENT_READER_END_OF_STREAM
            },
            box.toOpaque(),
            { context in
                guard let context else { return }
                Unmanaged<StreamedBody>.fromOpaque(context).release()
            })
        if created == nil { box.release() }
        return created
    }

    /// Hands a response to libmicrohttpd, which copies it (or, when large, reads it in place, or
    /// pulls a streamed body as it sends); `.NO` means it refused (the caller returns that to
    /// libmicrohttpd, which then closes the connection).
    func queue(_ response: HTTPResponse, closeConnection: Bool, logger: Logger) -> MHD_Result {
        let created: OpaquePointer?
        if let stream = response.stream {
            created = Self.stream(stream)
        } else if response.body.count >= Self.lendThreshold {
            created = Self.lend(response.body)
        } else {
            created = response.body.withUnsafeBytes { bytes in
                MHD_create_response_from_buffer(
                    bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY
                )
            }
        }
        guard let mhdResponse = created else {
            logger.error("libmicrohttpd could not allocate a response", metadata: ["status": "\(response.status)"])
            return .NO
        }
        defer { MHD_destroy_response(mhdResponse) }

        for header in response.headers {
            if MHD_add_response_header(mhdResponse, header.name, header.value) == .NO {
                logger.warning(
                    "response header dropped: libmicrohttpd rejects it (managed by the server, or contains CR/LF)",
                    metadata: ["header": "\(header.name)"]
                )
            }
        }
        if closeConnection {
            _ = MHD_add_response_header(mhdResponse, "Connection", "close")
        }
        let status = (100...999).contains(response.status) ? response.status : 500
        return MHD_queue_response(handle, UInt32(status), mhdResponse)
    }
}
