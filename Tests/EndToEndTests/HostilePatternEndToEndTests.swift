import Foundation
import Testing

/// A pattern that makes a backtracking matcher run for years, against the longest label a check
/// may carry, through the real binary: the check answers at once and the daemon stays healthy.
@Suite struct HostilePatternEndToEndTests {
    @Test func aNestedQuantifierScopeCannotStallTheEngine() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try RuleEngineEndToEndTests.writeRules(fixture, "budgets.yaml", """
            budgets:
              - name: nested
                scope: {team: {regex: "(a+)+$"}}
                period: total
                limit: "0.000001 USD"
                thresholds:
                  - {at: 100%, action: deny}
            """)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL

        let hostile = String(repeating: "a", count: 255) + "!"
        let clock = ContinuousClock()
        var response: HTTP.Response?
        let elapsed = try await clock.measure {
            response = try await RuleEngineEndToEndTests.check(base, team: hostile)
        }
        #expect(response?.status == 200, "\(response.map { String(decoding: $0.body, as: UTF8.self) } ?? "")")
        #expect(try response?.jsonObject()["decision"] as? String == "allow")
        // A backtracking matcher needs about 2^255 steps here (longer than any test run); a linear
        // one, microseconds. The bound only leaves room for a loaded machine running a debug build
        // whose shared concurrency threads other suites' blocking tests may hold for a while.
        #expect(elapsed < .seconds(120), "\(elapsed)")
        #expect(try await HTTP.get("\(base)/-/healthy").status == 200)

        // The pattern still does its job: a team of only a's is in scope and denied.
        let matching = try await RuleEngineEndToEndTests.check(base, team: String(repeating: "a", count: 256))
        #expect(matching.status == 403)
        #expect(await warden.stop() == 0)
    }
}
