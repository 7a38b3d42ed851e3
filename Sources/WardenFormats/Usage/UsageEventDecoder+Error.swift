import WardenCore

/// Why a usage body produced no events. Every case maps to HTTP 400; the server renders the
/// details so the client can fix its payload.
///
/// Lives beside ``UsageEventDecoder`` (its only producer).
public enum UsageDecodeError: Error, Sendable, Equatable {
    /// The body is not JSON (or, for NDJSON, one line is not): nothing was validated. `offset`
    /// is a byte offset into the body; `line` is the 1-based line for NDJSON and `nil` for JSON.
    case malformed(offset: Int, line: Int?, message: String)
    /// The body parsed, but events broke the rules: every error of every event, by index.
    case invalid([UsageValidationError])
    /// The body holds no events: an empty array, an empty or blank body or NDJSON stream.
    case empty
}

extension UsageDecodeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed(let offset, let line, let message):
            if let line { return "malformed body at line \(line) (byte \(offset)): \(message)" }
            return "malformed body at byte \(offset): \(message)"
        case .invalid(let errors):
            return "invalid events: " + errors.map(\.description).joined(separator: "; ")
        case .empty:
            return "no events in body"
        }
    }
}
