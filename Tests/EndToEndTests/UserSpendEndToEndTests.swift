import Foundation
import Testing
import TestSupport

/// The two families behind the "top users" and "saved by caching" panels, from the real server:
/// `tokenwarden_user_spend` (per-user spend of the day and month, from the usage log) and
/// `tokenwarden_price_per_token` (list prices of the models with usage).
@Suite struct UserSpendEndToEndTests {
    @Test func perUserSpendAndModelPricesAreExposed() async throws {
        let fixture = try RulesFixture(config: "metrics:\n  user_spend_refresh: 1s\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        // gpt-4o: input 2.50, output 10.00, cache_read 1.25 per million tokens.
        // alice: 3 × (1,000,000 input) = 7.50; bob: 400,000 input + 100,000 output = 2.00;
        // an event without a user counts for nobody here.
        var events: [String] = []
        for n in 0..<3 {
            events.append(usageEvent("alice-\(n)", input: 1_000_000, output: 0, extra: #","user":"alice""#))
        }
        events.append(usageEvent("bob-1", input: 400_000, output: 100_000, cacheRead: 0, extra: #","user":"bob""#))
        events.append(usageEvent("nobody", input: 1_000_000, output: 0))
        events.append(usageEvent("claude-1", model: "claude-sonnet-4", provider: "anthropic", input: 1_000, output: 0,
                                 cacheRead: 500, extra: #","user":"bob""#))
        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[" + events.joined(separator: ",") + "]")
        #expect(response.status == 200, "\(response.text)")

        // The refresh runs every second: wait for a scan that has seen the events.
        var exposition = Exposition("")
        _ = try await poll(for: .seconds(30), every: .milliseconds(200)) { () async throws -> Bool? in
            exposition = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
            return exposition.values("tokenwarden_user_spend", where: ["user": "alice", "period": "month"]) == [7.5] ? true : nil
        }
        for period in ["day", "month"] {
            #expect(exposition.values("tokenwarden_user_spend", where: ["user": "alice", "period": period, "currency": "USD"]) == [7.5])
            // bob: 2.00 (gpt-4o) + claude (500 uncached × 3.00 + 500 cache read × 0.30 per million) = 2.00165.
            let bob = exposition.values("tokenwarden_user_spend", where: ["user": "bob", "period": period])
            #expect(bob.count == 1 && abs(bob[0] - 2.00165) < 1e-12, "\(bob)")
            #expect(exposition.values("tokenwarden_user_spend", where: ["period": period]).count == 2, "no series for events without a user")
        }

        // Prices of the two models with usage, per kind, with the fallbacks of the cost rule.
        let gpt = ["provider": "openai", "model": "gpt-4o", "currency": "USD"]
        #expect(exposition.values("tokenwarden_price_per_token", where: gpt.merging(["kind": "input"]) { $1 }) == [0.0000025])
        #expect(exposition.values("tokenwarden_price_per_token", where: gpt.merging(["kind": "cache_read"]) { $1 }) == [0.00000125])
        #expect(exposition.values("tokenwarden_price_per_token", where: gpt.merging(["kind": "cache_creation"]) { $1 }) == [0.0000025])
        let claude = ["provider": "anthropic", "model": "claude-sonnet-4"]
        #expect(exposition.values("tokenwarden_price_per_token", where: claude.merging(["kind": "cache_creation"]) { $1 }) == [0.00000375])
        // Without an audio price of its own, audio input is priced as input.
        #expect(exposition.values("tokenwarden_price_per_token", where: gpt.merging(["kind": "audio_input"]) { $1 }) == [0.0000025])
        // 2 models × 7 kinds (input, cache_read, cache_creation, output, reasoning, audio_input, audio_output).
        #expect(exposition.values("tokenwarden_price_per_token").count == 14)
        await warden.stop()
    }
}
