/// The newest row of the audit chain, written `SEQ:HASH` (`1042:5d41…`): what TokenWarden
/// publishes outside the database (``AuditHeadPublication``) and what
/// `tokenwarden audit verify --expect-head` takes.
///
/// A published head pins the chain up to that row: rewriting any row at or before it, or
/// removing rows up to it, changes or removes that row's hash, and the key (see ``AuditKey``)
/// keeps anyone without it from producing the same hash again.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    public var seq: Int64
    /// Lowercase hex, 64 digits.
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Parses `SEQ:HASH`: a decimal sequence number and 64 lowercase hex digits.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let digits = text[..<colon]
        let hash = String(text[text.index(after: colon)...])
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), let seq = Int64(digits),
              AuditChain.bytes(ofHex: hash) != nil else { return nil }
        self.init(seq: seq, hash: hash)
    }

    public var description: String { "\(seq):\(hash)" }
}
