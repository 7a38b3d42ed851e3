import Crypto
import Foundation
import WardenCore

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
    public static func randomBytes() -> [UInt8] { SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) } }

    // MARK: key files

    /// Reads a key file; one that group or others may access is refused.
    public static func load(path: String) throws(PseudonymKeyError) -> PseudonymKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw PseudonymKeyError(path: path, errno == ENOENT ? "no such file" : "cannot read it: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw PseudonymKeyError(path: path, "not a regular file") }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw PseudonymKeyError(path: path, "group or others may access it (mode 0\(String(mode, radix: 8))); the pseudonym key "
                + "must be readable by TokenWarden's user only: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw PseudonymKeyError(path: path, "cannot read it") }
        let digits = Array(data).filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            .map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") ? $0 | 0x20 : $0 }
        guard digits.count == 2 * byteCount else {
            throw PseudonymKeyError(path: path, "a pseudonym key file holds \(2 * byteCount) hex digits (a \(byteCount)-byte key), "
                + "this one holds \(digits.count) characters")
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw PseudonymKeyError(path: path, "a pseudonym key file holds hex digits only")
            }
            bytes.append(high << 4 | low)
        }
        return PseudonymKey(bytes: bytes)!
    }

    /// Writes `bytes` as a new key file at `path`, which must not exist, with mode 0600, and
    /// makes it durable before returning (pseudonyms written with it must never outlive it).
    public static func create(path: String, bytes: [UInt8]) throws(PseudonymKeyError) {
        // O_EXCL: never overwrite a key (or follow a link planted where the key goes).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PseudonymKeyError(path: path, "cannot create it: \(String(cString: strerror(errno)))") }
        let text = Array((LowercaseHex.encode(bytes) + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let complete = written == text.count && fchmod(descriptor, 0o600) == 0 && fsync(descriptor) == 0
        let error = errno
        close(descriptor)
        guard complete else {
            unlink(path)
            throw PseudonymKeyError(path: path, "cannot write it: \(String(cString: strerror(error)))")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let directory = open(parent.isEmpty ? "." : parent, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
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
