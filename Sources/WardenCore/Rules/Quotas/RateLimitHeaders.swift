/// Header values for a throttled (or any) `/v1/check` response, following
/// draft-ietf-httpapi-ratelimit-headers (-08 and later): Structured Field lists whose items are a
/// quoted policy name with parameters.
///
/// ```
/// RateLimit-Policy: "user-tokens";q=200000;w=60
/// RateLimit: "user-tokens";r=12000;t=9
/// Retry-After: 3
/// ```
///
/// `q` is the quota's `limit` and `w` its window in seconds, as the rule declares them (the burst
/// is not part of the draft's vocabulary; it shows as `r` above `q` after idleness). `r` is the
/// whole units remaining and `t` the seconds until the bucket is full again. All second counts are
/// rounded **up**, so a client that waits them is never early. Several quotas applying to one
/// request are joined into one field with ``join(_:)``.
public enum RateLimitHeaders {
    /// One `RateLimit-Policy` list item. Constant per quota: render it once, at rule load.
    public static func policyItem(_ policy: QuotaPolicy) -> String {
        "\(quotedName(policy.name));q=\(policy.rate.limit);w=\(secondsRoundingUp(policy.rate.window))"
    }

    /// One `RateLimit` list item for `name` with `remaining` units and `resetAfter` ns to full.
    public static func rateLimitItem(name: String, remaining: Int64, resetAfter: Int64) -> String {
        var item = ""
        appendRateLimitItem(quotedName: quotedName(name), remaining: remaining, resetAfter: resetAfter, to: &item)
        return item
    }

    /// Appends a `RateLimit` item whose name is already quoted (``quotedName(_:)``, done once at
    /// rule load on the check path).
    public static func appendRateLimitItem(quotedName: String, remaining: Int64, resetAfter: Int64, to field: inout String) {
        field += String(unsafeUninitializedCapacity: quotedName.utf8.count + itemOverhead) { output in
            writeRateLimitItem(quotedName: quotedName, remaining: remaining, resetAfter: resetAfter, to: output.baseAddress!)
        }
    }

    /// The most bytes a `RateLimit` item takes beside its quoted name: `;r=`, `;t=` and two
    /// numbers of at most 20 digits.
    static let itemOverhead = 46

    /// Writes a `RateLimit` item at `target`, which has room for the quoted name and
    /// ``itemOverhead`` bytes; returns how many it wrote. Straight into memory: a check answers
    /// with one item per quota that applied, and a `String` per number and per append showed in
    /// `/v1/check` profiles.
    static func writeRateLimitItem(quotedName: String, remaining: Int64, resetAfter: Int64,
                                   to target: UnsafeMutablePointer<UInt8>) -> Int {
        var name = quotedName
        var count = name.withUTF8 { utf8 in
            guard let source = utf8.baseAddress else { return 0 }
            target.initialize(from: source, count: utf8.count)
            return utf8.count
        }
        target[count] = UInt8(ascii: ";"); target[count + 1] = UInt8(ascii: "r"); target[count + 2] = UInt8(ascii: "=")
        count += 3
        count += JSONWriter.writeDigits(UInt64(max(remaining, 0)), to: target + count)
        target[count] = UInt8(ascii: ";"); target[count + 1] = UInt8(ascii: "t"); target[count + 2] = UInt8(ascii: "=")
        count += 3
        count += JSONWriter.writeDigits(UInt64(secondsRoundingUp(resetAfter)), to: target + count)
        return count
    }

    /// The `RateLimit` item after a decision.
    public static func rateLimitItem(_ policy: QuotaPolicy, decision: QuotaDecision) -> String {
        rateLimitItem(name: policy.name, remaining: decision.remaining, resetAfter: decision.resetAfter)
    }

    /// The `RateLimit` item from a snapshot (responses that made no decision for this quota).
    public static func rateLimitItem(_ policy: QuotaPolicy, snapshot: QuotaSnapshot) -> String {
        rateLimitItem(name: policy.name, remaining: snapshot.remaining, resetAfter: snapshot.resetAfter)
    }

    /// `Retry-After` delay-seconds for a ``QuotaDecision/retryAfter`` in nanoseconds: rounded up
    /// (1 ns → 1 s), 0 for 0.
    public static func retryAfterSeconds(_ nanoseconds: Int64) -> Int64 { secondsRoundingUp(nanoseconds) }

    /// Several items of one field (`RateLimit` or `RateLimit-Policy`), in the order given.
    public static func join(_ items: [String]) -> String { items.joined(separator: ", ") }

    /// Nanoseconds to whole seconds, rounded up; negative counts as 0.
    static func secondsRoundingUp(_ nanoseconds: Int64) -> Int64 {
        guard nanoseconds > 0 else { return 0 }
        let (seconds, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return rest == 0 ? seconds : seconds + 1
    }

    /// A Structured Field String (RFC 9651 §3.3.3): `"` and `\` are escaped; characters outside
    /// printable ASCII, which an sf-string cannot carry, become `?` (rule names are validated to be
    /// plain; this only keeps a bad one from producing an unparsable header).
    static func quotedName(_ name: String) -> String {
        var result = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case " "..."~": result.unicodeScalars.append(scalar)
            default: result += "?"
            }
        }
        return result + "\""
    }
}
