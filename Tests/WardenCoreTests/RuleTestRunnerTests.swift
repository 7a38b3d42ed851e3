import Testing
import WardenCore

@Suite struct RuleTestRunnerTests {
    /// 2,000,000 input tokens of gpt-4o cost 5.00 USD: half the team budget.
    static let ladder = RuleTesting.file("""
              - at: +0s
                usage: {provider: openai, model: gpt-4o, input_tokens: 2_000_000, output_tokens: 0, attribution: {org: acme, team: search}}
                expect_audit: [{action: threshold_crossed_up, rule: team-budgets, threshold: 50%, decision: notify, observed: 5, limit: 10}]
              - at: +1h
                usage: {provider: openai, model: gpt-4o, input_tokens: 1_200_000, output_tokens: 0, attribution: {org: acme, team: search}}
                expect_audit: [{action: threshold_crossed_up, threshold: 80%, decision: warn, scope: {team: search}, observed: "8.00"}]
              - at: +1m
                check: {provider: openai, model: gpt-4o, estimated_input_tokens: 1000, max_output_tokens: 500, attribution: {org: acme, team: search, user: u1}}
                expect: {decision: warn, reservation: true, reasons: [{rule: team-budgets, kind: budget, decision: warn, remaining: 2 USD}]}
                expect_audit: []
              - at: 2026-03-02T00:00:00Z
                expect_audit:
                  - {action: reservation_expired, kind: reservation, scope: {user: u1}, observed: 0.0075}
                  - {action: threshold_crossed_down, threshold: 80%}
                  - {action: threshold_crossed_down, threshold: 50%, observed: 0}
        """)

    @Test func aLadderWhoseExpectationsHoldPasses() throws {
        let results = try RuleTesting.run(Self.ladder)
        #expect(results.count == 1)
        #expect(results[0].passed, "\(results[0].report)")
        #expect(results[0].report == "PASS t")
    }

    @Test func aWrongDecisionFailsNamingTheStepLineAndBothDecisions() throws {
        let text = Self.ladder.replacingOccurrences(of: "expect: {decision: warn,", with: "expect: {decision: deny,")
        let result = try #require(try RuleTesting.run(text).first)
        #expect(!result.passed)
        #expect(result.failures.count == 1)
        let failure = try #require(result.failures.first)
        #expect(failure.step == 2)
        #expect(failure.line == 12)
        #expect(failure.message.hasPrefix("decision: expected deny, got warn"), "\(failure.message)")
        #expect(failure.message.contains("team-budgets{org=acme,team=search} warn"), "\(failure.message)")
        #expect(result.report.hasPrefix("FAIL t\n  steps[2] (line 12, 2026-03-01T01:01:00Z): decision: expected deny, got warn"), "\(result.report)")
    }

    @Test func aMissingReasonIsReportedWithTheReasonsGiven() throws {
        let text = Self.ladder.replacingOccurrences(of: "reasons: [{rule: team-budgets,", with: "reasons: [{rule: other-budget,")
        let result = try #require(try RuleTesting.run(text).first)
        #expect(result.failures.map(\.message).contains { $0.hasPrefix("no reason matches {rule: other-budget, kind: budget, decision: warn, remaining: 2 USD}; got team-budgets") },
                "\(result.report)")
    }

    @Test func unexpectedAuditRowsAreListedInFull() throws {
        let text = Self.ladder.replacingOccurrences(of: "expect_audit: []", with: "expect_audit: [{action: deny}]")
        let result = try #require(try RuleTesting.run(text).first)
        let message = try #require(result.failures.first?.message)
        #expect(message == "audit rows: expected 1, got 0: none")
    }

    @Test func aRowWithAWrongFieldSaysWhichFieldAndQuotesTheRow() throws {
        let text = Self.ladder.replacingOccurrences(of: "threshold: 50%, decision: notify", with: "threshold: 50%, decision: warn")
        let result = try #require(try RuleTesting.run(text).first)
        let message = try #require(result.failures.first?.message)
        #expect(message.hasPrefix("audit row 0: decision: expected warn, got notify (row: 2026-03-01T00:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 50% notify  observed=5"),
                "\(message)")
    }

    @Test func usageCommitsTheLastChecksReservation() throws {
        let results = try RuleTesting.run(RuleTesting.file("""
              - at: +0s
                check: {provider: openai, model: gpt-4o, estimated_input_tokens: 1000, attribution: {org: acme, team: search, user: u1}}
                expect: {decision: allow, reservation: true}
              - at: +1s
                usage: {provider: openai, model: gpt-4o, input_tokens: 1000, output_tokens: 0, reservation: $last, attribution: {org: acme, team: search, user: u1}}
              - at: +1s
                release: $last
        """))
        let result = try #require(results.first)
        // The usage committed the reservation, so there is nothing left to release.
        #expect(result.failures.map(\.message) == ["release: no reservation $last (r1) is held"], "\(result.report)")
    }

    @Test func quotasThrottleAfterTheirLimitAndPoliciesAnswerChecks() throws {
        let check = "{provider: openai, model: gpt-4o, estimated_input_tokens: 10, attribution: {org: acme, team: search, user: u1}}"
        let results = try RuleTesting.run(RuleTesting.file("""
              - {at: +0s, check: \(check), expect: {decision: allow}}
              - {at: +1s, check: \(check), expect: {decision: allow}}
              - {at: +1s, check: \(check), expect: {decision: throttle, reservation: false, reasons: [{rule: user-requests, kind: quota, scope: {user: u1}}]}}
              - at: +1m
                check: {provider: openai, model: gpt-4o, estimated_cost: 6.00, attribution: {org: acme, team: search, user: u2}}
                expect: {decision: require_approval, reasons: [{rule: max-cost, decision: require_approval, message: "estimated_cost > 5"}]}
                expect_audit: [{action: policy_violation, rule: max-cost, kind: policy, decision: require_approval}]
        """))
        let result = try #require(results.first)
        #expect(result.passed, "\(result.report)")
    }

    @Test func anUnpricedModelFailsTheStepThatUsesIt() throws {
        let results = try RuleTesting.run(RuleTesting.file("""
              - at: +0s
                usage: {provider: openai, model: gpt-9, input_tokens: 1, output_tokens: 0}
        """))
        let message = try #require(results.first?.failures.first?.message)
        #expect(message.hasPrefix("usage: unknown model \"gpt-9\""), "\(message)")
    }
}
