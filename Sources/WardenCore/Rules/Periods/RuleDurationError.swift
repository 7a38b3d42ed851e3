/// Why a duration in a rule file (`15m`, `1h30m`, `rolling: 7d`) did not parse.
///
/// `offset` is 0-based, in characters from the start of the duration text, so the rule-file loader
/// can add it to the column where the value starts and report `file:line:col`.
public struct RuleDurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "character \(offset + 1): \(message)" }
}
