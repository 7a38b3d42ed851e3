/// Why time-zone data could not be used: a TZif file that is truncated or malformed, or a POSIX
/// `TZ` rule (the TZif footer) that does not parse.
public struct TimeZoneError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The zone's name as the user wrote it (`Europe/Berlin`).
    public var zone: String
    public var message: String

    public init(zone: String, message: String) {
        self.zone = zone
        self.message = message
    }

    public var description: String { "time zone \"\(zone)\": \(message)" }
}
