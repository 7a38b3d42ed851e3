import WardenCore

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

    /// The query arguments of a route whose parameters each take one value: a repeated name, a
    /// control character (a percent-encoded NUL cuts a C string short, so `org=acme%00zzz` would
    /// filter on `acme`) or a value over ``InputBounds/maxTextBytes`` is a 400 naming the
    /// parameter, never a silent choice between values.
    public func singleValuedQuery() throws(HTTPError) -> [(name: String, value: String)] {
        for (index, argument) in query.enumerated() {
            if query[..<index].contains(where: { $0.name == argument.name }) {
                throw HTTPError(status: 400, message: "query parameter \(argument.name) is given more than once; give it once")
            }
            var value = argument.value
            let problem = value.withUTF8 { bytes -> String? in
                if bytes.count > InputBounds.maxTextBytes { return "must be at most \(InputBounds.maxTextBytes) bytes" }
                return bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) ? "must not contain control characters" : nil
            }
            if let problem { throw HTTPError(status: 400, message: "query parameter \(argument.name) \(problem)") }
        }
        return query
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
