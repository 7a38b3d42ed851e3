import Foundation
import Testing
import TestSupport

/// Pricing files reloaded with the rules through the real binary: validated, then swapped whole.
@Suite struct LivePricingEndToEndTests {
    /// gpt-4o with the given input price per million tokens, output at 10.00.
    static func pricing(input: String) -> String {
        RulesFixture.pricing.replacingOccurrences(of: "input: \"2.50\"", with: "input: \"\(input)\"")
    }

    static func writePricing(_ fixture: RulesFixture, _ text: String) throws {
        try text.write(toFile: "\(fixture.rules)/pricing/test.yaml", atomically: true, encoding: .utf8)
    }

    /// The cost the server recorded for a one-event batch.
    static func ingest(_ base: String, id: String) async throws -> (status: Int, cost: String?) {
        let answer = try await HTTP.postJSON("\(base)/v1/usage", usageEvent(id, input: 1000, output: 1000))
        let results = (try? answer.jsonObject()["results"]) as? [[String: Any]]
        return (answer.status, results?.first?["cost"] as? String)
    }

    @Test func aReloadPutsChangedPricesInForceAndAuditsWhichPricingFileChanged() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        // 1000 × 2.50/M + 1000 × 10/M
        #expect(try await Self.ingest(base, id: "before").cost == "0.0125")

        try Self.writePricing(fixture, Self.pricing(input: "5.00"))
        let reloaded = try await HTTP.request("POST", "\(base)/-/reload")
        #expect(reloaded.status == 200, "\(reloaded.text)")
        #expect(try await Self.ingest(base, id: "after").cost == "0.015")

        let audit = try await HTTP.get("\(base)/v1/audit?kind=reload").jsonObject()
        let event = try #require((audit["events"] as? [[String: Any]])?.last)
        let detail = try #require(event["detail"] as? [String: Any])
        #expect(detail["pricing_changed"] as? [String] == ["\(fixture.rules)/pricing/test.yaml"], "\(detail)")
        await warden.stop()
    }

    @Test func aBrokenPricingFileFailsTheReloadAndKeepsThePricesInForce() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL

        try Self.writePricing(fixture, Self.pricing(input: "-1"))
        let failed = try await HTTP.request("POST", "\(base)/-/reload")
        #expect(failed.status == 400, "\(failed.text)")
        #expect(failed.text.contains("pricing/test.yaml:5:"), "\(failed.text)")
        #expect(try await Self.ingest(base, id: "kept").cost == "0.0125")
        await warden.stop()
    }

    @Test func aBudgetInACurrencyNoPricingFileUsesFailsTheReloadWithItsPlace() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try """
            budgets:
              - name: euros
                scope: {org: acme}
                period: monthly
                limit: "500 EUR"
            """.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)

        let failed = try await HTTP.request("POST", "\(warden.baseURL)/-/reload")

        #expect(failed.status == 400, "\(failed.text)")
        #expect(failed.text.contains("budgets.yaml:5:12: budgets[0].limit: no pricing file prices in EUR"), "\(failed.text)")
        await warden.stop()
    }

    /// Several clients ingest without pause while the catalog flips between two versions many
    /// times: every event is priced wholly by one of them, and none is refused.
    @Test func eventsIngestedDuringManyReloadsArePricedByOneWholeCatalogEach() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        let reloads = 40
        let outcomes = try await withThrowingTaskGroup(of: [(Int, String?)].self) { group in
            let done = ManagedFlag()
            for client in 0..<4 {
                group.addTask {
                    var seen: [(Int, String?)] = []
                    var index = 0
                    while !done.isSet {
                        seen.append(try await Self.ingest(base, id: "load-\(client)-\(index)"))
                        index += 1
                    }
                    return seen
                }
            }
            group.addTask {
                for round in 0..<reloads {
                    try Self.writePricing(fixture, Self.pricing(input: round % 2 == 0 ? "5.00" : "2.50"))
                    let answer = try await HTTP.request("POST", "\(base)/-/reload")
                    #expect(answer.status == 200, "\(answer.text)")
                }
                done.set()
                return []
            }
            var all: [(Int, String?)] = []
            for try await part in group { all += part }
            return all
        }
        #expect(outcomes.count > reloads)
        #expect(outcomes.allSatisfy { $0.0 == 200 }, "\(outcomes.filter { $0.0 != 200 }.prefix(3))")
        let costs = Set(outcomes.compactMap(\.1))
        #expect(costs.isSubset(of: ["0.0125", "0.015"]), "\(costs)")
        #expect(costs.count == 2, "both catalogs priced events: \(costs)")

        // What the usage log holds agrees: every stored event, one of the two prices.
        var stored: [String: String] = [:]
        var cursor: String?
        repeat {
            let page = try await HTTP.get("\(base)/v1/usage?limit=5000" + (cursor.map { "&cursor=\($0)" } ?? "")).jsonObject()
            for event in try #require(page["events"] as? [[String: Any]]) {
                stored[event["id"] as? String ?? ""] = event["cost"] as? String
            }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(stored.count == outcomes.count)
        #expect(Set(stored.values).isSubset(of: ["0.0125", "0.015"]), "\(Set(stored.values))")
        await warden.stop()
    }
}

/// A flag set once by one task and read by others.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
