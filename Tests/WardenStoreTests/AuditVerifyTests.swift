import Foundation
import GRDB
import Testing
import WardenCore
import WardenFormats
@testable import WardenStore

@Suite struct AuditVerifyTests {
    /// A log with rows 1…`count`.
    func harness(rows count: Int = 5) throws -> AuditHarness {
        let harness = try AuditHarness()
        try harness.audit.append((0..<count).map { auditEvent(Int64($0)) })
        return harness
    }

    @Test func anEmptyLogVerifies() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        let verification = try harness.verify()
        #expect(verification.isIntact)
        #expect(verification.summary == "audit chain OK: 0 rows verified (from row 1), 0 keyed")
    }

    @Test func anIntactChainVerifies() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let verification = try harness.verify()
        #expect(verification.summary == "audit chain OK: 5 rows verified (from row 1), 5 keyed")
        #expect(verification.exitStatus == 0)
    }

    @Test func anUpdatedColumnNamesTheRow() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_event SET observed = '1' WHERE seq = 3")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 3)
        #expect(problem.message == "row 3 was altered: its hash does not match its content")
    }

    @Test func anUpdateWithARecomputedHashStillNamesTheRow() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let stored = try harness.audit.query(AuditQuery())[2]
        var forged = stored.event
        forged.observed = "1"
        // Plain SHA-256, as anyone can compute it: without the key it is not the row's hash.
        let canonical = AuditChain.canonicalRow(version: .v2, seq: 3, timeNanoseconds: forged.time.nanosecondsSinceEpoch, rule: forged.rule,
                                                kind: forged.kind.rawValue, action: forged.action, scope: forged.scopeJSON,
                                                decision: forged.decision, observed: forged.observed, limit: forged.limit,
                                                detail: forged.detail.canonicalJSON)
        let hash = try #require(AuditChain.hash(previousHash: stored.prevHash, canonicalRow: canonical))
        try harness.tamper("UPDATE audit_event SET observed = '1', hash = ? WHERE seq = 3", [hash])
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 3)
    }

    @Test func aDeletedMiddleRowIsNamed() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 3")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .missing)
        #expect(problem.seq == 3)
        #expect(problem.message.hasPrefix("row 3 is missing"))
    }

    @Test func aDeletedFirstRowIsNamed() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 1")
        #expect(try harness.verify().problem?.seq == 1)
    }

    @Test func aRenumberedChainIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 3")
        try harness.tamper("UPDATE audit_event SET seq = seq - 1 WHERE seq > 3")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.seq == 3)
        #expect(problem.kind == .altered)
    }

    @Test func aDeletedLastRowIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 5")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .truncated)
        #expect(problem.seq == 5)
        #expect(problem.message.hasPrefix("row 5 is missing: the log was truncated"))
    }

    @Test func aForgedRowWithAValidChainHashIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let last = try harness.audit.query(AuditQuery())[4]
        let forged = auditEvent(9, decision: "allow")
        let canonical = AuditChain.canonicalRow(version: .v2, seq: 6, timeNanoseconds: forged.time.nanosecondsSinceEpoch, rule: forged.rule,
                                                kind: forged.kind.rawValue, action: forged.action, scope: forged.scopeJSON,
                                                decision: forged.decision, observed: forged.observed, limit: forged.limit,
                                                detail: forged.detail.canonicalJSON)
        let hash = try #require(AuditChain.keyedHash(previousHash: last.hash, canonicalRow: canonical, key: harness.key))
        try harness.tamper("""
            INSERT INTO audit_event(seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash, version)
            VALUES (6, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)
            """, [forged.time.nanosecondsSinceEpoch, forged.rule, forged.kind.rawValue, forged.action, forged.scopeJSON,
                  forged.decision, forged.observed, forged.limit, forged.detail.canonicalJSON, last.hash, hash])
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .inserted)
        #expect(problem.seq == 6)
        // And the log refuses to chain onto it rather than silently skipping past it.
        #expect(throws: StoreError.self) { try harness.audit.append([auditEvent(10)]) }
    }

    @Test func aForgedRowWithAnArbitraryHashIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("""
            INSERT INTO audit_event(seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash)
            SELECT 6, time_ns, rule, kind, action, scope, 'allow', observed, limit_value, detail, hash, hash FROM audit_event WHERE seq = 5
            """)
        #expect(try harness.verify().problem?.seq == 6)
    }

    @Test func aColumnChangedToAnotherStorageClassIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_event SET detail = CAST(detail AS BLOB) WHERE seq = 2")
        #expect(try harness.verify().problem?.seq == 2)
    }

    @Test func pruningKeepsTheChainVerifiable() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        #expect(try harness.prune(before: 1_700_000_004, batchSize: 3) == 4)
        let verification = try harness.verify()
        // Rows 5–10, and the two batches' `pruned` rows 11 and 12.
        #expect(verification.summary == "audit chain OK: 8 rows verified (from row 5), 8 keyed")
        #expect(try harness.audit.query(AuditQuery()).first?.seq == 5)
        #expect(try harness.audit.append([auditEvent(20)]) == [13])
        #expect(try harness.verify().rowsVerified == 9)
    }

    @Test func pruningEverythingThenAppendingVerifies() throws {
        let harness = try harness(rows: 4)
        defer { harness.closeAndRemove() }
        #expect(try harness.prune(before: 1_800_000_000) == 4)
        // Only the `pruned` row is left.
        #expect(try harness.verify().summary == "audit chain OK: 1 rows verified (from row 5), 1 keyed")
        try harness.audit.append([auditEvent(30)])
        #expect(try harness.verify().isIntact)
    }

    @Test func pruningStopsAtTheFirstRowNotOlderThanTheCutoff() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([auditEvent(0), auditEvent(50), auditEvent(1), auditEvent(2)])
        #expect(try harness.prune(before: 1_700_000_010) == 1)
        #expect(try harness.audit.query(AuditQuery()).map(\.seq) == [2, 3, 4, 5])
        #expect(try harness.verify().isIntact)
    }

    @Test func aTamperAfterThePrunePointIsStillDetected() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        try harness.prune(before: 1_700_000_004)
        try harness.tamper("UPDATE audit_event SET rule = 'other' WHERE seq = 7")
        #expect(try harness.verify().problem?.seq == 7)
    }

    @Test func theFirstRowAfterThePrunePointIsCheckedAgainstTheAnchor() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        try harness.prune(before: 1_700_000_004)
        try harness.tamper("DELETE FROM audit_event WHERE seq = 5")
        #expect(try harness.verify().problem?.seq == 5)
    }

    @Test func pruningRefusesToDeleteTamperedRows() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_event SET decision = 'allow' WHERE seq = 2")
        #expect(throws: StoreError.self) { try harness.prune(before: 1_700_000_005) }
        #expect(try harness.verify().problem?.seq == 2)
    }

    @Test func verifyDatabaseGivesTheCommandsMessageAndExitStatus() throws {
        let harness = try harness()
        harness.close()
        defer { harness.database.remove() }
        let keyPath = try writeKeyFile(AuditHarness.keyBytes, in: harness.database.directory)
        let path = harness.database.path
        let intact = AuditLog.verifyDatabase(at: path, keyPath: keyPath, keyRequired: true, logger: testLogger)
        #expect(intact.message == "audit chain OK: 5 rows verified (from row 1), 5 keyed")
        #expect(intact.exitStatus == 0)
        try harness.tamper("UPDATE audit_event SET observed = '1' WHERE seq = 3")
        let broken = AuditLog.verifyDatabase(at: path, keyPath: keyPath, keyRequired: true, logger: testLogger)
        #expect(broken.message == "audit chain broken: row 3 was altered: its hash does not match its content")
        #expect(broken.exitStatus == 1)
        #expect(AuditLog.verifyDatabase(at: path + ".missing", keyPath: keyPath, keyRequired: true, logger: testLogger).exitStatus == 2)
        #expect(AuditLog.verifyDatabase(at: path, keyPath: keyPath + ".missing", keyRequired: true, logger: testLogger).exitStatus == 2)
    }

    @Test func verifyDatabaseWithoutTheKeyOfAKeyedLogSaysWhereItLooked() throws {
        let harness = try harness()
        harness.close()
        defer { harness.database.remove() }
        let keyPath = harness.database.path + ".audit-key"
        let result = AuditLog.verifyDatabase(at: harness.database.path, keyPath: keyPath, keyRequired: false, logger: testLogger)
        #expect(result.exitStatus == 2)
        #expect(result.message == "cannot verify the audit log: the audit log is keyed: verifying it needs its audit key; "
            + "pass --key with its key file (there is none at \(keyPath))")
    }
}
