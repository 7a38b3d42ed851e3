import Foundation
import Testing

/// The `tokenwarden` subcommands, run as a user runs them.
@Suite struct CommandLineEndToEndTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    @Test func checkConfigAcceptsTheShippedRules() throws {
        let result = try tokenwarden(["check", "config", Self.repositoryRoot.appendingPathComponent("Rules").path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"))
    }

    @Test func checkConfigReportsEveryErrorWithFileLineAndColumn() throws {
        let fixture = try RulesFixture(
            config: "metrics:\n  series_limt: 5\ningest:\n  unknown_models: ignore\n",
            pricing: "models:\n  - provider: openai\n    model: gpt-4o\n    prices: {per: million, input: \"-1\", output: \"2\"}\n")
        defer { fixture.remove() }

        let result = try tokenwarden(["check", "config", fixture.rules])

        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(fixture.rules)/tokenwarden.yaml:2:3: unknown key \"series_limt\"") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(fixture.rules)/tokenwarden.yaml:4:19: ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(fixture.rules)/pricing/test.yaml:4:") && $0.contains("models[0].prices.input must be at least 0, not -1") }, "\(lines)")
    }

    @Test func serveRefusesABrokenConfigurationAndSaysWhy() throws {
        let fixture = try RulesFixture(config: "attribution:\n  metric_labels: [org, colour]\n")
        defer { fixture.remove() }

        let result = try tokenwarden(["serve", "--listen", "127.0.0.1:0", "--rules", fixture.rules, "--data", fixture.database])

        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("tokenwarden.yaml:2:"))
        #expect(result.output.contains("colour"))
    }

    @Test func pricesCostPrintsTheExactCostOfOneCall() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }

        let result = try tokenwarden(["prices", "cost", "--rules", fixture.rules, "--model", "claude-sonnet-4",
                                      "--input", "250001", "--cache-read", "1", "--output", "2"])

        #expect(result.status == 0, "\(result.output)")
        // Above the 200k tier: 250000 × 6/M + 1 × 0.30/M + 2 × 22.50/M
        #expect(result.output.contains("1.500045300".trimmingTrailingZeros), "\(result.output)")
    }

    @Test func pricesImportLiteLLMWritesAFileThatServeLoads() throws {
        let catalog = Self.repositoryRoot.appendingPathComponent("Tests/Fixtures/litellm/model-prices-trimmed.json")
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let out = fixture.directory.appendingPathComponent("rules/pricing/imported.yaml").path

        let imported = try tokenwarden(["prices", "import", "litellm", catalog.path, "--provider", "mistral", "--out", out])
        #expect(imported.status == 0, "\(imported.output)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        // The trimmed catalog has 7 Mistral entries: 5 chat models, an embedding (imported, output priced 0)
        // and a moderation model (skipped).
        #expect(text.contains("57 catalog entries: 6 imported, 1 skipped, 50 left out by the provider filter."), "\(text.prefix(1_000))")
        let models = text.split(separator: "\n").filter { $0.contains("model:") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(models.count == 6, "\(models)")
        #expect(models.contains(#"model: "mistral/mistral-embed""#), "\(models)")
        #expect(models.allSatisfy { $0.contains("mistral/") }, "\(models)")

        let checked = try tokenwarden(["check", "config", fixture.rules])
        #expect(checked.status == 0, "\(checked.output)")
    }

    @Test func theAuditLogIsServedAndItsChainVerifies() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let page = try await HTTP.get("\(warden.baseURL)/v1/audit?kind=budget")
        #expect(page.status == 200, "\(page.text)")
        #expect((try page.jsonObject()["events"] as? [Any]) != nil)
        #expect(try await HTTP.get("\(warden.baseURL)/v1/audit?knd=budget").status == 400)
        await warden.stop()

        let verified = try tokenwarden(["audit", "verify", "--data", fixture.database])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("audit chain OK"))
    }

    @Test func fullDurabilityAcknowledgesOnlyWhatSurvivesAKill() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let first = try await WardenProcess(rules: fixture.rules, database: fixture.database, extraArguments: ["--durability", "full"])
        let response = try await HTTP.postJSON("\(first.baseURL)/v1/usage", usageEvent("full-1"))
        #expect(response.status == 200)
        await first.stop(signal: SIGKILL)

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database, extraArguments: ["--durability", "full"])
        let page = try await HTTP.get("\(second.baseURL)/v1/usage").jsonObject()
        #expect((page["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["full-1"])
        await second.stop()
    }
}

extension String {
    var trimmingTrailingZeros: String {
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
