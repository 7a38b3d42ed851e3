import Foundation
import Testing

/// `tokenwarden check rules` and `check config` on rule files, run as an operator runs them.
@Suite struct RuleFilesEndToEndTests {
    static var shippedRules: String { CommandLineEndToEndTests.repositoryRoot.appendingPathComponent("Rules").path }

    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    @Test func checkRulesAcceptsTheShippedRules() throws {
        let result = try tokenwarden(["check", "rules", Self.shippedRules])

        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("\(Self.shippedRules): OK ("), "\(result.output)")
        #expect(result.output.contains(" budgets, ") && result.output.contains(" in 3 rule files)"), "\(result.output)")
    }

    @Test func checkRulesReportsEveryErrorOfEveryFileWithFileLineAndColumn() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try copyShippedRules(into: fixture)
        try edit(fixture, "budgets.yaml", replacing: "    period: monthly\n", with: "    period: monthy\n")
        try edit(fixture, "policies.yaml", replacing: "'!has(team)'", with: "'!has(teem)'")
        try "not a rule file".write(toFile: fixture.rules + "/pricing/notes.txt", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "rules", fixture.rules])

        #expect(result.status == 1, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let monthlyLine = try line(of: "    period: monthy", in: fixture.rules + "/budgets.yaml")
        #expect(lines.contains("\(fixture.rules)/budgets.yaml:\(monthlyLine):13: budgets[0].period: unknown period \"monthy\" "
            + "(use hourly, daily, weekly, monthly, quarterly, yearly, total, or rolling: <duration> such as rolling: 7d)"), "\(lines)")
        let teamLine = try line(of: "'!has(teem)'", in: fixture.rules + "/policies.yaml")
        #expect(lines.contains { $0.hasPrefix("\(fixture.rules)/policies.yaml:\(teamLine):17: policies[1].when: ") && $0.contains("teem") },
                "\(lines)")
        #expect(lines.count == 2, "\(lines)")
    }

    @Test func checkConfigAlsoValidatesTheRuleFiles() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try "quotas:\n  - name: q\n    requests: 10\n    tokens: 10\n    window: 1m\n"
            .write(toFile: fixture.rules + "/quotas.yaml", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "config", fixture.rules])

        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("\(fixture.rules)/quotas.yaml:3:15: quotas[0]: give either tokens or requests, not both"),
                "\(result.output)")
    }

    @Test func checkConfigCountsTheRulesOfTheShippedDirectory() throws {
        let result = try tokenwarden(["check", "config", Self.shippedRules])

        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("in 3 rule files)"), "\(result.output)")
    }

    @Test func labelsDeclaredInTokenwardenYamlMayBeUsedInRules() throws {
        let fixture = try RulesFixture(config: "attribution:\n  extra_keys: [cost_center]\n")
        defer { fixture.remove() }
        try "budgets:\n  - {name: cc, per: [cost_center], period: monthly, limit: \"100.00 USD\"}\n"
            .write(toFile: fixture.rules + "/budgets.yml", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "rules", fixture.rules])

        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "\(fixture.rules): OK (1 budget, 0 quotas, 0 policies in 1 rule file)\n")
    }

    @Test func checkRulesWarnsAboutPatternsThatReadDifferentlyAsASearchAndStillSucceeds() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try """
            policies:
              - name: no-o1
                when: 'model =~ "o1" || model =~ "^gpt-4o$"'
                action: deny
            """.write(toFile: fixture.rules + "/policies.yaml", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "rules", fixture.rules])

        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"\#(fixture.rules)/policies.yaml:3:21: warning: policies[0].when: "o1" is matched against the whole value "#
                + #"(it means "^o1$"); to find it anywhere in the value, write ".*o1.*""#,
            "\(fixture.rules): OK (0 budgets, 0 quotas, 1 policy in 1 rule file)",
        ], "\(lines)")
    }

    @Test func checkConfigPrintsThePatternWarningsToo() throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try "policies:\n  - {name: p, when: 'model !~ \"gpt\"', action: warn}\n"
            .write(toFile: fixture.rules + "/policies.yaml", atomically: true, encoding: .utf8)

        let result = try tokenwarden(["check", "config", fixture.rules])

        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\(fixture.rules)/policies.yaml:2:31: warning: policies[0].when: \"gpt\" is matched"),
                "\(result.output)")
    }

    private func copyShippedRules(into fixture: RulesFixture) throws {
        for name in ["budgets.yaml", "quotas.yaml", "policies.yaml"] {
            try FileManager.default.copyItem(atPath: Self.shippedRules + "/" + name, toPath: fixture.rules + "/" + name)
        }
    }

    /// Replaces the first occurrence of `old`.
    private func edit(_ fixture: RulesFixture, _ name: String, replacing old: String, with new: String) throws {
        let path = fixture.rules + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let range = try #require(text.range(of: old), "\(name) no longer contains \(old)")
        try text.replacingCharacters(in: range, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The 1-based line of the first line containing of `text` in the file.
    private func line(of text: String, in path: String) throws -> Int {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains(text) }) + 1
    }
}
