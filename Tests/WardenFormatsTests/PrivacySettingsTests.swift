import Testing
import WardenCore
import WardenFormats

/// The `privacy:` section of `tokenwarden.yaml`.
@Suite struct PrivacySettingsTests {
    private static func errors(_ text: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: text, file: "t.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func withoutAPrivacySectionNothingIsPseudonymised() throws {
        let privacy = try DeploymentConfig.parse(yaml: "", file: "t.yaml").privacy
        #expect(privacy.pseudonymise.isEmpty)
        #expect(privacy.keyFile == nil)
    }

    @Test func theLabelsAndTheKeyFileAreRead() throws {
        let privacy = try DeploymentConfig.parse(yaml: """
            privacy:
              pseudonymise: [user, session]
              key_file: /run/secrets/tw-privacy.key
            """, file: "t.yaml").privacy
        #expect(privacy.pseudonymise == ["session", "user"])
        #expect(privacy.keyFile == "/run/secrets/tw-privacy.key")
    }

    @Test func anExtraKeyOfTheSchemaMayBePseudonymised() throws {
        let privacy = try DeploymentConfig.parse(yaml: """
            attribution:
              extra_keys: [customer]
            privacy:
              pseudonymise: [customer]
            """, file: "t.yaml").privacy
        #expect(privacy.pseudonymise == ["customer"])
    }

    @Test func aLabelOutsideTheSchemaIsAnErrorAtItsPosition() {
        let errors = Self.errors("privacy:\n  pseudonymise: [user, email]\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(#"t.yaml:2:24: privacy.pseudonymise[1]: "email" is not an attribution key"#) == true)
    }

    @Test func aLabelNamedTwiceAndAnUnknownKeyAreErrors() {
        let errors = Self.errors("privacy:\n  pseudonymise: [user, user]\n  salt: x\n")
        #expect(errors.count == 2)
        #expect(errors.contains { $0.hasPrefix(#"t.yaml:2:24: privacy.pseudonymise[1]: "user" is named twice"#) })
        #expect(errors.contains { $0.contains(#"unknown key "salt""#) })
    }
}
