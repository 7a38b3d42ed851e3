import Testing
@testable import WardenCore

/// Governance policies in a check: their actions, counters and audit rows, `allow` ending
/// evaluation, `budget_ratio` and the time of day in the policy's zone.
@Suite("RuleEngine policies")
struct RuleEnginePolicyTests {
    typealias F = EngineFixtures

    static let interns = F.attribution(["org": "acme", "team": "interns", "user": "u9", "project": "p1"])

    @Test func aDenyPolicyDeniesWithAViolationAndADenyRow() {
        var engine = F.engine(policies: [F.policy("interns-no-frontier", "team == \"interns\" && model =~ \"^(gpt-4|claude-opus).*\"",
                                                  .deny, message: "interns may not use frontier models")])
        let outcome = engine.check(F.request(cost: "0.1", attribution: Self.interns), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .deny)
        #expect(outcome.reasons.map(\.message) == ["interns may not use frontier models"])
        #expect(outcome.reservation == nil)
        #expect(outcome.audit.map(\.action) == [AuditAction.policyViolation, AuditAction.deny])
        #expect(outcome.audit.allSatisfy { $0.kind == .policy && $0.rule == "interns-no-frontier" })
        #expect(outcome.audit.first?.decision == "deny")
        #expect(outcome.audit.first?.scope.contains(AuditLabel(key: "team", value: "interns")) == true)
        #expect(engine.counters.policyViolations[.init(policy: "interns-no-frontier", action: .deny)] == 1)
        #expect(engine.counters.decisions[.init(decision: .deny, kind: "policy", rule: "interns-no-frontier")] == 1)
        // Other teams and other models pass.
        #expect(engine.check(F.request(), reservationID: "r2", at: F.t0).decision == .allow)
        #expect(engine.check(F.request(model: "gpt-3.5", attribution: Self.interns), reservationID: "r3", at: F.t0).decision == .allow)
    }

    @Test func aRequireApprovalPolicyRefusesWithoutAReservation() {
        var engine = F.engine([F.budget()], policies: [F.policy("max-request-cost", "estimated_cost > 5.00", .requireApproval)])
        #expect(engine.check(F.request(cost: "5"), reservationID: "r1", at: F.t0).decision == .allow)
        let outcome = engine.check(F.request(cost: "5.01"), reservationID: "r2", at: F.t0)
        #expect(outcome.decision == .requireApproval)
        #expect(outcome.reservation == nil)
        #expect(outcome.reason("max-request-cost")?.message == "policy max-request-cost matched: estimated_cost > 5.00")
        #expect(outcome.audit.map(\.action) == [AuditAction.policyViolation])
        #expect(engine.instance()?.reserved.money == F.money("5"))
        #expect(engine.counters.policyViolations[.init(policy: "max-request-cost", action: .requireApproval)] == 1)
    }

    @Test func aWarnPolicyWarnsAndStillReserves() {
        var engine = F.engine([F.budget()], policies: [F.policy("require-project", "!has(project)", .warn)])
        let outcome = engine.check(F.request(cost: "1", attribution: F.attribution(["org": "acme"])), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .warn)
        #expect(outcome.reservation != nil)
        #expect(outcome.audit.map(\.action) == [AuditAction.policyViolation])
        #expect(engine.counters.policyViolations[.init(policy: "require-project", action: .warn)] == 1)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func anAllowPolicyStopsLaterPoliciesButNotBudgets() {
        var engine = F.engine([F.budget()], policies: [
            F.policy("platform-exempt", "team == \"platform\"", .allow),
            F.policy("deny-everything-else", "true", .deny),
        ])
        let platform = F.attribution(["org": "acme", "team": "platform"])
        let allowed = engine.check(F.request(cost: "1", attribution: platform), reservationID: "r1", at: F.t0)
        #expect(allowed.decision == .allow)
        #expect(allowed.reasons.map(\.rule) == ["b", "platform-exempt"])
        #expect(engine.counters.policyViolations.isEmpty)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .deny)
        // The budget still applies to the exempt team (1 USD is reserved: 101 is past the limit).
        #expect(engine.check(F.request(cost: "100", attribution: platform), reservationID: "r3", at: F.t0).decision == .deny)
    }

    @Test func policiesAreEvaluatedInOrderAndEveryMatchIsReported() {
        var engine = F.engine(policies: [
            F.policy("first", "true", .warn),
            F.policy("second", "true", .requireApproval),
            F.policy("third", "false", .deny),
        ])
        let outcome = engine.check(F.request(), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .requireApproval)
        #expect(outcome.reasons.map(\.rule) == ["first", "second"])
    }

    @Test func budgetRatioSeesTheCommittedRatioOfTheMatchingInstance() {
        let budgets = [F.budget("org-monthly", thresholds: []), F.budget("team-monthly", per: ["team"], limit: F.usd("10"), thresholds: [])]
        var engine = F.engine(budgets, policies: [
            F.policy("team-half-spent", "budget_ratio(\"team-monthly\") >= 0.5", .warn, budgets: budgets.map(\.name)),
        ])
        engine.record(F.usage(cost: "4.99", at: F.t0))
        // The projection (4.99 + 1) would pass half, but the policy sees what was committed.
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).decision == .allow)
        engine.record(F.usage(cost: "0.01", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .warn)
        // Another team's instance is at zero.
        let ads = F.attribution(["org": "acme", "team": "ads"])
        #expect(engine.check(F.request(cost: "1", attribution: ads), reservationID: "r3", at: F.t0).decision == .allow)
    }

    @Test func timeOfDayIsReadInThePolicyTimeZone() throws {
        let berlin = try TimeZoneTestData.rules("Europe/Berlin")
        var engine = F.engine(policies: [
            F.policy("night-berlin", "hour >= 22 || hour < 6", .deny, timeZone: berlin),
            F.policy("weekend-utc", "weekday == \"sunday\"", .warn),
        ])
        // 21:30Z is 22:30 in Berlin (CET) on Monday 2025-03-10.
        #expect(engine.check(F.request(), reservationID: "r1", at: F.at("2025-03-10T21:30:00Z")).decision == .deny)
        #expect(engine.check(F.request(), reservationID: "r2", at: F.at("2025-03-10T20:59:59Z")).decision == .allow)
        // 23:30Z on Saturday is Sunday 00:30 in Berlin but still Saturday in UTC.
        let saturdayNight = engine.check(F.request(), reservationID: "r3", at: F.at("2025-03-15T23:30:00Z"))
        #expect(saturdayNight.reasons.map(\.rule) == ["night-berlin"])
        #expect(engine.check(F.request(), reservationID: "r4", at: F.at("2025-03-16T12:00:00Z")).decision == .warn)
    }
}
