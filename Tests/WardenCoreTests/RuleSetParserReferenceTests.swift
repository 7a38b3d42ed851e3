import Testing
import WardenCore
import WardenFormats

/// The reference rule file (every syntax the rule files take, as the product specifies them) loads as it is, with every value as written.
@Suite struct RuleSetParserReferenceTests {
    let rules: RuleSet

    init() throws {
        rules = try RuleFiles.parse(RuleFiles.reference, file: "acme.yaml")
    }

    @Test func everyRuleOfTheReferenceFileLoadsInFileOrder() {
        #expect(rules.budgets.map(\.name) == ["acme-monthly", "team-daily", "agent-tokens-weekly"])
        #expect(rules.quotas.map(\.name) == ["user-tokens", "agent-requests"])
        #expect(rules.policies.map(\.name) == ["interns-no-frontier", "max-request-cost", "require-project"])
        #expect(rules.files == ["acme.yaml"])
    }

    @Test func theOrgBudgetIsMonthlyInBerlinWithAFourStepLadder() throws {
        let budget = rules.budgets[0]
        #expect(budget.scope.description == "{org=\"acme\"}")
        #expect(budget.per.isEmpty)
        #expect(budget.period == .monthly)
        #expect(budget.timeZone.name == "Europe/Berlin")
        #expect(budget.limit.money?.amount == (try Money(exactly: "20000")))
        #expect(budget.limit.money?.currency == "USD")
        #expect(budget.limit.tokens == nil)
        #expect(budget.rollover == nil)
        #expect(budget.thresholds.map(\.at.description) == ["50%", "80%", "100%", "120%"])
        #expect(budget.thresholds.map(\.action) == [.notify, .warn, .throttle, .deny])
        #expect(budget.thresholds.map(\.grace) == [nil, nil, try RuleDuration(parsing: "15m"), nil])
        #expect(budget.thresholds[2].rate == StepRate(limit: 10, unit: .requests, window: try RuleDuration(parsing: "1m")))
        #expect(budget.thresholds.allSatisfy { $0.message == nil })
        #expect(budget.source == RuleSource(file: "acme.yaml", line: 2, column: 5))
    }

    @Test func theTeamBudgetIsATemplatePerTeamWithACappedRollover() throws {
        let budget = rules.budgets[1]
        #expect(budget.per == ["team"])
        #expect(budget.period == .daily)
        #expect(budget.timeZone.name == "UTC")
        #expect(budget.limit.money?.amount == (try Money(exactly: "500")))
        #expect(budget.rollover == BudgetRollover(share: nil, maxMoney: try Money(exactly: "100"), maxTokens: nil))
        #expect(budget.thresholds.map(\.at.description) == ["90%", "110%"])
        #expect(budget.thresholds.map(\.action) == [.warn, .deny])
    }

    @Test func theAgentBudgetCountsTokensPerAgentEveryMondayStartingWeek() {
        let budget = rules.budgets[2]
        #expect(budget.scope.description == "{agent=*, org=\"acme\"}")
        #expect(budget.per == ["agent"])
        #expect(budget.period == .weekly(weekStart: .monday))
        #expect(budget.limit == BudgetLimit(tokens: 5_000_000))
        #expect(budget.thresholds.map(\.action) == [.deny])
    }

    @Test func quotasCarryTheirUnitRateBurstAndShadowMode() throws {
        let tokens = rules.quotas[0]
        #expect(tokens.per == ["user"])
        #expect(tokens.scope.description == "{}")
        #expect(tokens.policy.unit == .tokens)
        #expect(tokens.policy.rate == (try QuotaRate(limit: 200_000, window: 60_000_000_000, burst: 50_000)))
        #expect(!tokens.policy.isShadow)

        let requests = rules.quotas[1]
        #expect(requests.per == ["agent"])
        #expect(requests.policy.unit == .requests)
        #expect(requests.policy.rate == (try QuotaRate(limit: 60, window: 60_000_000_000)))
        #expect(requests.policy.isShadow)
    }

    @Test func policiesKeepTheirConditionActionAndMessage() {
        #expect(rules.policies.map(\.action) == [.deny, .requireApproval, .warn])
        #expect(rules.policies.map(\.condition.source) == [
            "team == \"interns\" && model =~ \"^(gpt-4|claude-opus).*\"", "estimated_cost > 5.00", "!has(project)",
        ])
        #expect(rules.policies.map(\.message) == ["interns may not use frontier models", nil, nil])
        #expect(rules.policies.allSatisfy { $0.timeZone.name == "UTC" })
    }
}

/// What the loader accepts besides the reference file.
@Suite struct RuleSetParserSyntaxTests {
    @Test func anEmptyFileOrAFileOfCommentsIsAnEmptyRuleSet() throws {
        let rules = try RuleFiles.parse([("a.yaml", ""), ("b.yaml", "# nothing yet\n"), ("c.yaml", "---\n")])
        #expect(rules.isEmpty)
        #expect(rules.files == ["a.yaml", "b.yaml", "c.yaml"])
    }

    @Test func aRollingPeriodIsAMappingOrAString() throws {
        let rules = try RuleFiles.parse("""
            budgets:
              - {name: a, period: {rolling: 7d}, limit: "1 USD"}
              - {name: b, period: rolling 36h, limit: "1 USD"}
            """)
        #expect(rules.budgets.map(\.period) == [.rolling(try RuleDuration(parsing: "7d")), .rolling(try RuleDuration(parsing: "36h"))])
    }

    @Test func aWeeklyPeriodMayStartOnAnotherDay() throws {
        let rules = try RuleFiles.parse("budgets:\n  - {name: a, period: weekly, week_start: sunday, limit: \"1 USD\"}\n")
        #expect(rules.budgets[0].period == .weekly(weekStart: .sunday))
    }

    @Test func aLimitMayBeMoneyAndTokensTogether() throws {
        let rules = try RuleFiles.parse("""
            budgets:
              - name: both
                period: monthly
                limit: ["5000.00 EUR", 2_000_000 tokens]
                rollover: {share: 50%, max: 100000 tokens}
            """)
        #expect(rules.budgets[0].limit.description == "5000 EUR and 2000000 tokens")
        #expect(rules.budgets[0].rollover == BudgetRollover(share: ThresholdPercent(millionths: 50_000_000), maxTokens: 100_000))
    }

    @Test func aBudgetWithoutThresholdsIsOnlyMeasured() throws {
        #expect(try RuleFiles.parse("budgets:\n" + RuleFiles.budget()).budgets[0].thresholds.isEmpty)
    }

    @Test func scopesMatchExactlyAnyValueOrAWholeRegex() throws {
        let rules = try RuleFiles.parse("""
            budgets:
              - name: a
                scope: {org: acme, agent: "*", team: {regex: "search-.*"}}
                period: daily
                limit: "1 USD"
            """)
        let scope = rules.budgets[0].scope
        #expect(scope.description == "{agent=*, org=\"acme\", team=~\"search-.*\"}")
        #expect(scope.matches(Attribution(["org": "acme", "agent": "a1", "team": "search-eu"])))
        #expect(!scope.matches(Attribution(["org": "acme", "agent": "a1", "team": "ads-search-eu"])))
        #expect(!scope.matches(Attribution(["org": "acme", "team": "search-eu"])))
    }

    @Test func quotaPriorityCeilingsAreRead() throws {
        let rules = try RuleFiles.parse("quotas:\n  - {name: q, requests: 10, window: 1s, priority: {low: 50, normal: 80%}}\n")
        #expect(rules.quotas[0].policy.rate.priorityCeilings == (try QuotaPriorityCeilings(lowPercent: 50, normalPercent: 80)))
    }

    @Test func aPolicyMayNameABudgetOfAnotherFileAndHaveItsOwnZone() throws {
        let rules = try RuleFiles.parse([
            ("a.yaml", "policies:\n  - {name: p, when: 'budget_ratio(\"later\") > 0.9 && hour < 8', action: warn, timezone: America/New_York}\n"),
            ("b.yaml", "budgets:\n" + RuleFiles.budget("later")),
        ])
        #expect(rules.policies[0].timeZone.name == "America/New_York")
        #expect(rules.budgets.map(\.name) == ["later"])
    }

    @Test func rulesKeepTheirSourceLocation() throws {
        let rules = try RuleFiles.parse("quotas:\n  - name: q\n    requests: 1\n    window: 1s\n", file: "q.yaml")
        #expect(rules.quotas[0].source.description == "q.yaml:2:5")
    }

    @Test func ruleFileNamesExcludeTheDeploymentConfig() {
        #expect(RuleSetParser.isRuleFileName("budgets.yaml"))
        #expect(RuleSetParser.isRuleFileName("quotas.yml"))
        #expect(!RuleSetParser.isRuleFileName("tokenwarden.yaml"))
        #expect(!RuleSetParser.isRuleFileName("README"))
        #expect(!RuleSetParser.isRuleFileName(".#budgets.yaml"))
    }
}
