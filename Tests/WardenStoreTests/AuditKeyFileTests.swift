import Foundation
import Testing
import WardenCore
@testable import WardenStore

@Suite struct AuditKeyFileTests {
    func directory() throws -> TemporaryDatabase { try TemporaryDatabase() }

    @Test func aCreatedKeyFileIsPrivateHexAndLoadsAsTheSameKey() throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = directory.directory.appendingPathComponent("audit.key").path
        let created = try AuditKey.create(path: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        #expect(text.dropLast().allSatisfy { "0123456789abcdef".contains($0) })

        let loaded = try AuditKey.load(path: path)
        let row = Array("row".utf8)
        #expect(created.seal(row) == loaded.seal(row))
        #expect(created.seal(row) != AuditKey.random().key.seal(row))
    }

    @Test func creatingNeverOverwritesAKeyFile() throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = try writeKeyFile(AuditHarness.keyBytes, in: directory.directory)
        #expect(throws: AuditKeyError.self) { try AuditKey.create(path: path) }
        #expect(try AuditKey.load(path: path).seal([1]) == AuditHarness.key.seal([1]))
    }

    @Test(arguments: [mode_t(0o640), 0o604, 0o660, 0o644])
    func aKeyFileOthersCanAccessIsRefused(mode: mode_t) throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = try writeKeyFile(AuditHarness.keyBytes, in: directory.directory, mode: mode)
        let error = #expect(throws: AuditKeyError.self) { try AuditKey.load(path: path) }
        #expect(error?.description == "audit key file \(path): group or others may access it (mode 0\(String(mode, radix: 8))); "
            + "the audit key must be readable by TokenWarden's user only: chmod 600 \(path)")
        // An auditor's copy is only read, not guarded: `audit verify` takes it.
        #expect(throws: Never.self) { try AuditKey.load(path: path, checkPermissions: false) }
    }

    @Test func aReadOnlyKeyFileIsAccepted() throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = try writeKeyFile(AuditHarness.keyBytes, in: directory.directory, mode: 0o400)
        #expect(try AuditKey.load(path: path).seal([1]) == AuditHarness.key.seal([1]))
    }

    @Test(arguments: [
        ("00112233", "this one holds 8 characters"),
        (String(repeating: "ab", count: 33), "this one holds 66 characters"),
        ("", "this one holds 0 characters"),
    ])
    func aKeyFileOfTheWrongLengthIsRefused(text: String, says: String) throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = try writeKeyFile([], in: directory.directory, text: text)
        let error = #expect(throws: AuditKeyError.self) { try AuditKey.load(path: path) }
        #expect(error?.description == "audit key file \(path): an audit key file holds 64 hex digits (a 32-byte key), \(says)")
    }

    @Test func aKeyFileWithANonHexCharacterIsRefused() throws {
        let directory = try directory()
        defer { directory.remove() }
        let path = try writeKeyFile([], in: directory.directory, text: String(repeating: "a", count: 63) + "g")
        let error = #expect(throws: AuditKeyError.self) { try AuditKey.load(path: path) }
        #expect(error?.reason == "an audit key file holds 64 hex digits, and character 64 of this one is not a hex digit")
    }

    @Test func upperCaseHexAndSurroundingWhitespaceAreAccepted() throws {
        let directory = try directory()
        defer { directory.remove() }
        let text = "  " + LowercaseHex.encode(AuditHarness.keyBytes).uppercased() + "\r\n\n"
        let path = try writeKeyFile([], in: directory.directory, text: text)
        #expect(try AuditKey.load(path: path).seal([1]) == AuditHarness.key.seal([1]))
    }

    @Test func theDefaultKeyFileIsBesideTheDatabase() {
        #expect(AuditKey.defaultPath(forDatabase: "/var/lib/tw/tokenwarden.sqlite") == "/var/lib/tw/tokenwarden.sqlite.audit-key")
    }
}
