import Foundation
import Testing
import TestSupport

/// Embeddings, images and audio priced from a LiteLLM catalog by the real binary: the exact costs,
/// the usage export's fields, `tokenwarden_media_units_total` and the token kinds in /metrics, and
/// the counters after a restart.
@Suite(.serialized) struct MediaUnitsEndToEndTests {
    static let catalog = CommandLineEndToEndTests.repositoryRoot
        .appendingPathComponent("Tests/Fixtures/litellm/media-prices.json").path

    /// Costs worked out by hand from `media-prices.json`.
    static let events = """
        [{"id":"img","provider":"openai","model":"gpt-image-1","input_tokens":50,"output_tokens":0,
          "images":2,"image_size":"1024x1024","image_quality":"high","attribution":{"team":"design"}},
         {"id":"stt","provider":"openai","model":"whisper-1","input_tokens":0,"output_tokens":0,
          "audio_input_seconds":"12.5","attribution":{"team":"support"}},
         {"id":"emb","provider":"openai","model":"text-embedding-3-small","input_tokens":1000,"output_tokens":0,
          "attribution":{"team":"search"}},
         {"id":"voice","provider":"openai","model":"gpt-4o-audio-preview-2024-12-17","input_tokens":1000,
          "output_tokens":500,"audio_input_tokens":600,"audio_output_tokens":300,"attribution":{"team":"support"}}]
        """
    static let expectedCosts = [
        "img": "0.33425",    // 2 × 0.167 (high, 1024x1024) + 50 × 0.000005
        "stt": "0.00125",    // 12.5 s × 0.0001
        "emb": "0.00002",    // 1000 × 0.00000002
        "voice": "0.051",    // 400 × 2.5e-6 + 600 × 4e-5 + 200 × 1e-5 + 300 × 8e-5
    ]

    private func start(_ fixture: RulesFixture) async throws -> WardenProcess {
        try await WardenProcess(rules: fixture.rules, database: fixture.database, extraArguments: ["--pricing", Self.catalog])
    }

    @Test func imageAudioAndEmbeddingEventsArePricedExactlyAndCounted() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await start(fixture)
        let posted = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", Self.events)
        try #require(posted.status == 200, "\(posted.text)")

        let export = try await HTTP.get("\(warden.baseURL)/v1/usage")
        let rows = try #require(try export.jsonObject()["events"] as? [[String: Any]])
        var costs: [String: String] = [:]
        for row in rows { costs[row["id"] as! String] = row["cost"] as? String }
        #expect(costs == Self.expectedCosts)
        let image = try #require(rows.first { $0["id"] as? String == "img" })
        #expect(image["images"] as? Int == 2)
        #expect(image["image_size"] as? String == "1024x1024")
        #expect(image["image_quality"] as? String == "high")
        let speech = try #require(rows.first { $0["id"] as? String == "stt" })
        #expect(speech["audio_input_seconds"] as? String == "12.5")
        let voice = try #require(rows.first { $0["id"] as? String == "voice" })
        #expect(voice["audio_input_tokens"] as? Int == 600)
        #expect(voice["audio_output_tokens"] as? Int == 300)

        let csv = try await HTTP.get("\(warden.baseURL)/v1/usage.csv")
        let header = try #require(csv.text.components(separatedBy: "\r\n").first)
        #expect(header.hasSuffix("audio_input_tokens,audio_output_tokens,images,image_size,image_quality,audio_input_seconds,audio_output_seconds"))
        #expect(csv.text.contains(",0,0,2,1024x1024,high,0,0"))

        let metrics = try await HTTP.get("\(warden.baseURL)/metrics")
        let lint = try Tools.run("promtool", ["check", "metrics"], input: metrics.body)
        #expect(lint.status == 0, "promtool: \(lint.output)")
        try Self.expectCounters(metrics.text)
        await warden.stop()

        let restarted = try await start(fixture)
        let again = try await HTTP.get("\(restarted.baseURL)/metrics")
        try Self.expectCounters(again.text)
        await restarted.stop()
    }

    static func expectCounters(_ text: String) throws {
        #expect(text.contains(#"tokenwarden_media_units_total{provider="openai",model="gpt-image-1",kind="image"} 2"#))
        #expect(text.contains(#"tokenwarden_media_units_total{provider="openai",model="whisper-1",kind="audio_input_seconds"} 12.5"#))
        let exposition = Exposition(text)
        // The kinds partition every token posted: 50 + 1000 + 1000 + 500.
        #expect(exposition.sum("tokenwarden_tokens_total") == 2550)
        #expect(exposition.sum("tokenwarden_tokens_total", where: ["kind": "audio_input"]) == 600)
        #expect(exposition.sum("tokenwarden_tokens_total", where: ["kind": "audio_output"]) == 300)
        #expect(exposition.sum("tokenwarden_tokens_total", where: ["kind": "input"]) == 1450)
    }

    @Test func aCheckEstimatesImagesPerImageAgainstABudget() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try """
            budgets:
              - name: design-images
                scope: {team: design}
                period: daily
                limit: "1.00 USD"
                thresholds:
                  - {at: 100%, action: deny}
            """.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await start(fixture)
        func check(images: Int, size: String = "1024x1024") async throws -> HTTP.Response {
            try await HTTP.postJSON("\(warden.baseURL)/v1/check", """
                {"provider":"openai","model":"gpt-image-1","images":\(images),"image_size":"\(size)","image_quality":"high",
                 "attribution":{"team":"design"}}
                """)
        }
        // 6 × 0.167 (high, 1024x1024) = 1.002: over the 1.00 budget before a single image is made.
        let denied = try await check(images: 6)
        #expect(denied.status == 403, "\(denied.text)")
        #expect((try denied.json() as? [String: Any])?["estimated_cost"] as? String == "1.002")
        let allowed = try await check(images: 5)
        #expect(allowed.status == 200, "\(allowed.text)")
        #expect((try allowed.json() as? [String: Any])?["estimated_cost"] as? String == "0.835")
        let unpriced = try await check(images: 1, size: "256x256")
        #expect(unpriced.status == 422)
        #expect(unpriced.text.contains("no per-image price for image_size"), "\(unpriced.text)")
        await warden.stop()
    }

    @Test func anImageOfASizeTheCatalogDoesNotPriceIsRefusedNamingTheMissingPrice() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await start(fixture)
        let body = #"{"id":"small","provider":"openai","model":"gpt-image-1","input_tokens":0,"output_tokens":0,"images":1,"image_size":"256x256","image_quality":"low"}"#
        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", body)
        #expect(response.status == 422)
        #expect(response.text.contains("images"))
        #expect(response.text.contains("no per-image price for image_size \\\"256x256\\\""))
        await warden.stop()
    }
}
