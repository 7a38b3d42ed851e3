import Testing
import WardenCore
import WardenFormats

/// The `governance:` section of `tokenwarden.yaml`.
@Suite struct GovernanceSettingsTests {
    private static func errors(_ text: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: text, file: "t.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func withoutAGovernanceSectionEveryOverrideNeedsAnApprover() throws {
        let governance = try DeploymentConfig.parse(yaml: "", file: "t.yaml").governance
        #expect(governance.overrideMaxDuration.nanoseconds == 30 * 86_400_000_000_000)
        #expect(governance.approvalTTL.nanoseconds == 86_400_000_000_000)
        #expect(governance.autoApproveBelow == nil)
    }

    @Test func everyGovernanceSettingIsRead() throws {
        let governance = try DeploymentConfig.parse(yaml: """
            governance:
              override_max_duration: 7d
              approval_ttl: 2h
              auto_approve_below: ["100.00 USD", "1_000_000 tokens"]
            """, file: "t.yaml").governance
        #expect(governance.overrideMaxDuration.nanoseconds == 7 * 86_400_000_000_000)
        #expect(governance.approvalTTL.nanoseconds == 7_200_000_000_000)
        #expect(governance.autoApproveBelow?.money?.amount == (try Money(exactly: "100")))
        #expect(governance.autoApproveBelow?.money?.currency == "USD")
        #expect(governance.autoApproveBelow?.tokens == 1_000_000)
    }

    @Test func badGovernanceSettingsAreErrorsAtTheirPositions() {
        let errors = Self.errors("""
            governance:
              override_max_duration: forever
              approval_ttl: 0s
              auto_approve_below: ["100.00 USD", "lots"]
              auto_approve: yes
            """)
        #expect(errors.count == 4, "\(errors)")
        #expect(errors.first?.hasPrefix("t.yaml:2:26: governance.override_max_duration must be a duration") == true, "\(errors)")
        #expect(errors.dropFirst().first?.hasPrefix("t.yaml:3:17: governance.approval_ttl must be a duration") == true, "\(errors)")
        #expect(errors.dropFirst(2).first?.hasPrefix("t.yaml:4:") == true && errors.dropFirst(2).first?.contains("governance.auto_approve_below: ") == true, "\(errors)")
        #expect(errors.last?.hasPrefix(#"t.yaml:5:3: unknown key "auto_approve" in governance"#) == true, "\(errors)")
    }

    @Test func twoThresholdsInOneUnitAreAnError() {
        #expect(Self.errors("governance:\n  auto_approve_below: [\"1.00 USD\", \"2.00 USD\"]\n").first?.contains("at most one money limit") == true)
    }
}
