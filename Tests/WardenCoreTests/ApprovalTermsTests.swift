import Testing
@testable import WardenCore

/// What an approval grants, who may approve it, which retry it lets through, and the engine
/// passing exactly the policies an approval names.
@Suite struct ApprovalTermsTests {
    typealias F = EngineFixtures

    static let now = F.t0
    static let hour: Int64 = 3_600_000_000_000

    static func record(status: ApprovalStatus = .approved, uses: Int64 = 2, used: Int64 = 0, cost: String = "10",
                       tokens: Int64 = 5000, expiresIn: Int64 = hour) -> ApprovalRecord {
        ApprovalRecord(id: "apr_1", policies: ["max-request-cost"], provider: "openai", model: "gpt-4o",
                       attribution: F.acme.labels.map { AuditLabel(key: $0.key, value: $0.value) }, estimatedCost: F.money(cost),
                       currency: "USD", estimatedTokens: tokens, requestedBy: "key:alice/1", requesterKey: "alice",
                       created: now, status: status, approvalExpiresAt: F.after(now, 24 * hour), uses: uses, used: used,
                       expiresAt: status == .approved ? F.after(now, expiresIn) : nil)
    }

    static func retry(cost: String = "10", input: Int64 = 5000, model: String = "gpt-4o") -> CheckRequest {
        F.request(cost: cost, input: input, model: model)
    }

    // MARK: grant

    @Test func anApprovalGrantsOneUseForTheApprovalTTLByDefault() throws {
        let settings = GovernanceSettings(approvalTTL: F.duration("6h"))
        let grant = try ApprovalTerms.grant(uses: nil, for: nil, at: Self.now, settings: settings).get()
        #expect(grant.uses == 1)
        #expect(grant.expiresAt == F.after(Self.now, 6 * Self.hour))
    }

    @Test func aGrantBeyondItsBoundsNamesItsField() {
        let settings = GovernanceSettings()
        guard case .failure(let uses) = ApprovalTerms.grant(uses: 0, for: nil, at: Self.now, settings: settings),
              case .failure(let many) = ApprovalTerms.grant(uses: 1001, for: nil, at: Self.now, settings: settings),
              case .failure(let long) = ApprovalTerms.grant(uses: 1, for: "31d", at: Self.now, settings: settings),
              case .failure(let bad) = ApprovalTerms.grant(uses: 1, for: "soon", at: Self.now, settings: settings) else {
            Issue.record("a grant out of bounds was accepted")
            return
        }
        #expect([uses.field, many.field, long.field, bad.field] == ["uses", "uses", "for", "for"])
        #expect(long.message.contains("override_max_duration"))
    }

    // MARK: four eyes

    @Test func theKeyWhoseCheckAskedCannotApproveIt() {
        let pending = Self.record(status: .pending)
        #expect(ApprovalTerms.approvalProblem(pending, approverKey: "alice")?.contains("four eyes") == true)
        #expect(ApprovalTerms.approvalProblem(pending, approverKey: nil) != nil, "offline is no second pair of eyes")
        #expect(ApprovalTerms.approvalProblem(pending, approverKey: "bob") == nil)
    }

    // MARK: use

    @Test func theSameKeysRetryWithinTheEstimateMayUseAnApproval() {
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: Self.retry(), at: Self.now) == nil)
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: Self.retry(cost: "9.99", input: 10), at: Self.now) == nil)
    }

    @Test func aRetryAboveTheApprovedCostOrTokensIsRefused() {
        let costly = ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: Self.retry(cost: "10.01"), at: Self.now)
        #expect(costly?.contains("exceeds") == true)
        let longer = ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: Self.retry(input: 5001), at: Self.now)
        #expect(longer?.contains("5000 tokens") == true)
    }

    @Test func anotherKeyAnotherModelOrAnotherAttributionCannotUseIt() {
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "mallory", request: Self.retry(), at: Self.now)?.contains("another key") == true)
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: Self.retry(model: "gpt-4.1"), at: Self.now) != nil)
        var elsewhere = Self.retry()
        elsewhere.attribution = F.attribution(["org": "acme", "team": "ads"])
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: elsewhere, at: Self.now)?.contains("attribution") == true)
    }

    @Test func aPendingRejectedUsedUpOrExpiredApprovalIsRefused() {
        let retry = Self.retry()
        #expect(ApprovalTerms.useProblem(Self.record(status: .pending), keyName: "alice", request: retry, at: Self.now)?.contains("pending") == true)
        #expect(ApprovalTerms.useProblem(Self.record(status: .rejected), keyName: "alice", request: retry, at: Self.now)?.contains("rejected") == true)
        #expect(ApprovalTerms.useProblem(Self.record(uses: 2, used: 2), keyName: "alice", request: retry, at: Self.now)?.contains("used up") == true)
        #expect(ApprovalTerms.useProblem(Self.record(status: .used, uses: 1, used: 1), keyName: "alice", request: retry, at: Self.now)?.contains("used up") == true)
        let late = F.after(Self.now, Self.hour)
        #expect(ApprovalTerms.useProblem(Self.record(), keyName: "alice", request: retry, at: late)?.contains("expired") == true)
    }

    // MARK: repeats

    @Test func aRepeatedCheckReusesThePendingRequestOfTheSameKeyPolicyAttributionAndModel() {
        let pending = Self.record(status: .pending)
        let policies = ["max-request-cost"]
        #expect(ApprovalTerms.repeats(pending, keyName: "alice", policies: policies, request: Self.retry(cost: "50"), at: Self.now))
        #expect(!ApprovalTerms.repeats(pending, keyName: "bob", policies: policies, request: Self.retry(), at: Self.now))
        #expect(!ApprovalTerms.repeats(pending, keyName: "alice", policies: ["other"], request: Self.retry(), at: Self.now))
        #expect(!ApprovalTerms.repeats(pending, keyName: "alice", policies: policies, request: Self.retry(model: "gpt-4.1"), at: Self.now))
        #expect(!ApprovalTerms.repeats(pending, keyName: "alice", policies: policies, request: Self.retry(), at: F.after(Self.now, 25 * Self.hour)),
                "a request past its window is not reused")
        #expect(!ApprovalTerms.repeats(Self.record(), keyName: "alice", policies: policies, request: Self.retry(), at: Self.now),
                "an approved request is not a pending one")
    }

    // MARK: the engine

    @Test func anApprovedPolicyPassesAndTheCheckReservesWhileOtherPoliciesStillApply() {
        var engine = F.engine([F.budget()], policies: [
            F.policy("max-request-cost", "estimated_cost > 5.00", .requireApproval),
            F.policy("big-model-review", "model == \"gpt-4o\" && estimated_cost > 7.00", .requireApproval),
        ])
        #expect(ApprovalTerms.refusingPolicies(engine.check(F.request(cost: "6"), reservationID: "r0", at: F.t0)) == ["max-request-cost"])
        var approved = F.request(cost: "6")
        approved.approvedPolicies = ["max-request-cost"]
        let allowed = engine.check(approved, reservationID: "r1", at: F.t0)
        #expect(allowed.decision == .allow)
        #expect(allowed.reservation != nil)
        #expect(allowed.reason("max-request-cost")?.message == "policy max-request-cost passed by approval")
        #expect(!allowed.audit.contains { $0.action == AuditAction.policyViolation }, "a passed policy is no violation")

        var costlier = F.request(cost: "8")
        costlier.approvedPolicies = ["max-request-cost"]
        let refused = engine.check(costlier, reservationID: "r2", at: F.t0)
        #expect(refused.decision == .requireApproval, "the policy the approval does not name still refuses")
        #expect(ApprovalTerms.refusingPolicies(refused) == ["big-model-review"])
    }

    @Test func anApprovalDoesNotLiftABudgetDeny() {
        var engine = F.engine([F.budget(limit: F.usd("5"))], policies: [F.policy("max-request-cost", "estimated_cost > 5.00", .requireApproval)])
        var approved = F.request(cost: "6")
        approved.approvedPolicies = ["max-request-cost"]
        #expect(engine.check(approved, reservationID: "r1", at: F.t0).decision == .deny)
    }
}
