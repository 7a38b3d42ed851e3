import WardenCore
import WardenFormats

/// The fixed rules and prices the engine target runs against: a budget that only warns and
/// notifies (no deny step, so reservations pile up on it), one with nothing but a limit, a
/// per-team daily budget with rollover, throttle and deny, a rolling per-user token budget, two
/// quotas (one in shadow) and four policies; and a second rule set to reload into, which drops a
/// budget, changes a ladder and adds another.
enum EngineRules {
    static let primaryText = """
        budgets:
          - name: org-warn-only
            scope: {org: acme}
            period: monthly
            limit: "1000.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
          - name: everything-total
            period: total
            limit: "100 USD"
          - name: team-daily
            per: [team]
            period: daily
            timezone: Europe/Berlin
            limit: "50.00 USD"
            rollover: {share: 50%, max: "25.00 USD"}
            thresholds:
              - {at: 90%, action: throttle, grace: 1m, rate: "5 requests/1m"}
              - {at: 100%, action: deny}
          - name: user-rolling
            per: [user]
            period: {rolling: 1h}
            limit: 5_000_000 tokens
            thresholds:
              - {at: 100%, action: deny, grace: 30s}
        quotas:
          - name: user-tokens
            per: [user]
            tokens: 200000
            window: 1m
            burst: 50000
            priority: {low: 50, normal: 80}
          - name: agent-requests
            per: [agent]
            requests: 60
            window: 1m
            shadow: true
        policies:
          - name: finance-approval
            when: 'team == "finance" && (estimated_cost > 5.00 || budget_ratio("team-daily") >= 0.5)'
            action: require_approval
          - name: night-interns
            when: 'team == "interns" && (hour < 6 || weekday in ["saturday", "sunday"])'
            action: deny
            timezone: America/New_York
          - name: local-is-free
            when: 'provider == "local"'
            action: allow
          - name: needs-project
            when: '!has(project)'
            action: warn
        """

    static let alternateText = """
        budgets:
          - name: org-warn-only
            scope: {org: acme}
            period: monthly
            limit: "2000.00 USD"
            thresholds:
              - {at: 80%, action: warn}
          - name: everything-total
            period: total
            limit: "100 USD"
          - name: team-daily
            per: [team]
            period: daily
            timezone: Europe/Berlin
            limit: "50.00 USD"
            thresholds:
              - {at: 120%, action: deny}
          - name: project-weekly
            per: [project]
            period: weekly
            limit: 1_000_000 tokens
            thresholds:
              - {at: 100%, action: deny}
        quotas:
          - name: user-tokens
            per: [user]
            tokens: 100000
            window: 1m
        """

    static let primary = parse(primaryText)
    static let alternate = parse(alternateText)

    static func parse(_ text: String) -> RuleSet {
        do {
            return try RuleSetParser.parse(files: [("engine.yaml", text)], schema: UsageDecoderFuzzing.schema,
                                           timeZone: FixedZones.resolve)
        } catch {
            fatalError("the engine target's rules do not load: \(error)")
        }
    }

    static let catalog: PriceCatalog = {
        let text = """
            models:
              - provider: openai
                model: gpt-4o
                prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
              - provider: anthropic
                model: claude-opus
                prices: {per: million, input: "15", output: "75"}
                tiers:
                  - {above_input_tokens: 200000, input: "30", output: "150"}
              - provider: local
                model: llama
                prices: {per: token, input: "0", output: "0"}
            """
        do {
            return PriceCatalog(files: [try PricingFileLoader.load(text: text, fileName: "engine-prices.yaml")])
        } catch {
            fatalError("the engine target's prices do not load: \(error)")
        }
    }()
}
