import Crypto
import Foundation

/// An API key as a client sends it: `tw_<id>_<secret>`, where `id` is 8 and `secret` 43
/// base64url characters (6 and 32 random bytes).
///
/// The id is public and finds the key's row in one lookup; only the SHA-256 of the secret is
/// stored, and a presented secret's hash is compared with it in constant time. 256 random bits
/// need no slow hash (no one can guess them), so checking a key costs one SHA-256 of 43 bytes.
public struct APIKeyToken: Sendable, Equatable, CustomStringConvertible {
    public static let idLength = 8
    public static let secretLength = 43
    /// `tw_`, the id, `_`, the secret.
    public static let length = 3 + idLength + 1 + secretLength

    public let id: String
    public let secret: String

    /// The key as it is handed out and sent: `tw_<id>_<secret>`.
    public var description: String { "tw_\(id)_\(secret)" }

    public init?(id: String, secret: String) {
        guard id.utf8.count == Self.idLength, secret.utf8.count == Self.secretLength,
              id.utf8.allSatisfy(Self.isBase64URL), secret.utf8.allSatisfy(Self.isBase64URL) else { return nil }
        self.id = id
        self.secret = secret
    }

    /// Reads `tw_<id>_<secret>`; nil for anything else. The parts are found by position (the
    /// base64url alphabet has `_` too, so splitting at underscores would not do).
    public init?(parsing text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.count == Self.length else { return nil }
        var index = utf8.startIndex
        for expected in "tw_".utf8 {
            guard utf8[index] == expected else { return nil }
            index = utf8.index(after: index)
        }
        let idEnd = utf8.index(index, offsetBy: Self.idLength)
        guard utf8[idEnd] == UInt8(ascii: "_") else { return nil }
        let secretStart = utf8.index(after: idEnd)
        self.init(id: String(decoding: utf8[index..<idEnd], as: UTF8.self),
                  secret: String(decoding: utf8[secretStart...], as: UTF8.self))
    }

    /// A presented key's id and the SHA-256 of its secret, read straight from the bytes the
    /// client sent: checking a bearer key on every request makes no copy of the secret.
    public struct Presented: Sendable {
        public let id: String
        /// The digest's 32 bytes in place, not in an array: one allocation fewer per request.
        let digest: (UInt64, UInt64, UInt64, UInt64)

        public var secretSHA256: [UInt8] { withUnsafeBytes(of: digest) { Array($0) } }

        /// `tw_<id>_<secret>`; nil for anything else.
        public init?(_ text: Substring) {
            var text = text
            guard let parsed = text.withUTF8({ bytes -> (String, (UInt64, UInt64, UInt64, UInt64))? in
                guard bytes.count == APIKeyToken.length, bytes[0] == UInt8(ascii: "t"), bytes[1] == UInt8(ascii: "w"),
                      bytes[2] == UInt8(ascii: "_"), bytes[3 + APIKeyToken.idLength] == UInt8(ascii: "_") else { return nil }
                let id = UnsafeBufferPointer(rebasing: bytes[3..<(3 + APIKeyToken.idLength)])
                let secret = UnsafeBufferPointer(rebasing: bytes[(4 + APIKeyToken.idLength)...])
                guard id.allSatisfy(APIKeyToken.isBase64URL), secret.allSatisfy(APIKeyToken.isBase64URL) else { return nil }
                var hasher = SHA256()
                hasher.update(bufferPointer: UnsafeRawBufferPointer(secret))
                var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                hasher.finalize().withUnsafeBytes { bytes in withUnsafeMutableBytes(of: &digest) { $0.copyMemory(from: bytes) } }
                return (String(decoding: id, as: UTF8.self), digest)
            }) else { return nil }
            (id, digest) = parsed
        }

        /// Whether the presented secret hashes to `stored`, compared in constant time.
        public func matches(_ stored: [UInt8]) -> Bool {
            withUnsafeBytes(of: digest) { APIKeyToken.constantTimeEquals($0, stored) }
        }
    }

    /// A new key: 48 random bits of id and 256 of secret, from the system's CSPRNG.
    public static func generate() -> APIKeyToken {
        let id = base64URL(randomBytes(6))
        let secret = base64URL(randomBytes(32))
        return APIKeyToken(id: id, secret: secret)!
    }

    /// SHA-256 of the secret's characters: what the database keeps.
    public var secretSHA256: [UInt8] { Self.sha256(secret) }

    public static func sha256(_ secret: String) -> [UInt8] {
        var text = secret
        return text.withUTF8 { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return Array(hasher.finalize())
        }
    }

    /// Equal bytes, in time that depends only on the lengths: a comparison that stopped at the
    /// first difference would tell an attacker how much of a hash they got right.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { constantTimeEquals($0, rhs) }
    }

    static func constantTimeEquals(_ lhs: UnsafeRawBufferPointer, _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in rhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    /// RFC 4648 §5 without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
