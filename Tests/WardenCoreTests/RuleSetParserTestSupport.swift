import Testing
import WardenCore
import WardenFormats

/// Shared helpers for the rule-file tests.
enum RuleFiles {
    /// The reference rule file, exactly as the product specifies it: it must load as it is.
    static let reference = """
        budgets:
          - name: acme-monthly
            scope: {org: acme}
            period: monthly
            timezone: Europe/Berlin
            limit: "20000.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
              - {at: 100%, action: throttle, grace: 15m, rate: "10 requests/1m"}
              - {at: 120%, action: deny}
          - name: team-daily
            scope: {org: acme}
            per: [team]
            period: daily
            limit: "500.00 USD"
            rollover: {max: "100.00 USD"}
            thresholds:
              - {at: 90%, action: warn}
              - {at: 110%, action: deny}
          - name: agent-tokens-weekly
            scope: {org: acme, agent: "*"}
            per: [agent]
            period: weekly
            limit: 5_000_000 tokens
            thresholds:
              - {at: 100%, action: deny}
        quotas:
          - name: user-tokens
            per: [user]
            tokens: 200000
            window: 1m
            burst: 50000
          - name: agent-requests
            per: [agent]
            requests: 60
            window: 1m
            shadow: true
        policies:
          - name: interns-no-frontier
            when: 'team == "interns" && model =~ "^(gpt-4|claude-opus).*"'
            action: deny
            message: "interns may not use frontier models"
          - name: max-request-cost
            when: 'estimated_cost > 5.00'
            action: require_approval
          - name: require-project
            when: '!has(project)'
            action: warn
        """

    struct UnknownZone: Error, CustomStringConvertible {
        var name: String
        var description: String { "unknown time zone \"\(name)\"" }
    }

    /// Real zones from the system's tzdata for the names the tests use; any other is unknown.
    static func zone(_ name: String) throws -> TimeZoneRules {
        guard ["Europe/Berlin", "America/New_York"].contains(name) else { throw UnknownZone(name: name) }
        return try TimeZoneTestData.rules(name)
    }

    static func parse(_ files: [(name: String, text: String)], schema: AttributionSchema = .standard) throws(ConfigErrors) -> RuleSet {
        try RuleSetParser.parse(files: files, schema: schema, timeZone: zone)
    }

    static func parse(_ text: String, file: String = "rules.yaml") throws(ConfigErrors) -> RuleSet {
        try parse([(file, text)])
    }

    /// The errors of loading `files`, as `file:line:col: message`; none when it loads.
    static func errors(_ files: [(name: String, text: String)], schema: AttributionSchema = .standard) -> [String] {
        do {
            _ = try parse(files, schema: schema)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    static func errors(_ text: String, file: String = "rules.yaml") -> [String] {
        errors([(file, text)])
    }

    /// A valid budget entry to build broken files around.
    static func budget(_ name: String = "b", extra: String = "") -> String {
        """
          - name: \(name)
            period: daily
            limit: "10.00 USD"\(extra)
        """
    }
}
