import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// What someone who can write the database, but does not hold the audit key, can no longer do
/// unseen.
@Suite struct AuditKeyedChainTests {
    /// A log with rows 1…`count`.
    func harness(rows count: Int = 5) throws -> AuditHarness {
        let harness = try AuditHarness()
        try harness.audit.append((0..<count).map { auditEvent(Int64($0)) })
        return harness
    }

    @Test func aRowRewrittenWithItsSHA256HashRecomputedIsNamed() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.rewriteUnkeyed(from: 3, relabel: false, fixAnchor: false) { $0.event.decision = "allow" }
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 3)
        #expect(problem.message == "row 3 was altered: its hash does not match its content")
    }

    @Test func aRowRewrittenWithTheRestOfTheChainAndTheAnchorRecomputedIsNamed() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.rewriteUnkeyed(from: 3, relabel: false) { stored in
            if stored.seq == 3 { stored.event.decision = "allow" }
        }
        #expect(try harness.anchor().headHash == harness.audit.query(AuditQuery()).last?.hash)
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 3)
    }

    @Test func aKeyedRowRelabelledAsUnkeyedIsNamed() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.rewriteUnkeyed(from: 3, relabel: true) { $0.event.decision = "allow" }
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .downgraded)
        #expect(problem.seq == 3)
        #expect(problem.message == "row 3 was rewritten: it is an unkeyed (version 1) row after keyed row 1, and TokenWarden "
            + "writes only keyed rows once it has a key")
    }

    @Test func aWholeChainRelabelledAsUnkeyedIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.rewriteUnkeyed(from: 1, relabel: true) { $0.event.decision = "allow" }
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .downgraded)
        #expect(problem.seq == 1)
    }

    @Test func aWholeChainRelabelledAsUnkeyedWithTheSealRemovedIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.rewriteUnkeyed(from: 1, relabel: true)
        try harness.tamper("UPDATE audit_anchor SET seal = NULL, keyed_from = NULL")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .anchorAltered)
        #expect(problem.message.hasPrefix("the audit_anchor has no seal although a key was given"))
    }

    @Test func aTruncatedTailWithTheAnchorRecomputedIsDetected() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 5")
        try harness.tamper("UPDATE audit_anchor SET head_seq = 4, head_hash = (SELECT hash FROM audit_event WHERE seq = 4)")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .anchorAltered)
        #expect(problem.message.hasPrefix("the audit_anchor was altered: its seal does not match the head (row 4)"))
    }

    /// What the key alone cannot catch: the tail cut back to a state the attacker saw earlier,
    /// with the anchor (and its genuine seal) from then. A head published since catches it.
    @Test func aTruncatedTailWithAnEarlierAnchorPutBackIsCaughtByThePublishedHead() throws {
        let harness = try harness(rows: 3)
        defer { harness.closeAndRemove() }
        let earlier = try harness.anchor()
        try harness.audit.append([auditEvent(3), auditEvent(4)])
        let published = try harness.audit.currentHead()
        #expect(try harness.verify(expectedHead: published).isIntact)

        try harness.tamper("DELETE FROM audit_event WHERE seq > 3")
        try harness.tamper("UPDATE audit_anchor SET head_seq = ?, head_hash = ?, seal = ?", [earlier.headSeq, earlier.headHash, earlier.seal])
        #expect(try harness.verify().isIntact)
        let problem = try #require(try harness.verify(expectedHead: published).problem)
        #expect(problem.kind == .truncated)
        #expect(problem.seq == 4)
        #expect(problem.message.hasPrefix("row 4 is missing: the log was truncated, rows 4–5 are gone (row 5 was published as the head"))
    }

    @Test func aPublishedHeadWhoseRowWasRewrittenIsNamed() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let published = try writeUnkeyedLog(at: database.path, (0..<3).map { auditEvent(Int64($0)) })
        let harness = try AuditHarness(database: database, open: false)
        defer { harness.close() }
        // An unkeyed log can be recomputed by anyone; only the published head shows it.
        try harness.rewriteUnkeyed(from: 2, relabel: true) { $0.event.decision = "allow" }
        #expect(try harness.verify(key: nil).isIntact)
        let problem = try #require(try harness.verify(key: nil, expectedHead: published).problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 3)
        #expect(problem.message.hasPrefix("row 3 was rewritten: its hash is not the published head 3:"))
    }

    @Test func anHonestPruneIsRecordedInTheChainAndVerifies() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        let fourth = try harness.audit.query(AuditQuery())[3]
        #expect(try harness.prune(before: 1_700_000_004) == 4)

        let records = try harness.audit.query(AuditQuery(kind: .audit))
        #expect(records.map(\.seq) == [11])
        #expect(records.first?.event.action == AuditAction.pruned)
        #expect(records.first?.event.time == AuditHarness.pruneTime)
        #expect(records.first?.event.detail.canonicalJSON
            == #"{"cutoff":"2023-11-14T22:13:24Z","rows":4,"through_hash":"\#(fourth.hash)","through_seq":4}"#)
        let anchor = try harness.anchor()
        #expect(anchor.prunedSeq == 4 && anchor.prunedHash == fourth.hash)
        let verification = try harness.verify(expectedHead: try harness.audit.currentHead())
        #expect(verification.isIntact, "\(verification.summary)")
        #expect(verification.rowsVerified == 7)
    }

    @Test func oldRowsDeletedWithoutAPruningAreDetected() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_anchor SET pruned_seq = 3, pruned_hash = (SELECT hash FROM audit_event WHERE seq = 3)")
        try harness.tamper("DELETE FROM audit_event WHERE seq <= 3")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .unrecordedPruning)
        #expect(problem.message == "rows up to row 3 were deleted, not pruned: the audit_anchor puts the pruning point at row 3, "
            + "but the chain records no pruning (no `pruned` row)")
    }

    @Test func rowsDeletedBeyondTheLastPruningAreDetected() throws {
        let harness = try harness(rows: 10)
        defer { harness.closeAndRemove() }
        try harness.prune(before: 1_700_000_004)
        try harness.tamper("UPDATE audit_anchor SET pruned_seq = 6, pruned_hash = (SELECT hash FROM audit_event WHERE seq = 6)")
        try harness.tamper("DELETE FROM audit_event WHERE seq <= 6")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .unrecordedPruning)
        #expect(problem.seq == 5)
        #expect(problem.message.hasPrefix("rows 5–6 were deleted, not pruned: the audit_anchor puts the pruning point at row 6, "
            + "but the last pruning the chain records (row 11) went up to row 4"))
    }

    @Test func aWrongKeyIsNamedAsSuchNotAsAnAlteredRow() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let problem = try #require(try harness.verify(key: AuditKey.random().key).problem)
        #expect(problem.kind == .wrongKey)
        #expect(problem.message.hasPrefix("the key does not match: neither the audit_anchor's seal nor any of its 5 keyed rows "
            + "verifies with it"))
    }

    @Test func theRightKeyStillNamesTheAlteredRowWhenTheAnchorIsAlteredToo() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_event SET decision = 'allow' WHERE seq = 2")
        try harness.tamper("UPDATE audit_anchor SET head_seq = 4, head_hash = (SELECT hash FROM audit_event WHERE seq = 4)")
        try harness.tamper("DELETE FROM audit_event WHERE seq = 5")
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == 2)
    }

    @Test func aKeyedLogCannotBeVerifiedWithoutItsKey() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let error = #expect(throws: StoreError.self) { try harness.verify(key: nil) }
        #expect(error?.isKeyProblem == true)
    }

    @Test func appendsRefuseToSealAnAnchorRewrittenBehindTheirBack() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("DELETE FROM audit_event WHERE seq = 5")
        try harness.tamper("UPDATE audit_anchor SET head_seq = 4, head_hash = (SELECT hash FROM audit_event WHERE seq = 4)")
        let error = #expect(throws: StoreError.self) { try harness.audit.append([auditEvent(9)]) }
        #expect(error?.message.hasPrefix("the audit_anchor does not match its seal") == true)
        #expect(try harness.verify().problem?.kind == .anchorAltered)
    }

    @Test func openingWithAnotherKeyIsAKeyProblem() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        let error = #expect(throws: StoreError.self) { try AuditLog(store: harness.store, key: AuditKey.random().key).open() }
        #expect(error?.isKeyProblem == true)
        #expect(error?.message.hasPrefix("the audit key does not match this database's audit log") == true)
        #expect(try harness.audit.open() == harness.audit.currentHead())
    }

    @Test func openingWithTheRightKeyAfterTheAnchorWasRewrittenIsCorruptionNotAKeyProblem() throws {
        let harness = try harness()
        defer { harness.closeAndRemove() }
        try harness.tamper("UPDATE audit_anchor SET pruned_seq = 1")
        let error = #expect(throws: StoreError.self) { try AuditLog(store: harness.store, key: harness.key).open() }
        #expect(error?.isKeyProblem == false)
        #expect(error?.message.hasPrefix("the audit_anchor was altered behind TokenWarden's back") == true)
    }
}
