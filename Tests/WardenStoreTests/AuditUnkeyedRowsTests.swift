import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// Logs written before the chain was keyed: their unkeyed (version 1) rows keep verifying, the
/// keyed rows continue them, and the moment keying began is sealed.
@Suite struct AuditUnkeyedRowsTests {
    /// A database holding `count` unkeyed rows (rows up to `prunedThrough` pruned), reopened by
    /// this version: migrated, not yet opened with a key.
    func unkeyedHarness(rows count: Int = 3, prunedThrough: Int64 = 0) throws -> AuditHarness {
        let database = try TemporaryDatabase()
        try writeUnkeyedLog(at: database.path, (0..<count).map { auditEvent(Int64($0)) }, prunedThrough: prunedThrough)
        return try AuditHarness(database: database, open: false)
    }

    @Test func theMigrationMarksExistingRowsUnkeyed() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        #expect(try harness.audit.query(AuditQuery()).map(\.version) == [1, 1, 1])
        #expect(try harness.anchor().seal == nil)
    }

    @Test func anUnkeyedLogVerifiesWithoutAKey() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        #expect(try harness.verify(key: nil).summary == "audit chain OK: 3 rows verified (from row 1), 0 keyed")
    }

    @Test func unkeyedRowsFollowedByKeyedRowsVerify() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        #expect(try harness.audit.open().seq == 3)
        let anchor = try harness.anchor()
        #expect(anchor.keyedFrom == 4)
        #expect(anchor.isSealed(by: harness.key))
        try harness.audit.append([auditEvent(10), auditEvent(11)])
        #expect(try harness.audit.query(AuditQuery()).map(\.version) == [1, 1, 1, 2, 2])
        #expect(try harness.verify().summary == "audit chain OK: 5 rows verified (from row 1), 2 keyed")
    }

    @Test func anUnkeyedRowAfterKeyingBeganIsNamedEvenWithNoKeyedRowBeforeIt() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.open()
        try harness.audit.append([auditEvent(10)])
        // A row relabelled as if written before keying, the anchor's head and seal untouched:
        // only `keyed_from` says it cannot be unkeyed.
        let stored = try #require(try harness.audit.query(AuditQuery()).last)
        try harness.tamper("UPDATE audit_event SET version = 1 WHERE seq = 4")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .downgraded)
        #expect(problem.seq == stored.seq)
        #expect(problem.message == "row 4 was rewritten: it is an unkeyed (version 1) row, but every row from row 4 on was written keyed")
    }

    @Test func keyedRowsRewrittenAsUnkeyedAfterUnkeyedOnesAreDetected() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.open()
        try harness.audit.append([auditEvent(10), auditEvent(11)])
        try harness.rewriteUnkeyed(from: 4, relabel: true) { $0.event.decision = "allow" }
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .downgraded)
        #expect(problem.seq == 4)
    }

    @Test func anUnkeyedLogPrunedBeforeKeyingVerifies() throws {
        let harness = try unkeyedHarness(rows: 5, prunedThrough: 2)
        defer { harness.closeAndRemove() }
        #expect(try harness.verify(key: nil).isIntact)
        try harness.audit.open()
        try harness.audit.append([auditEvent(10)])
        let verification = try harness.verify()
        #expect(verification.summary == "audit chain OK: 4 rows verified (from row 3), 1 keyed")
    }

    @Test func unkeyedRowsDeletedAfterKeyingAreNotAPruning() throws {
        let harness = try unkeyedHarness(rows: 5)
        defer { harness.closeAndRemove() }
        try harness.audit.open()
        try harness.audit.append([auditEvent(10)])
        try harness.tamper("UPDATE audit_anchor SET pruned_seq = 2, pruned_hash = (SELECT hash FROM audit_event WHERE seq = 2)")
        try harness.tamper("DELETE FROM audit_event WHERE seq <= 2")
        #expect(try harness.verify().problem?.kind == .unrecordedPruning)
    }

    @Test func pruningAcrossUnkeyedAndKeyedRowsIsRecordedAndVerifies() throws {
        let harness = try unkeyedHarness(rows: 4)
        defer { harness.closeAndRemove() }
        try harness.audit.open()
        try harness.audit.append([auditEvent(10), auditEvent(11), auditEvent(20)])
        #expect(try harness.prune(before: 1_700_000_015) == 6)
        let verification = try harness.verify()
        #expect(verification.summary == "audit chain OK: 2 rows verified (from row 7), 2 keyed")
    }

    @Test func aLogIsKeyedOnceOpenedWithAKey() throws {
        let harness = try unkeyedHarness()
        defer { harness.closeAndRemove() }
        #expect(try AuditLog.isKeyed(harness.store) == false)
        try harness.audit.open()
        #expect(try AuditLog.isKeyed(harness.store) == true)
    }
}
