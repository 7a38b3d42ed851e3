import Crypto
import WardenCore
import WardenFormats

/// The hash chain's arithmetic: the canonical bytes of a row and its hash, in the two row
/// formats the `version` column names.
///
/// Every row appended now is **version 2**: keyed, so that someone who can write the database
/// but does not hold the audit key cannot recompute a rewritten row's hash. **Version 1** rows,
/// unkeyed, are the rows written before keying existed; they keep verifying as they were written.
/// A chain is a (possibly empty) run of version 1 rows followed by version 2 rows, never the
/// other way round.
///
/// **Canonical row, version 2.** The UTF-8 bytes of a JSON object written by ``JSONWriter`` (no
/// whitespace) whose members come in this fixed order:
///
/// ```
/// {"v":2,"seq":…,"time_ns":…,"rule":"…","kind":"…","action":"…","scope":"…","decision":"…","observed":"…","limit":"…","detail":"…"}
/// ```
///
/// `v` is always 2 and always first. `seq` and `time_ns` are decimal integers; every other value
/// is a JSON string of the column's text exactly as stored, escaped as ``JSONWriter/string(_:)``
/// does (`"` and `\` with a backslash, control characters as `\b \f \n \r \t` or lowercase
/// `\u00xx`, every other character as its UTF-8). `observed` and `limit` are *omitted* when the
/// column is NULL (not written as `null`).
/// Fields that later versions of TokenWarden record are optional members written after `detail`,
/// in the order they are introduced, and omitted when absent: a row that predates such a field
/// keeps exactly the bytes it was hashed with. The first is `actor`, who made the request behind
/// the row (`"actor":"key:ci/AbCd1234"`, ``AuditEvent/actor``).
/// Example:
///
/// ```
/// {"v":2,"seq":3,"time_ns":1700000000000000000,"rule":"team-budget","kind":"budget","action":"threshold_crossed_up","scope":"{\"team\":\"search\"}","decision":"warn","observed":"80.5","limit":"100","detail":"{\"step\":80}"}
/// ```
///
/// **Hash, version 2.** `hash = lowercase hex(HMAC-SHA256(key, prev_hash bytes ‖ canonical row))`,
/// where `key` is the 32-byte audit key (``AuditKey``, kept outside the database) and `prev_hash`
/// bytes are the 32 bytes of the previous row's hash (32 zero bytes for row 1).
///
/// **Canonical row, version 1.** A JSON array of the column values in this order:
///
/// ```
/// [seq, time_ns, "rule", "kind", "action", "scope", "decision", "observed"|null, "limit"|null, "detail"]
/// ```
///
/// with the same value encodings, except that absent `observed` and `limit` are `null`. Example:
///
/// ```
/// [3,1700000000000000000,"team-budget","budget","threshold_crossed_up","{\"team\":\"search\"}","warn","80.5","100","{\"step\":80}"]
/// ```
///
/// **Hash, version 1.** `hash = lowercase hex(SHA-256(prev_hash bytes ‖ canonical row))`.
///
/// In both formats `scope` and `detail` are hashed as the *text* of their canonical JSON (a
/// string inside the row), so verifying needs no JSON parsing and any byte changed in them
/// changes the hash; every field is self-delimiting, so two different rows never have the same
/// canonical bytes; and `seq` is inside the hashed row, so removing a row cannot be hidden by
/// renumbering the rest.
public enum AuditChain {
    /// `prev_hash` of the first row ever appended: 32 zero bytes, in hex.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The row format every append writes.
    public static let currentVersion = AuditRowVersion.v2

    /// The canonical bytes of one row in the given format (see the type's documentation).
    public static func canonicalRow(
        version: AuditRowVersion, seq: Int64, timeNanoseconds: Int64, rule: String, kind: String, action: String,
        scope: String, decision: String, observed: String?, limit: String?, detail: String, actor: String? = nil
    ) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 160 + rule.utf8.count + scope.utf8.count + detail.utf8.count + (actor?.utf8.count ?? 0))
        switch version {
        case .v1:
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
        case .v2:
            writer.beginObject()
            writer.key(literal: "v"); writer.integer(Int64(2))
            writer.key(literal: "seq"); writer.integer(seq)
            writer.key(literal: "time_ns"); writer.integer(timeNanoseconds)
            writer.key(literal: "rule"); writer.string(rule)
            writer.key(literal: "kind"); writer.string(kind)
            writer.key(literal: "action"); writer.string(action)
            writer.key(literal: "scope"); writer.string(scope)
            writer.key(literal: "decision"); writer.string(decision)
            if let observed { writer.key(literal: "observed"); writer.string(observed) }
            if let limit { writer.key(literal: "limit"); writer.string(limit) }
            writer.key(literal: "detail"); writer.string(detail)
            // Fields added later go here, each written only when present (see the type's documentation).
            if let actor { writer.key(literal: "actor"); writer.string(actor) }
            writer.endObject()
        }
        return writer.bytes
    }

    /// A version 1 hash, `hex(SHA-256(prev ‖ canonical))`, or `nil` when `previousHash` is not 64
    /// lowercase hex digits.
    public static func hash(previousHash: String, canonicalRow: [UInt8]) -> String? {
        guard let previous = bytes(ofHex: previousHash) else { return nil }
        return digest(previous: previous, canonicalRow: canonicalRow).hex
    }

    /// A version 2 hash, `hex(HMAC-SHA256(key, prev ‖ canonical))`, or `nil` when `previousHash`
    /// is not 64 lowercase hex digits.
    public static func keyedHash(previousHash: String, canonicalRow: [UInt8], key: AuditKey) -> String? {
        guard let previous = bytes(ofHex: previousHash) else { return nil }
        var authenticator = key.authenticator
        return keyedDigest(previous: previous, canonicalRow: canonicalRow, authenticator: &authenticator).hex
    }

    /// The version 1 hash from the previous hash's 32 bytes, returned both ways: an append carries
    /// the bytes on to the next row instead of reading them back from the hex.
    static func digest(previous: [UInt8], canonicalRow: [UInt8]) -> (bytes: [UInt8], hex: String) {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonicalRow)
        return hasher.finalize().withUnsafeBytes { (Array($0), LowercaseHex.encode($0)) }
    }

    /// The version 2 hash, both ways. `authenticator` is a copy of ``AuditKey/authenticator``
    /// (the key's pads already absorbed); it is consumed, so pass a fresh copy for every row.
    static func keyedDigest(previous: [UInt8], canonicalRow: [UInt8], authenticator: inout HMAC<SHA256>) -> (bytes: [UInt8], hex: String) {
        authenticator.update(data: previous)
        authenticator.update(data: canonicalRow)
        return authenticator.finalize().withUnsafeBytes { (Array($0), LowercaseHex.encode($0)) }
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

/// The format of one audit row: which canonical bytes its hash covers and how it is hashed
/// (see ``AuditChain``). Stored in `audit_event.version`.
public enum AuditRowVersion: Int64, Sendable, Equatable {
    /// Unkeyed: SHA-256 over a JSON array. Only rows written before keying existed.
    case v1 = 1
    /// Keyed: HMAC-SHA256 with the audit key over a JSON object that later fields extend.
    case v2 = 2
}
