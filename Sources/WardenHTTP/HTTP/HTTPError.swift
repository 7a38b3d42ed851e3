/// An error that knows how it should look to an HTTP client: a status and a message a user can act on.
///
/// Throw it from request-handling code and turn it into the wire form with ``response`` at the edge,
/// so every error body has the same shape: `{"error":"<message>"}`.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "HTTP \(status): \(message)" }

    /// The JSON error response, `{"error":"<message>"}` with the message escaped.
    public var response: HTTPResponse {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.utf8.count + 12)
        bytes.append(contentsOf: #"{"error":""#.utf8)
        appendJSONEscaped(message, to: &bytes)
        bytes.append(contentsOf: #""}"#.utf8)
        return .json(status, bytes)
    }
}

/// Escapes per RFC 8259: quote, backslash and control characters; other UTF-8 passes through.
/// Written out here so the HTTP edge needs no JSON encoder for its own error bodies.
private func appendJSONEscaped(_ string: String, to bytes: inout [UInt8]) {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    for byte in string.utf8 {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            bytes.append(contentsOf: Array(#"\u00"#.utf8))
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0f)])
        default:
            bytes.append(byte)
        }
    }
}
