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

    /// Parses exactly one JSON value in `bytes[range]`, keeping only the object members
    /// `selection` selects: the others are validated as strictly but leave nothing behind, so
    /// their objects' ``JSONValue/count`` and ``JSONValue/members`` leave them out. Offsets, in
    /// errors and in the document, count from the start of `bytes`, which the document keeps
    /// whole (an NDJSON line is parsed in place).
    init(parsing bytes: [UInt8], in range: Range<Int>, selecting selection: JSONFieldSelection,
         maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONSyntaxError) {
        self.bytes = bytes
        self.nodes = try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            try JSONDocument.parse(buffer, in: range, maxDepth: maxDepth, selection: selection)
        }
    }

    /// The top-level value.
    public var root: JSONValue { JSONValue(document: self, index: 0) }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, in range: Range<Int>? = nil, maxDepth: Int,
                      selection: JSONFieldSelection? = nil) throws(JSONSyntaxError) -> [JSONNode] {
        let range = range ?? 0..<buffer.count
        guard let base = buffer.baseAddress, !range.isEmpty else {
            throw JSONSyntaxError(offset: range.lowerBound, message: "unexpected end of input, expected a value")
        }
        guard buffer.count < Int(UInt32.max) else {
            throw JSONSyntaxError(offset: 0, message: "input larger than 4 GiB")
        }
        // A whole parse needs about one node per eight bytes; a selective one keeps a few per
        // object and grows the tape if it must.
        var tape = JSONTape(capacity: selection == nil ? range.count / 8 + 1 : min(range.count / 8 + 1, 1024))
        var parser = JSONParser(base: base, start: range.lowerBound, end: range.upperBound, maxDepth: maxDepth, selection: selection)
        try parser.parseValue(into: &tape)
        parser.skipWhitespace()
        guard parser.position == range.upperBound else {
            throw parser.error("trailing characters after value")
        }
        return tape.nodes
    }
}
