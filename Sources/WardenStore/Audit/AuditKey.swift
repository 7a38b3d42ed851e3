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
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
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

    /// Reads a key file. With `checkPermissions` (the server does; `audit verify` does not, an
    /// auditor may hold a copy), a file that group or others may read or write is refused.
    public static func load(path: String, checkPermissions: Bool = true) throws(AuditKeyError) -> AuditKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AuditKeyError(path: path, errno == ENOENT ? "no such file" : "cannot read it: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw AuditKeyError(path: path, "not a regular file") }
        let mode = status.st_mode & 0o777
        if checkPermissions && mode & 0o077 != 0 {
            throw AuditKeyError(path: path, "group or others may access it (mode \(String(mode, radix: 8).leftPadded(to: 4))); "
                + "the audit key must be readable by TokenWarden's user only: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditKeyError(path: path, "cannot read it")
        }
        let text = Array(Array(data).trimmingASCIIWhitespace)
        let expected = 2 * byteCount
        guard text.count == expected else {
            throw AuditKeyError(path: path, "an audit key file holds \(expected) hex digits (a \(byteCount)-byte key), "
                + "this one holds \(text.count) characters")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(expected)
        for (index, character) in text.enumerated() {
            guard let value = hexValue(character) else {
                throw AuditKeyError(path: path, "an audit key file holds \(expected) hex digits, and character \(index + 1) of this "
                    + "one is not a hex digit")
            }
            nibbles.append(value)
        }
        for index in stride(from: 0, to: expected, by: 2) { bytes.append(nibbles[index] << 4 | nibbles[index + 1]) }
        return AuditKey(bytes: bytes)!
    }

    /// Writes a new random key to `path`, which must not exist, with mode 0600.
    public static func create(path: String) throws(AuditKeyError) -> AuditKey {
        let (key, bytes) = random()
        // O_EXCL: never overwrite a key (or follow a link planted where the key goes).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditKeyError(path: path, "cannot create it: \(String(cString: strerror(errno)))")
        }
        let text = Array((LowercaseHex.encode(bytes) + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        // fchmod: the umask may only have removed bits, but say exactly what the file is.
        let complete = written == text.count && fchmod(descriptor, 0o600) == 0 && fsync(descriptor) == 0
        let error = errno
        close(descriptor)
        guard complete else {
            unlink(path)
            throw AuditKeyError(path: path, "cannot write it: \(String(cString: strerror(error)))")
        }
        // The key must outlive a power cut as surely as the rows hashed with it.
        let directory = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                             O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
        return key
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
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

private extension Array where Element == UInt8 {
    var trimmingASCIIWhitespace: ArraySlice<UInt8> {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return [] }
        return self[first...last]
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
