import Testing
import WardenCore
import WardenFormats

/// Rules, prices and test files for the `test rules` and `simulate` tests: round numbers so
/// every amount is easy to state exactly.
enum RuleTesting {
    /// gpt-4o: 2.50 USD per million input tokens, 10.00 per million output tokens.
    static let catalog: PriceCatalog = {
        let text = """
            currency: USD
            models:
              - provider: openai
                model: gpt-4o
                prices: {per: million, input: "2.50", output: "10.00"}
            """
        return PriceCatalog(files: [try! PricingFileLoader.load(text: text, fileName: "pricing.yaml")])
    }()

    /// A daily team budget of 10 USD with a 50/80/100 ladder, a cost policy and a request quota.
    static let rules = """
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
        quotas:
          - name: user-requests
            per: [user]
            requests: 2
            window: 1m
        policies:
          - name: max-cost
            when: 'estimated_cost > 5.00'
            action: require_approval
        """

    static func ruleSet(_ text: String = rules) throws -> RuleSet {
        try RuleSetParser.parse(files: [("rules.yaml", text)], schema: .standard) { name in
            throw UnknownZone(name: name)
        }
    }

    struct UnknownZone: Error { var name: String }

    static func parse(_ text: String) throws(ConfigErrors) -> RuleTestFile {
        try RuleTestFileParser(file: "t.yaml", text: text).parse(schema: .standard)
    }

    static func run(_ text: String) throws -> [RuleTestResult] {
        let runner = RuleTestRunner(rules: try ruleSet(), catalog: catalog)
        return runner.run(try parse(text))
    }

    /// `header` plus one test named `t` with `steps` (indented as list items of `steps:`).
    static func file(_ steps: String) -> String {
        """
        rule_files: [rules.yaml]
        tests:
          - name: t
            start: 2026-03-01T00:00:00Z
            steps:
        \(steps)
        """
    }
}
