import CZlib

/// Gzip for `/metrics` responses: a large exposition compresses about tenfold, and Prometheus asks
/// for it (`Accept-Encoding: gzip`) on every scrape.
///
/// zlib via the CZlib system library: the compressor every platform ships, and fast enough that a
/// hand-written one would be slower and riskier.
public enum Gzip {
    /// The gzip (RFC 1952) encoding of `bytes`: zlib's deflate with a gzip header and trailer
    /// (`deflateInit2` with windowBits 15 + 16).
    ///
    /// - Parameter level: 0 (store) … 9 (smallest); 1 is several times faster than the default 6
    ///   and worth it for very large expositions. Out-of-range levels are clamped.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // `deflateInit2` is a C macro, so the function behind it is called with the version and size
        // it would pass.
        let initStatus = deflateInit2_(
            &stream, min(max(level, 0), 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit2 failed (\(initStatus)): out of memory")
        defer { deflateEnd(&stream) }

        // deflateBound includes the gzip header and trailer, so one call with Z_FINISH completes.
        let capacity = Int(deflateBound(&stream, uLong(bytes.count)))
        // avail_in / avail_out are 32-bit: feed larger inputs in chunks.
        let chunk = 1 << 30
        return [UInt8](unsafeUninitializedCapacity: capacity) { output, initializedCount in
            bytes.withUnsafeBufferPointer { input in
                var consumed = 0
                var status = Z_OK
                stream.next_out = output.baseAddress
                repeat {
                    let inputChunk = min(chunk, input.count - consumed)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.avail_in = uInt(inputChunk)
                    consumed += inputChunk
                    let flush = consumed == input.count ? Z_FINISH : Z_NO_FLUSH
                    repeat {
                        stream.avail_out = uInt(min(chunk, capacity - Int(stream.total_out)))
                        status = deflate(&stream, flush)
                        precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed (\(status))")
                    } while stream.avail_in > 0 || (flush == Z_FINISH && status != Z_STREAM_END)
                } while consumed < input.count
                initializedCount = Int(stream.total_out)
            }
        }
    }

    /// Whether a client accepts gzip, from its `Accept-Encoding` header: `gzip` or `x-gzip` with
    /// `q` > 0, or `*` with `q` > 0 when gzip is not listed. `gzip;q=0` refuses it, even with `*`.
    public static func accepts(acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        let elements = HTTPQualityListElement.parse(acceptEncoding)
        if let explicit = elements.first(where: { $0.value == "gzip" || $0.value == "x-gzip" }) {
            return explicit.quality > 0
        }
        return elements.contains { $0.value == "*" && $0.quality > 0 }
    }
}
