/// A response body produced while it is being sent, for bodies too large to hold whole: a
/// 100k-label-set `/metrics` is ~100 MB of text, and building it before sending doubled the
/// daemon's memory (the ledger plus the body).
///
/// libmicrohttpd pulls from the stream on the connection's worker thread, one call at a time and
/// in order, as the socket drains; the response goes out with `Transfer-Encoding: chunked`
/// (HTTP/1.1) or ends by closing the connection (HTTP/1.0), since its length is not known up
/// front. If the client leaves early the stream is simply released, unfinished.
public protocol HTTPBodyStream: AnyObject, Sendable {
    /// Writes the next bytes of the body into `buffer` — at most `buffer.count`, and at least one
    /// unless the body has ended — and returns how many. 0 means the body is complete;
    /// ``HTTPBodyStreamFailure/code`` that it cannot be completed (the connection is then closed
    /// without the final chunk, so the client sees a failed transfer, not a short body).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}

public enum HTTPBodyStreamFailure {
    public static let code = -1
}
