import Crypto
import Foundation
import WardenCore
import WardenStore

/// The secret pseudonyms are made with: a label's value becomes `p_` and the hex of the first 16
/// bytes of HMAC-SHA256(key, label ‖ 0x00 ‖ value). The label is hashed in, so the same id under
/// `user` and `session` gives two unrelated pseudonyms; the 0x00 keeps label and value apart.
///
/// **Key file.** 64 hex digits (the 32-byte key) and a newline, as the audit key's: created
/// (mode 0600, from the system's secure random source) on the first start that pseudonymises,
/// refused when group or others may access it. Whoever holds it can test guesses of raw ids
/// against pseudonyms, so it belongs with the audit key, away from the database's backups; losing
/// it splits every user's history (new pseudonyms for the same people).
///
/// `@unchecked Sendable`: swift-crypto declares no `Sendable`. The stored HMAC (its key pads
/// already hashed) is never mutated, only copied, and its hash state is copy-on-write.
public final class PseudonymKey: @unchecked Sendable {
    public static let byteCount = 32

    private let authenticator: HMAC<SHA256>
    /// The first 8 bytes of SHA-256 of the key, in hex: what the store records to notice a
    /// changed key, without holding anything that helps to recompute pseudonyms.
    public let fingerprint: String

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        authenticator = HMAC<SHA256>(key: SymmetricKey(data: bytes))
        fingerprint = LowercaseHex.encode(Array(SHA256.hash(data: bytes)).prefix(8))
    }

    /// The pseudonym of `value` under `label`.
    public func pseudonym(label: String, value: String) -> String {
        var mac = authenticator
        mac.update(data: Array(label.utf8) + [0] + Array(value.utf8))
        let digest = mac.finalize().withUnsafeBytes { Array($0.prefix(Pseudonymisation.digestBytes)) }
        return Pseudonymisation.prefix + LowercaseHex.encode(digest)
    }

    /// The pseudonymisation of `labels` with this key.
    public func pseudonymisation(labels: [String]) -> Pseudonymisation {
        Pseudonymisation(labels: labels) { [self] label, value in pseudonym(label: label, value: value) }
    }

    /// Where the key is kept when `privacy.key_file` is not set: beside the database file.
    public static func defaultPath(forDatabase databasePath: String) -> String { databasePath + ".privacy-key" }

    /// 32 bytes from the system's secure random source.
    public static func randomBytes() -> [UInt8] { SecretKeyFile.randomBytes() }

    // MARK: key files

    static let file = SecretKeyFile(fileName: "a pseudonym key file", keyName: "pseudonym key")

    /// Reads a key file; one that group or others may access is refused.
    public static func load(path: String) throws(PseudonymKeyError) -> PseudonymKey {
        do throws(SecretKeyFile.Problem) {
            return PseudonymKey(bytes: try file.read(path: path))!
        } catch {
            throw PseudonymKeyError(path: path, error.reason)
        }
    }

    /// Writes `bytes` as a new key file at `path`, which must not exist, with mode 0600, and
    /// makes it durable before returning (pseudonyms written with it must never outlive it).
    public static func create(path: String, bytes: [UInt8]) throws(PseudonymKeyError) {
        do throws(SecretKeyFile.Problem) {
            try file.write(bytes, path: path)
        } catch {
            throw PseudonymKeyError(path: path, error.reason)
        }
    }
}

/// A pseudonym key file that cannot be used, and why; the message names the file.
public struct PseudonymKeyError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "pseudonym key file \(path): \(reason)" }
}
