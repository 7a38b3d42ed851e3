import Crypto
import Foundation
import WardenCore

/// A 32-byte secret kept in a file of its own, as the audit key and the pseudonym key are: 64 hex
/// digits and a newline; surrounding whitespace is ignored, letter case is not significant.
///
/// Created with mode 0600 from the system's secure random source, never over an existing file,
/// and made durable (the file and its directory) before it is used: rows hashed or pseudonyms
/// made with a key must never outlive it. Refused on reading when group or others may access it.
public struct SecretKeyFile: Sendable {
    public static let byteCount = 32

    /// How messages name the file (`an audit key file`) and the key (`audit key`).
    let fileName: String
    let keyName: String

    public init(fileName: String, keyName: String) {
        self.fileName = fileName
        self.keyName = keyName
    }

    /// Why a key file cannot be used; the caller names the file.
    public struct Problem: Error, Sendable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// 32 bytes from the system's secure random source.
    public static func randomBytes() -> [UInt8] { SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) } }

    /// The key's bytes. With `checkPermissions`, a file that group or others may read or write
    /// is refused.
    public func read(path: String, checkPermissions: Bool = true) throws(Problem) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Problem(errno == ENOENT ? "no such file" : "cannot read it: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Problem("not a regular file") }
        let mode = status.st_mode & 0o777
        if checkPermissions && mode & 0o077 != 0 {
            let octal = String(mode, radix: 8)
            throw Problem("group or others may access it (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)); "
                + "the \(keyName) must be readable by TokenWarden's user only: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem("cannot read it") }
        let text = Self.trimmingWhitespace(Array(data))
        let expected = 2 * Self.byteCount
        guard text.count == expected else {
            throw Problem("\(fileName) holds \(expected) hex digits (a \(Self.byteCount)-byte key), this one holds \(text.count) characters")
        }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(expected)
        for (index, character) in text.enumerated() {
            guard let value = Self.hexValue(character) else {
                throw Problem("\(fileName) holds \(expected) hex digits, and character \(index + 1) of this one is not a hex digit")
            }
            nibbles.append(value)
        }
        return stride(from: 0, to: expected, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    /// Writes `bytes` to `path`, which must not exist, with mode 0600, durably.
    public func write(_ bytes: [UInt8], path: String) throws(Problem) {
        // O_EXCL: never overwrite a key (or follow a link planted where the key goes).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Problem("cannot create it: \(String(cString: strerror(errno)))") }
        let text = Array((LowercaseHex.encode(bytes) + "\n").utf8)
        let written = text.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        // fchmod: the umask may only have removed bits, but say exactly what the file is.
        let complete = written == text.count && fchmod(descriptor, 0o600) == 0 && fsync(descriptor) == 0
        let error = errno
        close(descriptor)
        guard complete else {
            unlink(path)
            throw Problem("cannot write it: \(String(cString: strerror(error)))")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let directory = open(parent.isEmpty ? "." : parent, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    private static func trimmingWhitespace(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return bytes[first...last]
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
