import Testing
import WardenCore
import WardenFormats

/// The `integrations:` section of `tokenwarden.yaml`.
@Suite struct IntegrationSettingsTests {
    private static func errors(_ text: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: text, file: "t.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func withoutTheSectionTheDocumentedDefaultsApply() throws {
        let integrations = try DeploymentConfig.parse(yaml: "", file: "t.yaml").integrations
        #expect(integrations.litellm.attribution.entries.map { "\($0.label)=\($0.path)" }
                == ["agent=metadata.user_api_key_alias", "team=metadata.user_api_key_team_alias", "user=end_user"])
        #expect(integrations.otlp.attribution.entries.map { "\($0.label)=\($0.path)" }
                == ["agent=resource.service.name", "team=span.tokenwarden.team"])
        #expect(integrations.otlp.inputIncludesCache(provider: "anthropic") == false)
        #expect(integrations.otlp.inputIncludesCache(provider: "openai") == true)
    }

    @Test func aGivenMappingReplacesTheDefaultWholeAndFlagsAddToIt() throws {
        let integrations = try DeploymentConfig.parse(yaml: """
            integrations:
              litellm:
                attribution: {project: metadata.requester_metadata.project}
              otlp:
                attribution: {environment: resource.deployment.environment.name}
                input_tokens_include_cache: {bedrock: false}
            """, file: "t.yaml").integrations
        #expect(integrations.litellm.attribution.entries.map(\.label) == ["project"])
        #expect(integrations.litellm.attribution.entries.first?.components == ["metadata", "requester_metadata", "project"])
        #expect(integrations.otlp.attribution.entries.map(\.label) == ["environment"])
        #expect(integrations.otlp.inputIncludesCache(provider: "bedrock") == false)
        #expect(integrations.otlp.inputIncludesCache(provider: "anthropic") == false)
    }

    @Test func aLabelOutsideTheSchemaIsAnErrorAtItsPosition() {
        let errors = Self.errors("integrations:\n  litellm:\n    attribution: {colour: metadata.colour}\n")
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix(#"t.yaml:3:27: integrations.litellm.attribution.colour: "colour" is not an attribution key"#) == true,
                "\(errors)")
    }

    @Test func anOTLPPathMustStartWithResourceOrSpanAndNameAnAttribute() {
        let errors = Self.errors("integrations:\n  otlp:\n    attribution: {team: scope.team, agent: span}\n")
        #expect(errors.count == 2)
        #expect(errors.contains { $0.contains(#"integrations.otlp.attribution.team must start with resource. or span. and name an attribute, not "scope.team""#) })
        #expect(errors.contains { $0.contains(#"integrations.otlp.attribution.agent must start with resource. or span."#) })
    }

    @Test func anEmptyPathStepAnUnknownKeyAndANonBooleanFlagAreErrors() {
        let errors = Self.errors("""
            integrations:
              litellm:
                attribution: {team: metadata..team}
                endpoint: x
              otlp:
                input_tokens_include_cache: {anthropic: sometimes}
            """)
        #expect(errors.count == 3)
        #expect(errors.contains { $0.contains(#"integrations.litellm.attribution.team must be a dotted path"#) })
        #expect(errors.contains { $0.contains(#"unknown key "endpoint""#) })
        #expect(errors.contains { $0.contains("integrations.otlp.input_tokens_include_cache.anthropic") })
    }
}
