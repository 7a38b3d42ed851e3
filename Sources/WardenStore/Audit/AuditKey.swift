import Crypto
import Foundation
import WardenCore

/// The secret that keys the audit chain: version 2 rows and the anchor's seal are
/// HMAC-SHA256 with it (see ``AuditChain``), so someone who can write the database but not
/// read this key cannot recompute the hashes of rows they rewrite.
///
/// **Key file.** 64 hex digits (the 32-byte key) and a newline; surrounding whitespace is
/// ignored, letter case is not significant. TokenWarden creates it (mode 0600, from the system's
/// secure random source) on the first start that finds none, and refuses to start when it is
/// readable or writable by group or others, or does not hold exactly 32 bytes. It belongs away
/// from the database's disk and its backups: whoever holds both can rewrite the chain.
///
/// `@unchecked Sendable`: swift-crypto declares no `Sendable`. The one stored value is an HMAC
/// whose key pads are already hashed; it is never mutated, only copied (``authenticator``), and
/// swift-crypto's hash state is copy-on-write, so every copy writes to state of its own.
public final class AuditKey: @unchecked Sendable {
    public static let byteCount = 32

    /// HMAC-SHA256 keyed with this key and nothing hashed yet: copy it, then update the copy.
    /// Copying skips re-hashing the key pads for every row.
    let authenticator: HMAC<SHA256>

    /// A key from its 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        authenticator = HMAC<SHA256>(key: SymmetricKey(data: bytes))
    }

    /// A new random key (for a key file, or a test).
    public static func random() -> (key: AuditKey, bytes: [UInt8]) {
        let bytes = SecretKeyFile.randomBytes()
        return (AuditKey(bytes: bytes)!, bytes)
    }

    /// Where the key is kept when `audit.key_file` is not set: beside the database file.
    public static func defaultPath(forDatabase databasePath: String) -> String {
        databasePath + ".audit-key"
    }

    /// `hex(HMAC-SHA256(key, bytes))`.
    func seal(_ bytes: [UInt8]) -> String {
        var authenticator = self.authenticator
        authenticator.update(data: bytes)
        return authenticator.finalize().withUnsafeBytes { LowercaseHex.encode($0) }
    }

    // MARK: key files

    static let file = SecretKeyFile(fileName: "an audit key file", keyName: "audit key")

    /// Reads a key file. With `checkPermissions` (the server does; `audit verify` does not, an
    /// auditor may hold a copy), a file that group or others may read or write is refused.
    public static func load(path: String, checkPermissions: Bool = true) throws(AuditKeyError) -> AuditKey {
        do throws(SecretKeyFile.Problem) {
            return AuditKey(bytes: try file.read(path: path, checkPermissions: checkPermissions))!
        } catch {
            throw AuditKeyError(path: path, error.reason)
        }
    }

    /// Writes a new random key to `path`, which must not exist, with mode 0600.
    public static func create(path: String) throws(AuditKeyError) -> AuditKey {
        let (key, bytes) = random()
        do throws(SecretKeyFile.Problem) {
            try file.write(bytes, path: path)
        } catch {
            throw AuditKeyError(path: path, error.reason)
        }
        return key
    }
}

/// A key file that cannot be used, and why; the message names the file.
public struct AuditKeyError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "audit key file \(path): \(reason)" }
}
