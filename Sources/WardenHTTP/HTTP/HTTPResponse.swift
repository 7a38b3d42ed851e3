/// What the server sends back for one request. The server adds `Content-Length` (or, for a
/// ``stream``ed body, `Transfer-Encoding: chunked`) and `Date` itself; `Connection: close` is added
/// while the server is shutting down.
public struct HTTPResponse: Sendable {
    /// The status code; values outside 100...999 are sent as 500.
    public var status: Int
    /// Response headers in order. Headers libmicrohttpd manages itself (Content-Length) and
    /// names or values containing CR/LF are dropped with a log line rather than sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// When set, the body is read from this stream as it is sent, and ``body`` is ignored.
    public var stream: (any HTTPBodyStream)?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], stream: any HTTPBodyStream) {
        self.init(status: status, headers: headers)
        self.stream = stream
    }

    /// A UTF-8 plain-text response.
    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [(name: "Content-Type", value: "text/plain; charset=utf-8")],
            body: Array(text.utf8)
        )
    }

    /// A JSON response from already-encoded bytes (callers encode on their own hot path).
    public static func json(_ status: Int, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [(name: "Content-Type", value: "application/json")],
            body: bytes
        )
    }
}
