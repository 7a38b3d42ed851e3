import CZlib
import WardenCore

/// A request body's `Content-Encoding` undone: `gzip` (what OTLP exporters send when compression
/// is on) or none. The size limit applies to the inflated bytes, so a small compressed body
/// cannot expand past `ingest.max_body_bytes` (a gzip bomb stops at the limit, not at the end).
enum RequestBodyDecoding {
    enum Failure: Error, Equatable {
        /// An encoding other than `gzip` or `identity`.
        case unsupported(String)
        /// The inflated body passed the limit.
        case tooLarge(limit: Int)
        /// Not gzip data, or cut short.
        case corrupt(String)
    }

    static func decode(_ body: [UInt8], contentEncoding: String?, limit: Int) throws(Failure) -> [UInt8] {
        guard let contentEncoding else { return body }
        let encoding = contentEncoding.trimmingWhitespace().lowercased()
        switch encoding {
        case "", "identity": return body
        case "gzip", "x-gzip": return try inflate(body, limit: limit)
        default: throw .unsupported(contentEncoding)
        }
    }

    static func inflate(_ compressed: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a gzip wrapper only (zlib's own header is not what `gzip` means).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("cannot start inflating: out of memory")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(compressed.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        let failure: Failure? = compressed.withUnsafeBufferPointer { input -> Failure? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if produced > limit - output.count { return .tooLarge(limit: limit) }
                output.append(contentsOf: chunk[..<produced])
                if status == Z_STREAM_END { return nil }
                if status != Z_OK && status != Z_BUF_ERROR {
                    return .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                }
                // No progress with input left means the data is cut short.
                if status == Z_BUF_ERROR && produced == 0 { return .corrupt("the gzip data ends early") }
            } while true
        }
        if let failure { throw failure }
        return output
    }
}
