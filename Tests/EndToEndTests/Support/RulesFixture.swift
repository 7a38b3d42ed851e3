import Foundation

/// A temporary rules directory and database path for one test.
struct RulesFixture {
    let directory: URL
    var rules: String { directory.appendingPathComponent("rules").path }
    var database: String { directory.appendingPathComponent("data/tokenwarden.sqlite").path }

    /// Prices used by the tests: round numbers so expected costs are easy to state exactly.
    static let pricing = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
          - provider: anthropic
            model: claude-sonnet-4
            prices: {per: million, input: "3.00", output: "15.00", cache_read: "0.30", cache_creation: "3.75"}
            tiers:
              - {above_input_tokens: 200000, input: "6.00", output: "22.50"}
        """

    init(config: String = "", pricing: String = RulesFixture.pricing) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-e2e-\(UUID().uuidString)")
        let pricingDirectory = directory.appendingPathComponent("rules/pricing")
        try FileManager.default.createDirectory(at: pricingDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        try pricing.write(to: pricingDirectory.appendingPathComponent("test.yaml"), atomically: true, encoding: .utf8)
        try config.write(to: directory.appendingPathComponent("rules/tokenwarden.yaml"), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A usage event body.
func usageEvent(
    _ id: String, model: String = "gpt-4o", provider: String = "openai", input: Int = 1000, output: Int = 100,
    cacheRead: Int = 0, team: String = "search", extra: String = ""
) -> String {
    """
    {"id":"\(id)","provider":"\(provider)","model":"\(model)","input_tokens":\(input),"output_tokens":\(output),\
    "cache_read_input_tokens":\(cacheRead),"attribution":{"org":"acme","team":"\(team)"\(extra)}}
    """
}
