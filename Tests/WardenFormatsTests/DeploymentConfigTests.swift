import Testing
import WardenCore
import WardenFormats

@Suite struct DeploymentConfigTests {
    @Test func anEmptyFileGivesTheDefaults() throws {
        let config = try DeploymentConfig.parse(yaml: "", file: "tokenwarden.yaml")
        #expect(config == DeploymentConfig())
        #expect(config.schema.labelKeys == ["org", "team", "project", "agent"])
    }

    @Test func settingsAreRead() throws {
        let config = try DeploymentConfig.parse(yaml: """
            attribution:
              extra_keys: [cost_center]
              metric_labels: [org, cost_center]
            metrics:
              series_limit: 500
              user_spend_refresh: 15s
            ingest:
              max_body_bytes: 1MiB
              unknown_models: record_at_zero_cost
            """, file: "t.yaml")
        #expect(config.schema.allows("cost_center"))
        #expect(config.schema.labelKeys == ["org", "cost_center"])
        #expect(config.seriesLimit == 500)
        #expect(config.userSpendRefresh.nanoseconds == 15_000_000_000)
        #expect(config.maxBodyBytes == 1 << 20)
        #expect(config.unknownModels == .recordAtZeroCost)
    }

    @Test func extraKeysKeepTheirDeclaredOrderWithoutRepeatsOrStandardKeys() throws {
        let config = try DeploymentConfig.parse(yaml: """
            attribution:
              extra_keys: [region, cost_center, team, region, budget_owner]
            """, file: "t.yaml")
        #expect(config.schema.extraKeys == ["region", "cost_center", "budget_owner"])
        #expect(try DeploymentConfig.parse(yaml: "", file: "t.yaml").schema.extraKeys.isEmpty)
    }

    @Test func anUnknownKeyIsAnErrorAtItsPosition() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "metrics:\n  series_limt: 5\n", file: "tokenwarden.yaml")
        }
        #expect(error?.errors.map(\.description) == [
            "tokenwarden.yaml:2:3: unknown key \"series_limt\" in metrics (known keys: series_limit, user_spend_refresh)",
        ])
    }

    @Test func theUserSpendRefreshIsABoundedDuration() throws {
        #expect(try DeploymentConfig.parse(yaml: "", file: "t.yaml").userSpendRefresh.nanoseconds == 60_000_000_000)
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "metrics:\n  user_spend_refresh: 10ms\n", file: "t.yaml")
        }
        #expect(error?.errors.map(\.description) == [
            "t.yaml:2:23: metrics.user_spend_refresh must be a duration between 1s and 24h such as 1m, not \"10ms\"",
        ])
    }

    @Test func theReservationCapIsABoundedCount() throws {
        #expect(try DeploymentConfig.parse(yaml: "", file: "t.yaml").maxActiveReservations == 1_000_000)
        #expect(try DeploymentConfig.parse(yaml: "reservations:\n  ttl: 30s\n  max_active: 5000\n", file: "t.yaml")
            .maxActiveReservations == 5000)
        for bad in ["0", "lots", "-3", "1.5"] {
            let error = #expect(throws: ConfigErrors.self) {
                try DeploymentConfig.parse(yaml: "reservations:\n  max_active: \(bad)\n", file: "t.yaml")
            }
            #expect(error?.errors.count == 1)
            #expect(error?.errors.first.map { "\($0.line):\($0.column)" } == "2:15", "\(bad)")
            #expect(error?.errors.first?.description.contains("max_active") == true, "\(error?.errors.first?.description ?? "")")
        }
    }

    @Test func everyErrorIsReportedNotOnlyTheFirst() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: """
                metrics:
                  series_limit: many
                ingest:
                  unknown_models: ignore
                  max_body_bytes: 12 parsecs
                """, file: "c.yaml")
        }
        #expect(error?.errors.map { "\($0.line):\($0.column)" } == ["2:17", "4:19", "5:19"])
    }

    @Test func aMetricLabelThatIsNotAnAttributionKeyIsRejected() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "attribution:\n  metric_labels: [org, colour]\n", file: "c.yaml")
        }
        #expect(error?.errors.first?.message.contains("colour") == true)
        #expect(error?.errors.first?.line == 2)
    }

    @Test func aSyntaxErrorNamesItsLine() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "metrics:\n  series_limit: [1, 2\n", file: "c.yaml")
        }
        #expect(error?.errors.first?.description.hasPrefix("c.yaml:") == true)
        #expect(error?.errors.first?.message.hasPrefix("YAML syntax error") == true)
    }

    @Test func theAuditKeyFileAndHeadIntervalAreRead() throws {
        let defaults = try DeploymentConfig.parse(yaml: "", file: "t.yaml")
        #expect(defaults.auditKeyFile == nil)
        #expect(defaults.auditPublishHeadEvery == 1000)
        let config = try DeploymentConfig.parse(yaml: """
            audit:
              key_file: /run/secrets/tw-audit.key
              publish_head_every: 50
            """, file: "t.yaml")
        #expect(config.auditKeyFile == "/run/secrets/tw-audit.key")
        #expect(config.auditPublishHeadEvery == 50)
    }

    @Test func theHeadIntervalIsABoundedCount() throws {
        for bad in ["0", "-1", "often", "2000000000"] {
            let error = #expect(throws: ConfigErrors.self) {
                try DeploymentConfig.parse(yaml: "audit:\n  publish_head_every: \(bad)\n", file: "t.yaml")
            }
            #expect(error?.errors.map { "\($0.line):\($0.column)" } == ["2:23"], "\(bad)")
            #expect(error?.errors.first?.message.hasPrefix("audit.publish_head_every must be") == true, "\(bad)")
        }
    }

    @Test func anEmptyAuditKeyFileIsAnErrorAtItsPosition() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "audit:\n  key_file: \"\"\n", file: "t.yaml")
        }
        #expect(error?.errors.map(\.description) == [
            "t.yaml:2:13: audit.key_file must not be empty (leave it out for a key beside the database file)",
        ])
    }
}
