import Testing
@testable import WardenCore

/// What time does to overrides and approvals alike: when each falls due, and how a reader sees
/// one that fell due before its keeper wrote it.
@Suite struct GovernedRecordTests {
    typealias F = EngineFixtures
    static let hour = ApprovalTermsTests.hour

    @Test func anApprovalIsDueAtItsWindowWhilePendingAndAtItsEndOnceApproved() {
        let pending = ApprovalTermsTests.record(status: .pending)
        #expect(pending.nextDeadline == F.after(F.t0, 24 * Self.hour))
        #expect(!pending.isDue(at: F.after(F.t0, 24 * Self.hour - 1)))
        #expect(pending.isDue(at: F.after(F.t0, 24 * Self.hour)))
        let approved = ApprovalTermsTests.record(status: .approved, expiresIn: Self.hour)
        #expect(approved.nextDeadline == F.after(F.t0, Self.hour))
        #expect(!approved.isDue(at: F.after(F.t0, Self.hour - 1)))
        #expect(approved.isDue(at: F.after(F.t0, Self.hour)))
        for ended in [ApprovalStatus.rejected, .expired, .used] {
            let record = ApprovalTermsTests.record(status: ended)
            #expect(record.nextDeadline == nil, "\(ended)")
            #expect(!record.isDue(at: F.after(F.t0, 1000 * Self.hour)), "\(ended)")
        }
    }

    @Test func aReaderSeesADueRecordExpiredAtItsDeadlineAndOthersAsStored() {
        let approved = ApprovalTermsTests.record(status: .approved, expiresIn: Self.hour)
        let before = approved.seen(at: F.after(F.t0, Self.hour - 1))
        #expect(before == approved)
        let after = approved.seen(at: F.after(F.t0, 3 * Self.hour))
        #expect(after.status == .expired)
        #expect(after.ended == F.after(F.t0, Self.hour), "ended when it fell due, not when it was read")
        var expected = approved
        expected.status = .expired
        expected.ended = approved.expiresAt
        #expect(after == expected, "nothing else changes")
    }
}
