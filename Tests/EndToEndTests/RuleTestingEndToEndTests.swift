import Foundation
import Testing

/// `tokenwarden test rules` and `tokenwarden simulate`, run as an operator runs them.
@Suite struct RuleTestingEndToEndTests {
    static let budgets = """
        budgets:
          - name: team-budgets
            scope: {org: acme}
            per: [team]
            period: daily
            limit: "10.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
              - {at: 100%, action: deny}
        """

    /// 2,000,000 gpt-4o input tokens cost 5.00 USD at the fixture's prices.
    static let ruleTest = """
        rule_files: [../budgets.yaml]
        tests:
          - name: half the budget notifies
            start: 2026-03-01T00:00:00Z
            steps:
              - at: +0s
                usage: {provider: openai, model: gpt-4o, input_tokens: 2_000_000, output_tokens: 0, attribution: {org: acme, team: search}}
                expect_audit: [{action: threshold_crossed_up, threshold: 50%}]
              - at: +1m
                check: {provider: openai, model: gpt-4o, estimated_input_tokens: 1000, attribution: {org: acme, team: search}}
                expect: {decision: allow}
        """

    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    /// A fixture with `budgets.yaml` and `tests/budgets_test.yaml` in its rules directory.
    func fixture(test: String = ruleTest) throws -> (RulesFixture, String) {
        let fixture = try RulesFixture()
        try Self.budgets.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fixture.rules + "/tests", withIntermediateDirectories: true)
        let path = fixture.rules + "/tests/budgets_test.yaml"
        try test.write(toFile: path, atomically: true, encoding: .utf8)
        return (fixture, path)
    }

    @Test func everyShippedRuleTestPasses() throws {
        let directory = CommandLineEndToEndTests.repositoryRoot.appendingPathComponent("Rules/tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(!files.isEmpty, "no rule tests shipped in \(directory.path)")

        let result = try tokenwarden(["test", "rules"] + files.map { directory.appendingPathComponent($0).path })

        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("FAIL"), "\(result.output)")
        #expect(result.output.contains("0 failed"), "\(result.output)")
    }

    @Test func aPassingTestPrintsPassAndExitsZero() throws {
        let (fixture, path) = try fixture()
        defer { fixture.remove() }

        let result = try tokenwarden(["test", "rules", path])

        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "PASS half the budget notifies\n1 tests in 1 file: 1 passed, 0 failed\n")
    }

    @Test func aWrongExpectationFailsWithExitOneNamingTheStep() throws {
        let (fixture, path) = try fixture(test: Self.ruleTest.replacingOccurrences(of: "expect: {decision: allow}", with: "expect: {decision: deny}"))
        defer { fixture.remove() }

        let result = try tokenwarden(["test", "rules", path])

        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("FAIL half the budget notifies\n  steps[1] (line 9, 2026-03-01T00:01:00Z): decision: expected deny, got allow"),
                "\(result.output)")
        #expect(result.output.contains("1 tests in 1 file: 0 passed, 1 failed"), "\(result.output)")
    }

    @Test func anInvalidTestFileExitsTwoWithFileLineAndColumn() throws {
        let (fixture, path) = try fixture(test: Self.ruleTest.replacingOccurrences(of: "expect: {decision: allow}", with: "expect: {decisoin: allow}"))
        defer { fixture.remove() }

        let result = try tokenwarden(["test", "rules", path])

        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("\(path):11:18: unknown key \"decisoin\" in tests[0].steps[1].expect"), "\(result.output)")
    }

    @Test func simulateReplaysRecordedUsageAndPrintsTheCrossingsInTimeOrder() throws {
        let (fixture, _) = try fixture()
        defer { fixture.remove() }
        let events = fixture.directory.appendingPathComponent("events.ndjson").path
        // 5.00 USD at 10:00, 3.00 USD at 09:00 the same day (out of order), 1.00 USD the next day.
        let lines = [
            #"{"id":"e2","time":"2026-03-04T10:15:00Z","provider":"openai","model":"gpt-4o","input_tokens":2000000,"output_tokens":0,"attribution":{"org":"acme","team":"search"}}"#,
            #"{"id":"e1","time":"2026-03-04T09:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1200000,"output_tokens":0,"attribution":{"org":"acme","team":"search"}}"#,
            #"{"id":"e3","time":"2026-03-05T08:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":400000,"output_tokens":0,"attribution":{"org":"acme","team":"search"}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)

        let result = try tokenwarden(["simulate", "--rules", fixture.rules, "--events", events])

        #expect(result.status == 0, "\(result.output)")
        let printed = result.output.split(separator: "\n").map(String.init)
        #expect(Array(printed.prefix(5)) == [
            "2026-03-04T10:15:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 50% notify  observed=8 limit=10",
            "2026-03-04T10:15:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 80% warn  observed=8 limit=10",
            "2026-03-05T00:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_down 80% warn  observed=0 limit=10",
            "2026-03-05T00:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_down 50% notify  observed=0 limit=10",
            "3 events from 2026-03-04T09:00:00Z to 2026-03-05T08:00:00Z, 4 audit rows",
        ], "\(result.output)")
        #expect(printed.contains("  team-budgets{org=acme,team=search}  used=1 USD  limit=10 USD  ratio=0.1  step=none"), "\(result.output)")

        let json = try tokenwarden(["simulate", "--rules", fixture.rules, "--events", events, "--format", "json"])
        #expect(json.status == 0, "\(json.output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows.first?["action"] as? String == "threshold_crossed_up")
    }

    @Test func simulateRefusesEventsWithoutATime() throws {
        let (fixture, _) = try fixture()
        defer { fixture.remove() }
        let events = fixture.directory.appendingPathComponent("events.ndjson").path
        try #"{"id":"e1","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":0}"#.write(toFile: events, atomically: true, encoding: .utf8)

        let result = try tokenwarden(["simulate", "--rules", fixture.rules, "--events", events])

        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("\(events): event 0 (e1): time: is required to replay usage"), "\(result.output)")
    }
}
