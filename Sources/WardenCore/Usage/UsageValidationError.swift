/// One reason one event in a usage body was rejected.
///
/// A batch is all-or-nothing, so the client needs every problem at once to fix its payload in one
/// round trip; ``UsageDecodeError/invalid(_:)`` carries all of them, ordered by ``index``.
public struct UsageValidationError: Sendable, Equatable, Error, CustomStringConvertible {
    /// The event's position: array index, or NDJSON event number (blank lines not counted); 0
    /// for a body holding a single object. 0-based.
    public var index: Int
    /// The JSON field concerned: `input_tokens`, `attribution.team`; empty for the event itself.
    public var field: String
    public var message: String

    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "event \(index): \(message)" : "event \(index): \(field): \(message)"
    }
}
