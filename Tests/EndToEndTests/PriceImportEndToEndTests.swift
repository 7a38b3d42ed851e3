import Foundation
import Testing

/// `tokenwarden prices import litellm --diff / --write` against a pricing file on disk, and
/// `check rules` against the currencies the pricing files use.
@Suite struct PriceImportEndToEndTests {
    static let catalog = CommandLineEndToEndTests.repositoryRoot.appendingPathComponent("Tests/Fixtures/litellm/model-prices-trimmed.json").path

    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    /// The fixture's OpenAI models, imported without history: gpt-4o is at 2.50/M input there.
    func importOpenAI(into out: String) throws {
        let imported = try tokenwarden(["prices", "import", "litellm", Self.catalog, "--provider", "openai", "--out", out])
        #expect(imported.status == 0, "\(imported.output)")
    }

    @Test func diffPrintsOneLinePerChangeAndExitsThree() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let out = fixture.directory.appendingPathComponent("openai.yaml").path
        try importOpenAI(into: out)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        try text.replacingOccurrences(of: "model: \"gpt-4o\"\n    prices: {per: million, input: \"2.5\"",
                                      with: "model: \"gpt-4o\"\n    prices: {per: million, input: \"2\"")
            .write(toFile: out, atomically: true, encoding: .utf8)

        let diff = try tokenwarden(["prices", "import", "litellm", Self.catalog, "--provider", "openai", "--out", out, "--diff"])

        #expect(diff.status == 3, "\(diff.output)")
        let lines = diff.output.split(separator: "\n").filter { $0.hasPrefix("+ ") || $0.hasPrefix("- ") || $0.hasPrefix("~ ") }
        #expect(lines == ["~ openai/gpt-4o input 2.00 → 2.50"], "\(diff.output)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("input: \"2\""), "--diff does not write")
    }

    @Test func diffExitsZeroWhenNothingChanged() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let out = fixture.directory.appendingPathComponent("openai.yaml").path
        try importOpenAI(into: out)
        let diff = try tokenwarden(["prices", "import", "litellm", Self.catalog, "--provider", "openai", "--out", out, "--diff"])
        #expect(diff.status == 0, "\(diff.output)")
    }

    @Test func writeAddsTheChangedPricesAsAVersionFromTheGivenDateAndKeepsTheOldOne() throws {
        let fixture = try RulesFixture(pricing: "models: []\n")
        defer { fixture.remove() }
        let out = fixture.rules + "/pricing/openai.yaml"
        try importOpenAI(into: out)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        try text.replacingOccurrences(of: "model: \"gpt-4o\"\n    prices: {per: million, input: \"2.5\"",
                                      with: "model: \"gpt-4o\"\n    prices: {per: million, input: \"2\"")
            .write(toFile: out, atomically: true, encoding: .utf8)

        let written = try tokenwarden(["prices", "import", "litellm", Self.catalog, "--provider", "openai", "--out", out,
                                       "--write", "--effective-from", "2026-03-01"])
        #expect(written.status == 0, "\(written.output)")

        let before = try tokenwarden(["prices", "cost", "--rules", fixture.rules, "--model", "gpt-4o", "--input", "1000000",
                                      "--output", "0", "--at", "2026-02-28T12:00:00Z"])
        let after = try tokenwarden(["prices", "cost", "--rules", fixture.rules, "--model", "gpt-4o", "--input", "1000000",
                                     "--output", "0", "--at", "2026-03-01T12:00:00Z"])
        #expect(before.status == 0 && after.status == 0, "\(before.output)\(after.output)")
        #expect(before.output.contains("total: 2 USD"), "\(before.output)")
        #expect(after.output.contains("total: 2.5 USD"), "\(after.output)")
        let again = try tokenwarden(["prices", "import", "litellm", Self.catalog, "--provider", "openai", "--out", out, "--diff",
                                     "--effective-from", "2026-03-02"])
        #expect(again.status == 0, "\(again.output)")
    }

    @Test func checkRulesNamesABudgetInACurrencyNoPricingFileUses() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try """
            budgets:
              - name: euros
                period: monthly
                limit: "500 EUR"
            """.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "rules", fixture.rules])

        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("\(fixture.rules)/budgets.yaml:4:12: budgets[0].limit: no pricing file prices in EUR"),
                "\(result.output)")
    }
}
