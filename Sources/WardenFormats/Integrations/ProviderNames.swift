/// TokenWarden names providers as LiteLLM's catalog does (`openai`, `anthropic`, `gemini`,
/// `vertex_ai`, `bedrock`, `mistral`, …), since the shipped catalog is imported from it. These
/// tables rename what an integration reports to those names; a name not listed is kept as it is.
public enum LiteLLMProviderName {
    /// `custom_llm_provider` values that are routes to a provider rather than its catalog name.
    static let renames: [String: String] = [
        "text-completion-openai": "openai",
        "anthropic_text": "anthropic",
        "vertex_ai_beta": "vertex_ai",
    ]

    public static func tokenWardenName(_ name: String) -> String { renames[name] ?? name }
}

/// `gen_ai.provider.name` (and the older `gen_ai.system`) values of the OpenTelemetry GenAI
/// semantic conventions, as TokenWarden names the provider.
public enum GenAIProviderName {
    static let renames: [String: String] = [
        "aws.bedrock": "bedrock",
        "gcp.gemini": "gemini",
        "gcp.gen_ai": "gemini",
        "gcp.vertex_ai": "vertex_ai",
        "azure.ai.openai": "azure",
        "az.ai.openai": "azure",
        "azure.ai.inference": "azure_ai",
        "az.ai.inference": "azure_ai",
        "mistral_ai": "mistral",
        "x_ai": "xai",
        "ibm.watsonx.ai": "watsonx",
    ]

    public static func tokenWardenName(_ name: String) -> String { renames[name] ?? name }
}
