import Crypto
import WardenCore

/// The hash chain's arithmetic: the canonical bytes of a row and its hash.
///
/// **Canonical row.** The UTF-8 bytes of a JSON array written by ``JSONWriter`` (no whitespace),
/// holding the stored column values in this order:
///
/// ```
/// [seq, time_ns, "rule", "kind", "action", "scope", "decision", "observed"|null, "limit"|null, "detail"]
/// ```
///
/// `seq` and `time_ns` are decimal integers; every other field is a JSON string of the column's
/// text exactly as stored (escaped as ``JSONWriter/string(_:)`` does), `observed` and
/// `limit` are `null` when absent. `scope` and `detail` are hashed as the *text* of their
/// canonical JSON (a string inside the array), so verifying needs no JSON parsing and any byte
/// changed in them changes the hash. Because every field is self-delimiting, two different rows
/// never have the same canonical bytes. Example:
///
/// ```
/// [3,1700000000000000000,"team-budget","budget","threshold_crossed_up","{\"team\":\"search\"}","warn","80.5","100","{\"step\":80}"]
/// ```
///
/// **Hash.** `hash = lowercase hex(SHA-256(prev_hash bytes ‖ canonical row))` where `prev_hash`
/// bytes are the 32 bytes of the previous row's hash (the genesis value, 32 zero bytes, for row 1).
/// `seq` is inside the hashed row, so removing a row cannot be hidden by renumbering the rest.
public enum AuditChain {
    /// `prev_hash` of the first row ever appended: 32 zero bytes, in hex.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The canonical bytes of one row (see the type's documentation).
    public static func canonicalRow(
        seq: Int64, timeNanoseconds: Int64, rule: String, kind: String, action: String, scope: String,
        decision: String, observed: String?, limit: String?, detail: String
    ) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 96 + rule.utf8.count + scope.utf8.count + detail.utf8.count)
        writer.beginArray()
        writer.integer(seq)
        writer.integer(timeNanoseconds)
        writer.string(rule)
        writer.string(kind)
        writer.string(action)
        writer.string(scope)
        writer.string(decision)
        if let observed { writer.string(observed) } else { writer.null() }
        if let limit { writer.string(limit) } else { writer.null() }
        writer.string(detail)
        writer.endArray()
        return writer.bytes
    }

    /// `hex(SHA-256(prev ‖ canonical))`, or `nil` when `previousHash` is not 64 hex digits.
    public static func hash(previousHash: String, canonicalRow: [UInt8]) -> String? {
        guard let previous = bytes(ofHex: previousHash) else { return nil }
        return digest(previous: previous, canonicalRow: canonicalRow).hex
    }

    /// The hash from the previous hash's 32 bytes, returned both ways: an append carries the bytes
    /// on to the next row instead of reading them back from the hex.
    static func digest(previous: [UInt8], canonicalRow: [UInt8]) -> (bytes: [UInt8], hex: String) {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonicalRow)
        return hasher.finalize().withUnsafeBytes { (Array($0), LowercaseHex.encode($0)) }
    }

    /// The 32 bytes of a lowercase hex SHA-256; `nil` for anything else (uppercase included, so
    /// that a hash has exactly one accepted spelling).
    static func bytes(ofHex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 64 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }
}
