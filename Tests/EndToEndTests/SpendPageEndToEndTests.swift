import Foundation
import Testing

/// `GET /`, the spend page: rendered by the real server from real usage, read as HTML and in a
/// real headless Chromium (Debian package `chromium`, installed by `make test`).
@Suite struct SpendPageEndToEndTests {
    /// Usage now for two teams and two models, three sessions with $0.50, $2.50 and $7.50, one of
    /// them getting costlier; a budget past its warn step.
    static func populate(_ base: String) async throws {
        var events: [String] = []
        func event(_ id: String, team: String, model: String = "gpt-4o", input: Int, session: String) {
            events.append("""
                {"id":"\(id)","provider":"openai","model":"\(model)","input_tokens":\(input),"output_tokens":0,\
                "attribution":{"org":"acme","team":"\(team)","session":"\(session)"}}
                """)
        }
        // gpt-4o input: 2.50 USD per million tokens.
        event("cheap-1", team: "search", input: 200_000, session: "sess-cheap")           // 0.50
        for n in 0..<10 { event("mid-\(n)", team: "search", input: 100_000, session: "sess-mid") }  // 10 × 0.25 = 2.50
        for n in 0..<10 { event("big-old-\(n)", team: "ads", input: 100_000, session: "sess-big") } // 10 × 0.25
        for n in 0..<10 { event("big-new-\(n)", team: "ads", input: 200_000, session: "sess-big") } // 10 × 0.50: costlier
        let body = "[" + events.joined(separator: ",") + "]"
        let response = try await HTTP.postJSON("\(base)/v1/usage", body)
        #expect(response.status == 200, "\(response.text)")
    }

    static func fixture() throws -> RulesFixture {
        let fixture = try RulesFixture()
        try """
            budgets:
              - name: team-monthly
                scope: {org: acme}
                per: [team]
                period: monthly
                limit: "8.00 USD"
                thresholds:
                  - {at: 80%, action: warn}
                  - {at: 100%, action: deny}
            """.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)
        return fixture
    }

    @Test func thePageShowsSpendBudgetsAndSessions() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.populate(warden.baseURL)
        let page = try await HTTP.get("\(warden.baseURL)/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        let html = page.text
        // Spend by team and model, today and this month: ads 7.50, search 3.00, gpt-4o 10.50.
        #expect(html.contains("By team, today") && html.contains("By model, this month"))
        #expect(html.contains("Days and months in UTC."), "the page names the reporting zone")
        #expect(html.contains("7.50 USD · 20 req"), "\(html)")
        #expect(html.contains("3.00 USD · 11 req"))
        #expect(html.contains("10.50 USD · 31 req"))
        #expect(html.contains("<svg"))
        // Budgets coloured by step: ads at 93.75% (warn), search at 37.5%.
        #expect(html.contains("team-monthly ads"))
        #expect(html.contains("94% · 7.50 of 8.00 USD · warn"))
        #expect(html.contains("fill=\"#e08a00\""), "the warn step's colour")
        // Sessions: green under $1, amber $1–$5, red above $5; sess-big got costlier.
        #expect(html.contains("<td class=\"num green\">0.5000 USD</td>"))
        #expect(html.contains("<td class=\"num amber\">2.5000 USD</td>"))
        #expect(html.contains("<td class=\"num red\">7.5000 USD</td>"))
        #expect(html.contains("title=\"costlier\">↑"))
        #expect(html.contains("href=\"/v1/usage.csv\"") && html.contains("href=\"/v1/audit.csv\""))
        #expect(!html.contains("src=\"http"), "no external assets")
        await warden.stop()
    }

    /// The same page in a real browser: what a person sees, plus a screenshot under .build/.
    @Test func aHeadlessChromiumRendersThePage() async throws {
        let chromium = try Tools.path(of: "chromium")
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.populate(warden.baseURL)
        let profile = fixture.directory.appendingPathComponent("chromium-profile").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--user-data-dir=\(profile)", "--window-size=1280,1800"]
        let dom = try Tools.run(executable: chromium, common + ["--dump-dom", "\(warden.baseURL)/"])
        #expect(dom.status == 0, "\(dom.output.suffix(2000))")
        #expect(dom.output.contains("Recent sessions"))
        #expect(dom.output.contains("sess-big"))
        #expect(dom.output.contains("7.50 USD · 20 req"))

        let buildDirectory = CommandLineEndToEndTests.repositoryRoot.appendingPathComponent(".build")
        try FileManager.default.createDirectory(at: buildDirectory, withIntermediateDirectories: true)
        let screenshot = buildDirectory.appendingPathComponent("spend-page.png").path
        try? FileManager.default.removeItem(atPath: screenshot)
        let shot = try Tools.run(executable: chromium, common + ["--screenshot=\(screenshot)", "\(warden.baseURL)/"])
        #expect(shot.status == 0, "\(shot.output.suffix(2000))")
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot \(screenshot) is \(size) bytes")
        await warden.stop()
    }
}
