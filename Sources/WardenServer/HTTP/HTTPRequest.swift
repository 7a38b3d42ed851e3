/// One HTTP request as the handler sees it: everything is copied out of libmicrohttpd before the
/// handler runs, so a request can be kept and read on any thread after the connection is gone.
public struct HTTPRequest: Sendable {
    /// The request method as sent by the client ("GET", "POST", ...).
    public var method: String
    /// The URL path without the query string, percent-decoded by libmicrohttpd.
    public var path: String
    /// Decoded query arguments in the order the client sent them; repeated names are kept.
    /// An argument without `=` has an empty value.
    public var query: [(name: String, value: String)]
    /// Request headers in the order the client sent them, names as sent.
    public var headers: [(name: String, value: String)]
    /// The complete request body (never more than ``HTTPServerConfiguration/maxBodyBytes``).
    public var body: [UInt8]

    public init(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively as HTTP requires.
    public func header(_ name: String) -> String? {
        headers.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    /// The first query argument with this exact (case-sensitive) name.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

/// Header names are ASCII tokens, so folding only A–Z is both correct and allocation-free
/// (`lowercased()` would build two new strings per comparison on the hot path).
private func asciiCaseInsensitiveEquals(_ lhs: String, _ rhs: String) -> Bool {
    var left = lhs.utf8.makeIterator()
    var right = rhs.utf8.makeIterator()
    while true {
        switch (left.next(), right.next()) {
        case (nil, nil):
            return true
        case let (l?, r?):
            if l != r && asciiLowercase(l) != asciiLowercase(r) { return false }
        default:
            return false
        }
    }
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
}
