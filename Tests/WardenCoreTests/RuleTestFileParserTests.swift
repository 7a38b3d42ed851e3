import Testing
import WardenCore
import WardenFormats

@Suite struct RuleTestFileParserTests {
    @Test func offsetsCountFromThePreviousStepAndTheFirstFromTheStart() throws {
        let file = try RuleTesting.parse(RuleTesting.file("""
              - at: +1h
              - at: +30m
              - at: 2026-03-05T00:00:00Z
              - at: +1d
        """))
        let times = file.tests[0].steps.map(\.time.rfc3339)
        #expect(times == ["2026-03-01T01:00:00Z", "2026-03-01T01:30:00Z", "2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z"])
    }

    @Test func ruleFilesAreReadBeforeTheSchemaIsKnown() throws {
        let parser = RuleTestFileParser(file: "t.yaml", text: "rule_files: [../budgets.yaml, ../policies.yaml]\ntests: []\n")
        #expect(try parser.ruleFiles() == ["../budgets.yaml", "../policies.yaml"])
    }

    @Test func aStepBeforeThePreviousOneIsAnErrorAtItsTime() {
        let errors = errors(of: RuleTesting.file("""
              - at: +1d
              - at: 2026-03-01T12:00:00Z
        """))
        #expect(errors == ["t.yaml:7:13: tests[0].steps[1].at: 2026-03-01T12:00:00Z is before the previous step (2026-03-02T00:00:00Z); steps run forward in time"])
    }

    @Test func unknownKeysAndBadValuesAreReportedWithTheirPositions() {
        let errors = errors(of: RuleTesting.file("""
              - at: soon
                chek: {provider: openai}
              - at: +1s
                check: {provider: openai, model: gpt-4o, attribution: {colour: red}}
                expect: {decision: maybe}
                expect_audit: [{action: crossed}]
        """))
        #expect(errors.count == 5, "\(errors)")
        #expect(errors[0].hasPrefix("t.yaml:6:13: tests[0].steps[0].at: invalid RFC 3339 time"), "\(errors)")
        #expect(errors[1].hasPrefix("t.yaml:7:9: unknown key \"chek\" in tests[0].steps[0]"), "\(errors)")
        #expect(errors[2].hasPrefix("t.yaml:9:72: tests[0].steps[1].check.attribution.colour: unknown attribution key \"colour\""), "\(errors)")
        #expect(errors[3] == "t.yaml:10:28: tests[0].steps[1].expect.decision must be allow, warn, throttle, require_approval or deny, not \"maybe\"", "\(errors)")
        #expect(errors[4].hasPrefix("t.yaml:11:33: tests[0].steps[1].expect_audit[0].action must be threshold_crossed_up, "), "\(errors)")
    }

    @Test func aUsageStepTakesThePOSTv1UsageFormatWithAnIdPerStepByDefault() throws {
        let file = try RuleTesting.parse(RuleTesting.file("""
              - at: +0s
                usage: {provider: openai, model: gpt-4o, input_tokens: 100_000, output_tokens: 5, attribution: {org: acme, user: "42"}}
              - at: +0s
                usage: {id: mine, time: 2026-02-28T23:59:00Z, provider: openai, model: gpt-4o, input_tokens: 1, output_tokens: 0, reservation: $last}
        """))
        guard case .usage(let first) = file.tests[0].steps[0].action, case .usage(let second) = file.tests[0].steps[1].action else {
            Issue.record("not usage steps")
            return
        }
        #expect(first.id == "step-0")
        #expect(first.tokens.input == 100_000)
        #expect(first.time == nil)
        #expect(first.attribution["user"] == "42")
        #expect(second.id == "mine")
        #expect(second.time?.rfc3339 == "2026-02-28T23:59:00Z")
        #expect(second.reservation == RuleTestStep.lastReservation)
    }

    @Test func aStepDoesOneThing() {
        let errors = errors(of: RuleTesting.file("""
              - at: +0s
                release: r1
                check: {provider: openai, model: gpt-4o}
        """))
        #expect(errors == ["t.yaml:7:18: tests[0].steps[0]: a step does one thing; it has check and release"])
    }

    private func errors(of text: String) -> [String] {
        do {
            _ = try RuleTesting.parse(text)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }
}
