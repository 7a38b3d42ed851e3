import Testing
@testable import WardenCore

/// The rules of a request: its lifetime, the instance it names, who may approve it, when it ends.
@Suite struct OverrideTermsTests {
    typealias F = EngineFixtures
    let settings = GovernanceSettings(overrideMaxDuration: F.duration("30d"))

    func lifetime(for duration: String? = nil, until: String? = nil) -> Result<(duration: RuleDuration?, until: Timestamp?), OverrideTerms.Problem> {
        OverrideTerms.lifetime(for: duration, until: until, at: F.t0, settings: settings)
    }

    @Test func aLifetimeIsForOrUntilWithinTheMaximum() throws {
        #expect(try lifetime(for: "48h").get().duration == F.duration("48h"))
        #expect(try lifetime(until: "2025-03-11T12:00:00Z").get().until == F.at("2025-03-11T12:00:00Z"))
        #expect(try lifetime(for: "30d").get().duration == F.duration("30d"))
    }

    @Test func aLifetimeOutsideTheRulesNamesItsField() {
        func problem(_ result: Result<(duration: RuleDuration?, until: Timestamp?), OverrideTerms.Problem>) -> OverrideTerms.Problem? {
            if case .failure(let problem) = result { return problem }
            return nil
        }
        #expect(problem(lifetime())?.field == "for")
        #expect(problem(lifetime(for: "1h", until: "2025-03-11T12:00:00Z"))?.field == "until")
        #expect(problem(lifetime(for: "31d"))?.message == "31d is longer than governance.override_max_duration (30d)")
        #expect(problem(lifetime(for: "soon"))?.field == "for")
        #expect(problem(lifetime(until: "2025-03-10T11:59:59Z"))?.message.contains("has passed") == true)
        #expect(problem(lifetime(until: "2025-04-10T12:00:01Z"))?.field == "until")
        #expect(problem(lifetime(until: "tomorrow"))?.field == "until")
    }

    @Test func aPerBudgetsInstanceNamesEveryPerLabelAndMayRepeatItsFixedOnes() throws {
        let rule = F.budget("team-monthly", scope: F.scope([("org", .equals("acme"))]), per: ["team"])
        let labels = try OverrideTerms.instance(of: rule, given: [("team", "search")]).get()
        #expect(labels == [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")])
        #expect(try OverrideTerms.instance(of: rule, given: [("org", "acme"), ("team", "search")]).get() == labels)
        func field(_ given: [(key: String, value: String)]) -> String? {
            if case .failure(let problem) = OverrideTerms.instance(of: rule, given: given) { return problem.field }
            return nil
        }
        #expect(field([]) == "instance.team")
        #expect(field([("team", "search"), ("project", "x")]) == "instance.project")
        #expect(field([("team", "search"), ("org", "globex")]) == "instance.org")
        #expect(field([("team", "search"), ("team", "ads")]) == "instance.team")
    }

    @Test func aBudgetWithoutPerHasOneInstance() throws {
        let rule = F.budget("org-total", scope: F.scope([("org", .equals("acme"))]))
        #expect(try OverrideTerms.instance(of: rule, given: []).get() == [AuditLabel(key: "org", value: "acme")])
        if case .success = OverrideTerms.instance(of: rule, given: [("team", "search")]) { Issue.record("a label the budget is not split by") }
    }

    func record(requesterKey: String?) -> OverrideRecord {
        OverrideRecord(id: "ovr_1", budget: "b", instance: [], change: .exempt, duration: F.duration("2h"), until: nil, reason: "r",
                       requestedBy: "key:alice/abc", requesterKey: requesterKey, created: F.t0, status: .pending,
                       approvalExpiresAt: F.after(F.t0, F.hour))
    }

    @Test func fourEyesRefuseTheRequestersOwnKeyAndAnyOfflineApproval() {
        #expect(OverrideTerms.approvalProblem(record(requesterKey: "alice"), approverKey: "alice")?.contains("four eyes") == true)
        #expect(OverrideTerms.approvalProblem(record(requesterKey: "alice"), approverKey: nil) != nil)
        #expect(OverrideTerms.approvalProblem(record(requesterKey: "alice"), approverKey: "bob") == nil)
        #expect(OverrideTerms.approvalProblem(record(requesterKey: nil), approverKey: "bob") == nil)
    }

    @Test func aPendingRequestIsDueAtItsApprovalDeadlineAndAnActiveOneAtItsEnd() {
        var pending = record(requesterKey: "alice")
        #expect(!pending.isDue(at: F.after(F.t0, F.hour - 1)))
        #expect(pending.isDue(at: F.after(F.t0, F.hour)))
        #expect(pending.effect == nil)
        let approvedAt = F.after(F.t0, F.minute)
        pending.status = .active
        pending.expiresAt = pending.end(ifActivatedAt: approvedAt)
        #expect(pending.expiresAt == F.after(approvedAt, 2 * F.hour), "for counts from the approval")
        #expect(!pending.isDue(at: F.after(approvedAt, 2 * F.hour - 1)))
        #expect(pending.isDue(at: F.after(approvedAt, 2 * F.hour)))
        #expect(pending.effect?.expiresAt == pending.expiresAt)
        var until = pending
        until.duration = nil
        until.until = F.at("2025-03-12T00:00:00Z")
        #expect(until.end(ifActivatedAt: approvedAt) == F.at("2025-03-12T00:00:00Z"))
        pending.status = .revoked
        #expect(!pending.isDue(at: F.after(approvedAt, 100 * F.hour)))
    }
}
