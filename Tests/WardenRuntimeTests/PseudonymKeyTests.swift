import Foundation
import Testing
import WardenCore
import WardenRuntime

/// Pseudonyms: `p_` + hex of the first 16 bytes of HMAC-SHA256(key, label ‖ 0x00 ‖ value), and their key file.
@Suite struct PseudonymKeyTests {
    /// The bytes 0x00, 0x01, … 0x1f.
    static let key = PseudonymKey(bytes: Array(0..<32))!

    // Expected values computed independently with Python's standard library:
    //   key = bytes(range(32))
    //   'p_' + hmac.new(key, b'user\x00alice', hashlib.sha256).hexdigest()[:32]
    //   hashlib.sha256(key).hexdigest()[:16]
    @Test func aPseudonymIsTheTruncatedHMACOfLabelZeroByteAndValue() {
        #expect(Self.key.pseudonym(label: "user", value: "alice") == "p_34d45cbc91de5ce7295b963a0e35627d")
        #expect(Self.key.pseudonym(label: "session", value: "alice") == "p_b0942d7ee7533a29a9b0e38813c96d34")
        #expect(Self.key.pseudonym(label: "user", value: "") == "p_27c4674af6707ceaa5110850d7e8d6df")
    }

    @Test func theFingerprintIsTheFirstEightBytesOfTheKeysSHA256() {
        #expect(Self.key.fingerprint == "630dcd2966c43366")
    }

    @Test func thePseudonymisationUsesTheKeyForItsLabelsOnly() {
        var attribution = Attribution(["team": "search", "user": "alice"])
        Self.key.pseudonymisation(labels: ["user"]).apply(to: &attribution)
        #expect(attribution["user"] == "p_34d45cbc91de5ce7295b963a0e35627d")
        #expect(attribution["team"] == "search")
    }

    @Test func aCreatedKeyFileReadsBackAsTheSameKeyWithMode0600() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-pseudonym-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PseudonymKey.create(path: path, bytes: Array(0..<32))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try PseudonymKey.load(path: path).fingerprint == "630dcd2966c43366")
        #expect(throws: PseudonymKeyError.self) { try PseudonymKey.create(path: path, bytes: Array(0..<32)) }
    }

    @Test func aKeyFileOthersMayReadIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-pseudonym-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PseudonymKey.create(path: path, bytes: Array(0..<32))
        chmod(path, 0o644)
        #expect { try PseudonymKey.load(path: path) } throws: { error in
            (error as? PseudonymKeyError)?.reason.contains("chmod 600") == true
        }
    }
}
