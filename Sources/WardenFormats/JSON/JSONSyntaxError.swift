import WardenCore

/// Why a byte sequence is not JSON, and where.
///
/// The offset is a byte offset from the start of the buffer the caller handed in (not a character
/// count), because request bodies are bytes and a client debugging a 400 wants to `dd`/`head -c`
/// to the spot. Messages are short, fixed phrases ("unterminated string", "expected ',' or '}'
/// after object member") so clients and tests can match on them.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the first byte that could not be accepted (the input's length when the
    /// input ended too early).
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}
