import Foundation
import Testing

/// The keyed audit chain as an operator meets it: the key file the first start creates, the
/// heads the daemon logs, and `tokenwarden audit verify` on a database edited with `sqlite3`.
@Suite struct AuditKeyEndToEndTests {
    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    /// `SEQ:HASH` of the last "audit chain head" line with `reason`.
    static func publishedHead(in log: String, reason: String) -> String? {
        let pattern = /head=(\d+:[0-9a-f]{64}) reason=(.+?) \[/
        return log.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("audit chain head"), let match = line.firstMatch(of: pattern), match.2 == reason else { return nil }
            return String(match.1)
        }.last
    }

    /// Three reloads write three audit rows.
    func reloadThreeTimes(_ warden: WardenProcess) async throws {
        for _ in 0..<3 {
            let reload = try await HTTP.request("POST", "\(warden.baseURL)/-/reload")
            try #require(reload.status == 200, "\(reload.text)")
        }
    }

    @Test func aTruncatedAuditLogIsCaughtWithTheKeyAndThePublishedHead() async throws {
        let fixture = try RulesFixture(config: "audit:\n  publish_head_every: 2\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await reloadThreeTimes(warden)
        let metrics = try await HTTP.get("\(warden.baseURL)/metrics").text
        #expect(RuleEngineEndToEndTests.metric(metrics, "tokenwarden_audit_head_sequence") == 3)
        #expect(await warden.stop() == 0)

        let keyPath = fixture.database + ".audit-key"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let log = warden.log
        #expect(log.split(separator: "\n").contains { $0.contains("notice tokenwarden:")
            && $0.contains("created the audit chain key \(keyPath): keep it away from the database's disk") }, "\(log)")
        // Rows are appended in batches (the reloads' rows may share one), so the head published on
        // passing row 2 is row 2 or a later one of the same batch.
        let every = Self.publishedHead(in: log, reason: "every 2 rows").flatMap { Int($0.prefix { $0 != ":" }) }
        #expect(every.map { $0 >= 2 } == true, "\(log)")
        let head = try #require(Self.publishedHead(in: log, reason: "shutdown"), "\(log)")
        #expect(head.hasPrefix("3:"))

        let intact = try tokenwarden(["audit", "verify", "--data", fixture.database, "--key", keyPath, "--expect-head", head])
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output == "audit chain OK: 3 rows verified (from row 1), 3 keyed; row 3 has the published head hash\n")

        // The newest row removed and the anchor made to agree, as someone with `sqlite3` would.
        let edit = try Tools.run("sqlite3", [fixture.database, """
            DELETE FROM audit_event WHERE seq = 3;
            UPDATE audit_anchor SET head_seq = 2, head_hash = (SELECT hash FROM audit_event WHERE seq = 2);
            """])
        #expect(edit.status == 0, "\(edit.output)")

        let keyOnly = try tokenwarden(["audit", "verify", "--data", fixture.database, "--key", keyPath])
        #expect(keyOnly.status == 1, "\(keyOnly.output)")
        #expect(keyOnly.output.hasPrefix("audit chain broken: the audit_anchor was altered"), "\(keyOnly.output)")

        let withHead = try tokenwarden(["audit", "verify", "--data", fixture.database, "--key", keyPath, "--expect-head", head])
        #expect(withHead.status == 1, "\(withHead.output)")
        #expect(withHead.output.hasPrefix("audit chain broken: row 3 is missing: the log was truncated"), "\(withHead.output)")
    }

    @Test func anotherKeyIsToldApartFromAnAlteredRow() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await reloadThreeTimes(warden)
        await warden.stop()

        let otherKey = fixture.directory.appendingPathComponent("other.key").path
        try (String(repeating: "5a", count: 32) + "\n").write(toFile: otherKey, atomically: false, encoding: .utf8)
        let wrong = try tokenwarden(["audit", "verify", "--data", fixture.database, "--key", otherKey])
        #expect(wrong.status == 1, "\(wrong.output)")
        #expect(wrong.output.hasPrefix("audit chain broken: the key does not match"), "\(wrong.output)")

        let edit = try Tools.run("sqlite3", [fixture.database, "UPDATE audit_event SET detail = '{}' WHERE seq = 2;"])
        #expect(edit.status == 0, "\(edit.output)")
        // The key beside the database is found without --key.
        let altered = try tokenwarden(["audit", "verify", "--data", fixture.database])
        #expect(altered.status == 1, "\(altered.output)")
        #expect(altered.output == "audit chain broken: row 2 was altered: its hash does not match its content\n")

        // serve will not write to the log with another key, nor make a new key for it.
        let keyPath = fixture.database + ".audit-key"
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.copyItem(atPath: otherKey, toPath: keyPath)
        chmod(keyPath, 0o600)
        let serve = ["serve", "--listen", "127.0.0.1:0", "--rules", fixture.rules, "--data", fixture.database]
        let withOtherKey = try tokenwarden(serve)
        #expect(withOtherKey.status == 78, "\(withOtherKey.output)")
        #expect(withOtherKey.output.contains("audit key file \(keyPath): the audit key does not match this database's audit log"),
                "\(withOtherKey.output)")
        try FileManager.default.removeItem(atPath: keyPath)
        let withoutKey = try tokenwarden(serve)
        #expect(withoutKey.status == 78, "\(withoutKey.output)")
        #expect(withoutKey.output.contains("audit key file \(keyPath): no such file, but this database's audit log is keyed"),
                "\(withoutKey.output)")
        #expect(!FileManager.default.fileExists(atPath: keyPath))
    }

    @Test func serveRefusesAnAuditKeyFileOthersCanRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("audit.key").path
        try (String(repeating: "5a", count: 32) + "\n").write(toFile: keyPath, atomically: false, encoding: .utf8)
        chmod(keyPath, 0o644)
        let fixture = try RulesFixture(config: "audit:\n  key_file: \(keyPath)\n")
        defer { fixture.remove() }

        let result = try tokenwarden(["serve", "--listen", "127.0.0.1:0", "--rules", fixture.rules, "--data", fixture.database])

        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("audit key file \(keyPath): group or others may access it (mode 0644)"), "\(result.output)")
        #expect(result.output.contains("chmod 600 \(keyPath) (audit.key_file)"), "\(result.output)")
    }

    @Test func auditVerifyReadsTheKeyFileTokenwardenYamlNames() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("audit.key").path
        let fixture = try RulesFixture(config: "audit:\n  key_file: \(keyPath)\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await reloadThreeTimes(warden)
        await warden.stop()
        #expect(FileManager.default.fileExists(atPath: keyPath))
        #expect(!FileManager.default.fileExists(atPath: fixture.database + ".audit-key"))

        let verified = try tokenwarden(["audit", "verify", "--data", fixture.database, "--rules", fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.hasPrefix("audit chain OK: 3 rows verified (from row 1), 3 keyed"), "\(verified.output)")
        let withoutRules = try tokenwarden(["audit", "verify", "--data", fixture.database])
        #expect(withoutRules.status == 2, "\(withoutRules.output)")
        #expect(withoutRules.output.contains("the audit log is keyed"), "\(withoutRules.output)")
    }
}
