import RawStructuredFieldValues
import WardenCore

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
///
/// The `RateLimit-Policy` field is constant per set of quotas, so it is rendered once per check
/// plan, with swift-http-structured-headers' serializer. The `RateLimit` field changes with every
/// check: it is written by hand, straight into its string's storage, from quoted names rendered
/// once per quota; building the library's item tree (an ordered map of parameters per item) and
/// serializing it per check would cost more than the rest of the response's headers.
public enum RateLimitHeaders {
    /// One `RateLimit-Policy` list item.
    public static func policyItem(_ policy: QuotaPolicy) -> String {
        policyField([policy])
    }

    /// The `RateLimit-Policy` field for `policies`, in order.
    public static func policyField(_ policies: [QuotaPolicy]) -> String {
        let items = policies.map { policy in
            ItemOrInnerList.item(Item(bareItem: RFC9651BareItem.string(sfString(policy.name)), parameters: [
                "q": .integer(Int64(policy.rate.limit)), "w": .integer(secondsRoundingUp(policy.rate.window)),
            ]))
        }
        var serializer = StructuredFieldValueSerializer()
        // Only a string outside printable ASCII or an integer past 15 digits is refused, and
        // neither can reach here (names are made printable, limits are validated at load).
        guard let bytes = try? serializer.writeListFieldValue(items) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One `RateLimit` list item for `name` with `remaining` units and `resetAfter` ns to full.
    public static func rateLimitItem(name: String, remaining: Int64, resetAfter: Int64) -> String {
        var item = ""
        appendRateLimitItem(quotedName: quotedName(name), remaining: remaining, resetAfter: resetAfter, to: &item)
        return item
    }

    /// Appends a `RateLimit` item whose name is already quoted (``quotedName(_:)``).
    public static func appendRateLimitItem(quotedName: String, remaining: Int64, resetAfter: Int64, to field: inout String) {
        var name = quotedName
        name.withUTF8 { name in
            field += String(unsafeUninitializedCapacity: name.count + itemOverhead) { output in
                writeRateLimitItem(quotedName: name, remaining: remaining, resetAfter: resetAfter, to: output.baseAddress!)
            }
        }
    }

    /// The most bytes a `RateLimit` item takes beside its quoted name: `;r=`, `;t=` and two
    /// numbers of at most 20 digits.
    static let itemOverhead = 46

    /// Writes a `RateLimit` item at `target`, which has room for the quoted name and
    /// ``itemOverhead`` bytes; returns how many it wrote. Straight into memory: a check answers
    /// with one item per quota that applied, and a `String` per number and per append showed in
    /// `/v1/check` profiles.
    static func writeRateLimitItem(quotedName: UnsafeBufferPointer<UInt8>, remaining: Int64, resetAfter: Int64,
                                   to target: UnsafeMutablePointer<UInt8>) -> Int {
        var count = quotedName.count
        if let source = quotedName.baseAddress { target.initialize(from: source, count: count) }
        target[count] = UInt8(ascii: ";"); target[count + 1] = UInt8(ascii: "r"); target[count + 2] = UInt8(ascii: "=")
        count += 3
        count += DecimalDigits.writeDigits(UInt64(max(remaining, 0)), to: target + count)
        target[count] = UInt8(ascii: ";"); target[count + 1] = UInt8(ascii: "t"); target[count + 2] = UInt8(ascii: "=")
        count += 3
        count += DecimalDigits.writeDigits(UInt64(secondsRoundingUp(resetAfter)), to: target + count)
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

    /// `name` with characters outside printable ASCII, which an sf-string cannot carry, replaced
    /// by `?` (rule names are validated to be plain; this only keeps a bad one from producing an
    /// unparsable header).
    static func sfString(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            if (" "..."~").contains(scalar) { result.unicodeScalars.append(scalar) } else { result += "?" }
        }
        return result
    }

    /// A Structured Field String (RFC 9651 §3.3.3) for the hand-written `RateLimit` items: `"` and
    /// `\` escaped, as the serializer writes them.
    static func quotedName(_ name: String) -> String {
        var serializer = StructuredFieldValueSerializer()
        guard let bytes = try? serializer.writeItemFieldValue(Item(bareItem: RFC9651BareItem.string(sfString(name)), parameters: [:])) else { return "\"\"" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A text the response writer keeps in a ``RenderingSlot`` (a plan's `RateLimit-Policy` field).
final class RenderedText: Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}

extension CheckOutcome {
    /// `RateLimit-Policy` items of the quotas that applied, in rule order.
    public var rateLimitPolicy: [String] { quotaStates.map { RateLimitHeaders.policyItem($0.policy) } }

    /// `RateLimit` items of the quotas that applied, in rule order.
    public var rateLimit: [String] {
        quotaStates.map { state in
            var item = ""
            RateLimitHeaders.appendRateLimitItem(quotedName: RateLimitHeaders.quotedName(state.policy.name), remaining: state.remaining,
                                                 resetAfter: state.resetAfter, to: &item)
            return item
        }
    }

    /// The `RateLimit-Policy` field value, rendered once per plan the check followed.
    public var rateLimitPolicyField: String {
        let render = { RenderedText(RateLimitHeaders.policyField(quotaStates.map(\.policy))) }
        guard let slot = planRendering else { return render().text }
        return slot.withValue(orMake: render) { $0.text }
    }

    /// The `RateLimit` field value: ``rateLimit`` joined, written into one string from the quoted
    /// names rendered once per quota (quoting a name per request showed in `/v1/check` profiles).
    /// The states are read through a pointer and the names without a retain, for the same reason.
    public var rateLimitField: String {
        quotaStates.withUnsafeBufferPointer { states in
            guard let first = states.baseAddress else { return "" }
            var capacity = 0
            for index in states.indices { capacity += Self.quotedName(first + index).count + RateLimitHeaders.itemOverhead + 2 }
            return String(unsafeUninitializedCapacity: capacity) { output in
                guard let base = output.baseAddress else { return 0 }
                var count = 0
                for index in states.indices {
                    if count > 0 { base[count] = UInt8(ascii: ","); base[count + 1] = UInt8(ascii: " "); count += 2 }
                    let state = first + index
                    count += RateLimitHeaders.writeRateLimitItem(quotedName: Self.quotedName(state), remaining: state.pointee.remaining,
                                                                 resetAfter: state.pointee.resetAfter, to: base + count)
                }
                return count
            }
        }
    }

    /// The quota's quoted name, kept in its slot; the bytes live as long as the quota's slot,
    /// which the outcome holds.
    private static func quotedName(_ state: UnsafePointer<QuotaState>) -> UnsafeBufferPointer<UInt8> {
        state.pointee.rendering.withValue(orMake: { RenderedBytes(RateLimitHeaders.quotedName(state.pointee.policy.name).utf8) }) { $0.first }
    }
}
