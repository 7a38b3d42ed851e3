/// The bounds every value from outside must meet, wherever it arrives: usage events, checks,
/// query filters. One set of rules, so no path accepts what another refuses.
///
/// Why these numbers:
/// - **Text** (ids, provider, model, attribution values): at most 256 UTF-8 bytes, never empty,
///   no control characters (U+0000–U+001F, U+007F). Ids and labels become SQLite keys, metric
///   label values and CSV cells; 256 bytes holds any UUID, ULID or model name. A NUL is read back
///   from SQLite as the end of a C string and would change the value on restart.
/// - **Token counts**: whole numbers from 0 to 10¹², far beyond any model's context window, so a
///   bigger number is a client bug (an uninitialised or mis-scaled counter).
/// - **An explicit estimated cost**: at most 10⁹ currency units. With at most 10⁸ live
///   reservations their sum stays below 10¹⁷ units, far inside ``Money``'s 1.7·10²⁰.
/// - **Attribution per request**: at most ``defaultMaxAttributionBytes`` of keys and values
///   together (configurable as `ingest.max_attribution_bytes`), so a request cannot plant a large
///   label set in every series and plan it touches.
public enum InputBounds {
    public static let maxTextBytes = 256
    public static let maxTokenCount: Int64 = 1_000_000_000_000
    public static let maxEstimatedCost = Money(attos: 1_000_000_000 * Money.attosPerUnit)
    public static let defaultMaxAttributionBytes = 4096

    /// Why `bytes` is not acceptable text, or nil when it is.
    public static func textProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let problem = lengthProblem(bytes.count) { return problem }
        for byte in bytes where byte < 0x20 || byte == 0x7F {
            return "must not contain control characters (U+0000–U+001F, U+007F)"
        }
        return nil
    }

    public static func textProblem(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { textProblem($0) }
    }

    public static func lengthProblem(_ byteCount: Int) -> String? {
        if byteCount == 0 { return "must not be empty" }
        if byteCount > maxTextBytes { return "must be at most \(maxTextBytes) bytes (got \(byteCount))" }
        return nil
    }

    public static func attributionSizeProblem(_ byteCount: Int, limit: Int) -> String {
        "keys and values must be at most \(limit) bytes in all (got \(byteCount)); see ingest.max_attribution_bytes"
    }

    /// The problem of `attribution` once a key's scope filled labels in, if its keys and values
    /// now take more than `limit` bytes.
    public static func attributionSizeProblem(of attribution: Attribution, limit: Int) -> String? {
        let bytes = attribution.labels.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        return bytes > limit ? attributionSizeProblem(bytes, limit: limit) : nil
    }

    public enum TokenCountProblem: Error, Sendable, CustomStringConvertible {
        case negative, tooLarge, fraction, notANumber

        public var description: String {
            switch self {
            case .negative: "must not be negative"
            case .tooLarge: "must be at most \(InputBounds.maxTokenCount)"
            case .fraction: "must be a whole number of tokens"
            case .notANumber: "must be a number of tokens"
            }
        }
    }
}
