/// A length of audio, exact to the microsecond: `audio_input_seconds: "12.5"`.
///
/// Why microseconds in an integer: durations arrive as decimal text and are summed into
/// counters, so they must not pass through `Double` (a float sum of `0.1` ten times is not `1`).
/// Six decimals hold any duration a provider reports (they bill whole seconds or milliseconds);
/// a value with more decimals is refused at the edge rather than rounded silently.
public struct MediaSeconds: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public static let zero = MediaSeconds(microseconds: 0)
    public static let microsecondsPerSecond: Int64 = 1_000_000
    /// The largest duration one event may carry: 10⁹ seconds (about 31 years), so counters
    /// summing microseconds stay far from `Int64.max` for billions of events.
    public static let maximum = MediaSeconds(microseconds: 1_000_000_000 * microsecondsPerSecond)

    public static func < (lhs: MediaSeconds, rhs: MediaSeconds) -> Bool { lhs.microseconds < rhs.microseconds }

    public var isZero: Bool { microseconds == 0 }

    /// Sums saturate, as every counter does (see ``Swift/Int64/addingSaturating(_:)``).
    public func adding(_ other: MediaSeconds) -> MediaSeconds {
        MediaSeconds(microseconds: microseconds.addingSaturating(other.microseconds))
    }

    /// The exact decimal text, no trailing zeros: `12.5`, `3`, `0.000001`.
    public var exactDecimal: String {
        let whole = microseconds / Self.microsecondsPerSecond
        var fraction = microseconds % Self.microsecondsPerSecond
        if fraction == 0 { return String(whole) }
        var digits = 6
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return String(whole) + "." + String(repeating: "0", count: digits - text.count) + text
    }

    public var description: String { exactDecimal }

    public enum ParseProblem: Error, Sendable, Equatable, CustomStringConvertible {
        case notADecimal, negative, tooPrecise, tooLarge

        public var description: String {
            switch self {
            case .notADecimal: #"must be a decimal number of seconds such as 12.5 or "12.5""#
            case .negative: "must not be negative"
            case .tooPrecise: "must have at most 6 decimal places (microseconds)"
            case .tooLarge: "must be at most \(MediaSeconds.maximum.exactDecimal) seconds"
            }
        }
    }

    /// Parses decimal text (`12.5`, `1e3`) exactly, with ``Money``'s decimal reader.
    public static func parse<S: StringProtocol>(_ text: S) -> Result<MediaSeconds, ParseProblem> {
        guard let parsed = try? Money.parse(text) else { return .failure(.notADecimal) }
        return from(parsed)
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<MediaSeconds, ParseProblem> {
        guard let parsed = try? Money.parse(bytes) else { return .failure(.notADecimal) }
        return from(parsed)
    }

    private static func from(_ parsed: Money.ParseResult) -> Result<MediaSeconds, ParseProblem> {
        let attosPerMicrosecond = Money.attosPerUnit / Int128(microsecondsPerSecond)
        if parsed.money < .zero { return .failure(.negative) }
        if parsed.wasRounded || parsed.money.attos % attosPerMicrosecond != 0 { return .failure(.tooPrecise) }
        let micros = parsed.money.attos / attosPerMicrosecond
        guard micros <= Int128(maximum.microseconds) else { return .failure(.tooLarge) }
        return .success(MediaSeconds(microseconds: Int64(micros)))
    }
}
