import Testing
import WardenCore
import WardenFormats

/// Every mistake in a rule file is an error at its `file:line:col`, naming the field.
@Suite struct RuleSetParserErrorTests {
    @Test func anUnknownKeyInARuleIsAnErrorAtTheKey() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget() + "\n    limt: 2\n")
        #expect(errors == [
            "rules.yaml:5:5: unknown key \"limt\" in budgets[0] (known keys: limit, name, per, period, rollover, scope, thresholds, timezone, week_start)",
        ])
    }

    @Test func anUnknownTopLevelKeyIsAnError() {
        #expect(RuleFiles.errors("budget:\n  - name: b\n") == [
            "rules.yaml:1:1: unknown key \"budget\" (known keys: budgets, policies, quotas)",
        ])
    }

    @Test func aValueOfTheWrongTypeIsAnErrorAtTheValue() {
        #expect(RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    per: team")) == [
            "rules.yaml:5:10: budgets[0].per must be a list, not \"team\"",
        ])
        #expect(RuleFiles.errors("budgets: {name: b}\n") == ["rules.yaml:1:10: budgets must be a list, not a mapping"])
    }

    @Test func aMissingRequiredKeyIsAnErrorAtItsRule() {
        #expect(RuleFiles.errors("budgets:\n  - name: b\n    limit: \"1 USD\"\n") == [
            "rules.yaml:2:5: missing required key \"period\" in budgets[0]",
        ])
    }

    @Test func aBadDurationPointsAtTheOffendingCharacter() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: """

                thresholds:
                  - {at: 100%, action: deny, grace: 15x}
            """))
        #expect(errors == ["rules.yaml:6:43: budgets[0].thresholds[0].grace: unknown unit \"x\" in duration (use ms, s, m, h, d, w)"])
        #expect(RuleFiles.errors("budgets:\n  - name: b\n    period: {rolling: 7dd}\n    limit: \"1 USD\"\n") == [
            "rules.yaml:3:24: budgets[0].period.rolling: unknown unit \"dd\" in duration (use ms, s, m, h, d, w)",
        ])
    }

    @Test func aBadPercentageIsAnErrorAtTheValue() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: """

                thresholds:
                  - {at: 50%, action: notify}
                  - {at: 80, action: warn}
            """))
        #expect(errors == ["rules.yaml:7:14: budgets[0].thresholds[1].at: a threshold is a percentage such as 80%, not \"80\""])
    }

    @Test func anUnknownActionListsTheChoices() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    thresholds:\n      - {at: 80%, action: block}"))
        #expect(errors == ["rules.yaml:6:27: budgets[0].thresholds[0].action must be notify, warn, throttle or deny, not \"block\""])
    }

    @Test func anUnknownLabelInScopeOrPerIsAnErrorWithASuggestion() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    scope: {org: acme, colour: red}\n    per: [team, usr]"))
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("rules.yaml:5:24: budgets[0].scope: unknown attribution label \"colour\" (known: ") == true)
        #expect(errors.last == "rules.yaml:6:17: budgets[0].per: unknown attribution label \"usr\" (did you mean \"user\"?)")
    }

    @Test func labelsDeclaredInTheDeploymentSchemaAreAccepted() throws {
        let schema = try AttributionSchema(extraKeys: ["cost_center"])
        let files: [(name: String, text: String)] = [("r.yaml", "quotas:\n  - {name: q, per: [cost_center], requests: 5, window: 1m}\n")]
        #expect(RuleFiles.errors(files, schema: schema).isEmpty)
        #expect(RuleFiles.errors(files).count == 1)
    }

    @Test func anInvalidScopeRegexIsAnErrorAtTheOffendingCharacter() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    scope: {team: {regex: \"ml|(unclosed\"}}"))
        #expect(errors == ["rules.yaml:5:31: budgets[0].scope.team.regex: invalid regular expression: missing ')' to close this group"])
    }

    @Test func aScopeRegexOutsideTheLinearSyntaxIsAnError() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    scope: {team: {regex: 'a(?=b)'}}"))
        #expect(errors == ["rules.yaml:5:29: budgets[0].scope.team.regex: invalid regular expression: lookahead ((?=…), (?!…)) is not supported"])
    }

    @Test func anUnknownTimeZoneIsAnErrorAtTheZone() {
        #expect(RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    timezone: Mars/Olympus")) == [
            "rules.yaml:5:15: budgets[0].timezone: unknown time zone \"Mars/Olympus\"",
        ])
    }

    @Test func aRateOnAStepOtherThanThrottleIsAnError() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    thresholds:\n      - {at: 80%, action: warn, rate: \"10 requests/1m\"}"))
        #expect(errors == ["rules.yaml:6:39: budgets[0].thresholds[0].rate only applies to throttle steps, not to a warn step"])
    }

    @Test func twoStepsAtTheSamePercentageAreAnError() {
        let errors = RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    thresholds:\n      - {at: 80%, action: warn}\n      - {at: 80%, action: deny}"))
        #expect(errors == ["rules.yaml:7:14: budgets[0].thresholds[1].at: two steps at 80% (the other is at line 6)"])
    }

    @Test func aRolloverNeedsACalendarPeriodAndTheLimitsUnit() {
        #expect(RuleFiles.errors("budgets:\n  - name: b\n    period: total\n    limit: \"10.00 USD\"\n    rollover: {share: 50%}\n") == [
            "rules.yaml:5:15: budgets[0].rollover: a total budget has no next period to carry unspent budget into (rollover needs a calendar period)",
        ])
        #expect(RuleFiles.errors("budgets:\n" + RuleFiles.budget(extra: "\n    rollover: {max: \"5.00 EUR\"}")) == [
            "rules.yaml:5:21: budgets[0].rollover.max must be in the limit's unit (USD), not \"5.00 EUR\"",
        ])
    }

    @Test func aQuotaCountsEitherTokensOrRequestsNotBoth() {
        #expect(RuleFiles.errors("quotas:\n  - name: q\n    tokens: 100\n    requests: 5\n    window: 1m\n") == [
            "rules.yaml:4:15: quotas[0]: give either tokens or requests, not both (one quota counts one unit)",
        ])
        #expect(RuleFiles.errors("quotas:\n  - name: q\n    window: 1m\n") == [
            "rules.yaml:2:5: quotas[0] needs tokens: <count> or requests: <count> per window",
        ])
    }

    @Test func badQuotaNumbersAreErrorsAtTheirValues() {
        let errors = RuleFiles.errors("quotas:\n  - {name: q, requests: 0, window: 1m, burst: -1, priority: {low: 90, normal: 101}, shadow: maybe}\n")
        #expect(errors.map { $0.split(separator: " ").first ?? "" } == ["rules.yaml:2:25:", "rules.yaml:2:47:", "rules.yaml:2:79:", "rules.yaml:2:93:"])
        #expect(errors.first?.hasSuffix("quotas[0].requests must be at least 1, not 0") == true)
    }

    @Test func aBadRuleNameIsAnError() {
        #expect(RuleFiles.errors("budgets:\n" + RuleFiles.budget("team budget")) == [
            "rules.yaml:2:11: budgets[0].name: \"team budget\" is not a valid budget name (use letters, digits, _ . : - and at most 128 characters)",
        ])
    }
}

/// Warnings about `=~` patterns point at the pattern in the file and do not stop the load.
@Suite struct RuleSetParserPatternWarningTests {
    @Test func aSearchPatternIsWarnedAboutAtItsQuoteInTheFile() throws {
        let rules = try RuleFiles.parse("policies:\n  - name: p\n    when: 'team == \"interns\" && model =~ \"o1\"'\n    action: deny\n")
        #expect(rules.policies.count == 1)
        #expect(rules.warnings.map(\.description) == [
            #"rules.yaml:3:42: warning: policies[0].when: "o1" is matched against the whole value (it means "^o1$"); "#
                + #"to find it anywhere in the value, write ".*o1.*""#])
    }

    @Test func warningsInALiteralBlockPointAtTheirLine() throws {
        let rules = try RuleFiles.parse("policies:\n  - name: p\n    when: |\n      has(team) &&\n        model =~ \"^gpt\"\n    action: deny\n")
        #expect(rules.warnings.map { "\($0.line):\($0.column)" } == ["5:18"])
    }

    @Test func scopeRegexesGetNoWarning() throws {
        let rules = try RuleFiles.parse("budgets:\n" + RuleFiles.budget(extra: "\n    scope: {team: {regex: \"ml\"}}"))
        #expect(rules.warnings.isEmpty)
    }
}

/// Errors inside a `when:` condition point at the column where the condition goes wrong.
@Suite struct RuleSetParserConditionErrorTests {
    static let message = "policies[0].when: unknown variable \"modle\" (did you mean \"model\"?)"

    @Test func inASingleQuotedCondition() {
        let errors = RuleFiles.errors("policies:\n  - name: p\n    when: 'team == \"interns\" && modle =~ \"gpt\"'\n    action: deny\n")
        #expect(errors == ["rules.yaml:3:33: \(Self.message)"])
    }

    @Test func inAPlainCondition() {
        let errors = RuleFiles.errors("policies:\n  - name: p\n    when: team == \"interns\" && modle =~ \"gpt\"\n    action: deny\n")
        #expect(errors == ["rules.yaml:3:32: \(Self.message)"])
    }

    @Test func inALiteralBlockCondition() {
        let errors = RuleFiles.errors("policies:\n  - name: p\n    when: |\n      has(team) &&\n        modle =~ \"gpt\"\n    action: deny\n")
        #expect(errors == ["rules.yaml:5:9: \(Self.message)"])
    }

    @Test func anUnknownBudgetInBudgetRatioIsAnError() {
        let errors = RuleFiles.errors("policies:\n  - {name: p, when: 'budget_ratio(\"nope\") > 0.5', action: warn}\n")
        #expect(errors == ["rules.yaml:2:35: policies[0].when: unknown budget \"nope\" (no budgets are configured)"])
    }

    @Test func anUnknownPolicyActionListsTheChoices() {
        #expect(RuleFiles.errors("policies:\n  - {name: p, when: 'true', action: block}\n") == [
            "rules.yaml:2:37: policies[0].action must be allow, warn, require_approval or deny, not \"block\"",
        ])
    }
}

/// Files are validated together and every error of every file is reported.
@Suite struct RuleSetParserMultiFileTests {
    @Test func aNameUsedInTwoFilesIsAnErrorAtTheSecond() {
        let errors = RuleFiles.errors([("a.yaml", "budgets:\n" + RuleFiles.budget("team")), ("b.yaml", "budgets:\n" + RuleFiles.budget("team"))])
        #expect(errors == ["b.yaml:2:11: budgets[0].name: duplicate budget name \"team\" (first defined at a.yaml:2:11)"])
    }

    @Test func kindsHaveSeparateNames() {
        let files: [(name: String, text: String)] = [
            ("a.yaml", "budgets:\n" + RuleFiles.budget("team") + "\nquotas:\n  - {name: team, requests: 1, window: 1s}\n"),
        ]
        #expect(RuleFiles.errors(files).isEmpty)
    }

    @Test func errorsOfEveryFileAreReportedInFileOrder() {
        let errors = RuleFiles.errors([
            ("a.yaml", "budgets:\n  - {name: a, period: fortnightly, limit: \"1 USD\"}\n  - {name: b, period: daily, limit: \"1 dollar\"}\n"),
            ("b.yaml", "quotas:\n  - {name: q, requests: 1, window: 1m, burst: lots}\n"),
            ("c.yaml", "policies: [\n"),
            ("d.yaml", "budgets: []\n"),
        ])
        #expect(errors.map { $0.split(separator: ":").prefix(2).joined(separator: ":") } == ["a.yaml:2", "a.yaml:3", "b.yaml:2", "c.yaml:2"], "\(errors)")
        #expect(errors.last?.contains("YAML syntax error") == true)
    }
}
