import Testing
import WardenCore
@testable import WardenStore

@Suite struct UsageQueryTests {
    @Test func filtersByTimeRangeAndAttributionAndPagesByCursor() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }
        _ = try await harness.record((0..<20).map { event("e\($0)", team: $0 % 2 == 0 ? "search" : "ads", time: 1_700_000_000 + Int64($0)) })

        var query = UsageQuery(since: Timestamp(secondsSinceEpoch: 1_700_000_004), until: Timestamp(secondsSinceEpoch: 1_700_000_014), limit: 3)
        query.attribution = [("team", "search")]
        let first = try harness.store.usageEvents(query)
        #expect(first.map(\.id) == ["e4", "e6", "e8"])
        query.after = first.last?.seq
        let second = try harness.store.usageEvents(query)
        #expect(second.map(\.id) == ["e10", "e12"])
        #expect(second[0].attributionJSON == #"{"org":"acme","team":"search","user":"u1"}"#)
        #expect(second[0].cost == (try Money(exactly: "0.0035")))
    }

    @Test func filtersOnANonColumnAttributionKeyUseTheJSON() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }
        var special = event("special")
        special.event.attribution["cost_center"] = "cc-7"
        _ = try await harness.record([special, event("plain")])

        var query = UsageQuery()
        query.attribution = [("cost_center", "cc-7")]
        #expect(try harness.store.usageEvents(query).map(\.id) == ["special"])
    }
}
