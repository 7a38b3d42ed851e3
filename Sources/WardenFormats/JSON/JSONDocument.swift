import WardenCore

/// A parsed JSON text: the bytes plus the parser's tape, read through ``JSONValue`` views.
///
/// This is the general-purpose entry point (request bodies other than usage batches, config
/// snippets, tests). The usage ingest path drives ``JSONParser`` directly so it can reuse one tape
/// per event instead of holding the whole batch; both share the same grammar and messages.
public struct JSONDocument: Sendable {
    /// How deeply arrays and objects may nest: deep enough for any real request, shallow
    /// enough that hostile input such as `[[[[…` costs nothing.
    public static let defaultMaxDepth = 64

    /// The text as given; strings and numbers in the tape point into it.
    public let bytes: [UInt8]
    let nodes: [JSONNode]

    /// Parses exactly one JSON value, optionally surrounded by whitespace.
    ///
    /// - Throws: ``JSONSyntaxError`` with the byte offset of the first offending byte.
    public init(parsing bytes: [UInt8], maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONSyntaxError) {
        self.bytes = bytes
        self.nodes = try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            try JSONDocument.parse(buffer, maxDepth: maxDepth)
        }
    }

    public init(parsing text: String, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8), maxDepth: maxDepth)
    }

    /// The top-level value.
    public var root: JSONValue { JSONValue(document: self, index: 0) }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONSyntaxError) -> [JSONNode] {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            throw JSONSyntaxError(offset: 0, message: "unexpected end of input, expected a value")
        }
        guard buffer.count < Int(UInt32.max) else {
            throw JSONSyntaxError(offset: 0, message: "input larger than 4 GiB")
        }
        var tape = JSONTape(capacity: buffer.count / 8 + 1)
        var parser = JSONParser(base: base, start: 0, end: buffer.count, maxDepth: maxDepth)
        try parser.parseValue(into: &tape)
        parser.skipWhitespace()
        guard parser.position == buffer.count else {
            throw parser.error("trailing characters after value")
        }
        return tape.nodes
    }
}
