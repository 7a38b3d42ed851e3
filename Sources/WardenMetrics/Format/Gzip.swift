import WardenFormats
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
        let stream = GzipStream(level: level)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 + 64)
        // GzipStream takes under 4 GiB per call (zlib counts in 32 bits): feed larger inputs in parts.
        let part = 1 << 30
        bytes.withUnsafeBufferPointer { input in
            var offset = 0
            repeat {
                let end = min(input.count, offset + part)
                stream.compress(UnsafeBufferPointer(rebasing: input[offset..<end]), finish: end == input.count, into: &output)
                offset = end
            } while offset < input.count
        }
        return output
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
